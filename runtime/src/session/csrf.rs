//! The CSRF check of cookie-authenticated writes: Fetch Metadata first, then `Origin`, then the
//! session's synchronizer token for clients that send neither. Bearer-token requests are not
//! checked: a browser never attaches a bearer token by itself.

use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use subtle::ConstantTimeEq as _;

use super::Settings;

/// The header a client without Fetch Metadata and `Origin` sends the synchronizer token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Why a write was refused, for the audit event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CsrfRefusal {
    /// `Sec-Fetch-Site: cross-site` or `same-site`.
    CrossSite,
    /// `Origin` names another origin, or `null`.
    ForeignOrigin,
    /// Neither header, and no matching token.
    MissingToken,
}

impl CsrfRefusal {
    pub(crate) fn reason(self) -> &'static str {
        match self {
            CsrfRefusal::CrossSite => "csrf_cross_site",
            CsrfRefusal::ForeignOrigin => "csrf_foreign_origin",
            CsrfRefusal::MissingToken => "csrf_missing_token",
        }
    }
}

/// Whether `method` changes state: everything but `GET`, `HEAD`, `OPTIONS` and `TRACE`.
pub(crate) fn changes_state(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Checks a cookie-authenticated write against the session's token `expected`.
pub(crate) fn check(parts: &Parts, settings: &Settings, expected: &str) -> Result<(), CsrfRefusal> {
    let headers = &parts.headers;
    if let Some(site) = text(headers, "sec-fetch-site") {
        // `none`: the user's own action (the address bar, a bookmark).
        return match site.to_ascii_lowercase().as_str() {
            "same-origin" | "none" => Ok(()),
            _ => Err(CsrfRefusal::CrossSite),
        };
    }
    if let Some(origin) = text(headers, header::ORIGIN.as_str()) {
        return if origin_allowed(origin, headers, settings) {
            Ok(())
        } else {
            Err(CsrfRefusal::ForeignOrigin)
        };
    }
    match text(headers, CSRF_HEADER) {
        Some(token) if bool::from(token.as_bytes().ct_eq(expected.as_bytes())) => Ok(()),
        _ => Err(CsrfRefusal::MissingToken),
    }
}

fn text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// `Origin` is one of the configured origins, or, with none configured, the request's own host
/// (over HTTPS unless plain HTTP was allowed for development).
fn origin_allowed(origin: &str, headers: &HeaderMap, settings: &Settings) -> bool {
    let origin = origin.trim().to_ascii_lowercase();
    if !settings.origins.is_empty() {
        return settings.origins.contains(&origin);
    }
    let Some(host) = text(headers, header::HOST.as_str()) else {
        return false;
    };
    let host = host.trim().to_ascii_lowercase();
    origin == format!("https://{host}")
        || (settings.insecure_http && origin == format!("http://{host}"))
}
