//! The browser's own word on where a write comes from: `Sec-Fetch-Site`, then `Origin`. The
//! session's CSRF check starts with it; `#[public]` handlers that take a session or a form body
//! (a login form: login CSRF) are checked with it alone, since they have no token to compare.

use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::response::{IntoResponse, Response};

use crate::problem::Problem;

/// Why a write was refused, for the audit event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CsrfRefusal {
    /// `Sec-Fetch-Site: cross-site` or `same-site`.
    CrossSite,
    /// `Origin` names another origin, or `null`.
    ForeignOrigin,
    /// Neither header, and no matching token (the session's check only).
    #[cfg_attr(not(feature = "session"), allow(dead_code))]
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

pub(crate) fn text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// What the browser's headers say of a write: `Some(Ok)` from this site, `Some(Err)` from
/// another, `None` when the request carries neither header (no browser, or an old one).
/// `origin_allowed` judges an `Origin` (lowercased and trimmed).
pub(crate) fn browser_says(
    headers: &HeaderMap,
    origin_allowed: impl Fn(&str) -> bool,
) -> Option<Result<(), CsrfRefusal>> {
    if let Some(site) = text(headers, "sec-fetch-site") {
        // `none`: the user's own action (the address bar, a bookmark).
        return Some(match site.to_ascii_lowercase().as_str() {
            "same-origin" | "none" => Ok(()),
            _ => Err(CsrfRefusal::CrossSite),
        });
    }
    let origin = text(headers, header::ORIGIN.as_str())?;
    let origin = origin.trim().to_ascii_lowercase();
    Some(if origin_allowed(&origin) {
        Ok(())
    } else {
        Err(CsrfRefusal::ForeignOrigin)
    })
}

/// `origin` is the request's own host, over HTTPS (or plain HTTP where `http` allows it).
pub(crate) fn own_host(origin: &str, headers: &HeaderMap, http: bool) -> bool {
    let Some(host) = text(headers, header::HOST.as_str()) else {
        return false;
    };
    let host = host.trim().to_ascii_lowercase();
    origin == format!("https://{host}") || (http && origin == format!("http://{host}"))
}

/// The CSRF check of a `#[public]` handler that takes a session or a form body, on writes: a
/// browser that says the request comes from another site is refused with a 403 problem and an
/// audit event; a request without either header (no browser) passes, as it carries nothing a
/// browser would have attached by itself. `origin_allowed` judges an `Origin`.
pub(crate) fn check_public(
    parts: &Parts,
    handler: &'static str,
    origin_allowed: impl Fn(&str) -> bool,
) -> Option<Response> {
    if !changes_state(&parts.method) {
        return None;
    }
    let refusal = browser_says(&parts.headers, origin_allowed)?.err()?;
    tracing::info!(
        target: "palisade::audit",
        handler,
        method = %parts.method,
        path = parts.uri.path(),
        access = "public",
        outcome = "denied",
        reason = refusal.reason(),
        "public write from another site"
    );
    Some(refused())
}

/// The 403 problem of a write from another site.
pub(crate) fn refused() -> Response {
    Problem::new(
        403,
        "csrf",
        "the request did not come from this site: reload the page and try again",
    )
    .into_response()
}

/// The check of a `#[public]` handler that takes a form body and no session: `Origin` must be
/// the request's own host.
#[doc(hidden)]
pub fn public_write(parts: &Parts, handler: &'static str) -> Option<Response> {
    check_public(parts, handler, |origin| {
        own_host(origin, &parts.headers, true)
    })
}
