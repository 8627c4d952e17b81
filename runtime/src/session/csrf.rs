//! The CSRF check of cookie-authenticated writes: Fetch Metadata first, then `Origin`, then the
//! session's synchronizer token for clients that send neither. Bearer-token requests are not
//! checked: a browser never attaches a bearer token by itself.

use axum::http::HeaderMap;
use axum::http::request::Parts;
use subtle::ConstantTimeEq as _;

use super::Settings;

/// The header a client without Fetch Metadata and `Origin` sends the synchronizer token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

pub(crate) use crate::router::csrf::{CsrfRefusal, changes_state};
use crate::router::csrf::{browser_says, own_host, text};

/// Checks a cookie-authenticated write against the session's token `expected`.
pub(crate) fn check(parts: &Parts, settings: &Settings, expected: &str) -> Result<(), CsrfRefusal> {
    let headers = &parts.headers;
    if let Some(said) = browser_says(headers, |origin| origin_allowed(origin, headers, settings)) {
        return said;
    }
    match text(headers, CSRF_HEADER) {
        Some(token) if bool::from(token.as_bytes().ct_eq(expected.as_bytes())) => Ok(()),
        _ => Err(CsrfRefusal::MissingToken),
    }
}

/// `Origin` is one of the configured origins, or, with none configured, the request's own host
/// (over HTTPS unless plain HTTP was allowed for development).
pub(crate) fn origin_allowed(origin: &str, headers: &HeaderMap, settings: &Settings) -> bool {
    if !settings.origins.is_empty() {
        return settings.origins.iter().any(|allowed| allowed == origin);
    }
    own_host(origin, headers, settings.insecure_http)
}

/// The check of a `#[public]` handler that takes the session (a login form: login CSRF), with
/// the session settings' origins.
#[doc(hidden)]
pub fn public_session_write(
    parts: &Parts,
    settings: Option<&super::SessionSettings>,
    handler: &'static str,
) -> Option<axum::response::Response> {
    match settings {
        Some(settings) => crate::router::csrf::check_public(parts, handler, |origin| {
            origin_allowed(origin, &parts.headers, settings.inner())
        }),
        None => crate::router::csrf::public_write(parts, handler),
    }
}
