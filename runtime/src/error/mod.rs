//! Errors that leak nothing (DESIGN.md G6): `#[derive(PublicError)]` decides, per variant, what
//! the client is told and what the log keeps; [`SafeResponse`] is the bound that handlers'
//! return types must meet. Every error answer is a [`Problem`], sent as
//! [`PROBLEM_JSON`].

pub(crate) mod respond;

use std::borrow::Cow;
use std::error::Error;

use axum::response::IntoResponse;

use crate::problem::Problem;
use crate::redact::ResponseBody;
use crate::seal::{PublicErrorSeal, SafeResponseMark, SafeResponseSeal, Seal, response_doors_of};

pub use crate::problem::PROBLEM_JSON;

/// How loudly an error is logged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// `tracing::Level::ERROR`: the default of server errors.
    Error,
    /// `tracing::Level::WARN`.
    Warn,
    /// `tracing::Level::INFO`: the default of client errors.
    Info,
    /// `tracing::Level::DEBUG`.
    Debug,
    /// `tracing::Level::TRACE`.
    Trace,
}

/// An error type whose every variant has decided what the client sees: implemented by
/// `#[derive(PublicError)]`.
///
/// A client error (4xx) is answered with its status, its stable `code` and its public message.
/// A server error (5xx) is answered with its status, the code `internal_error`, a generic
/// message and an incident id; the variant itself (`Debug`, with its `#[redact]` masks) and its
/// chain of sources are logged once under that incident id.
///
/// ```
/// use palisade::PublicError;
///
/// #[derive(Debug, PublicError)]
/// enum NoteError {
///     #[problem(status = 404, message = "there is no such note")]
///     NotFound,
///     #[problem(status = 409, code = "title_taken", message = "a note titled {title} exists")]
///     TitleTaken { title: String },
///     #[problem(status = 500)]
///     Storage(#[from] std::io::Error),
/// }
///
/// let error = NoteError::TitleTaken { title: "Groceries".into() };
/// assert_eq!(error.status(), 409);
/// assert_eq!(error.code(), "title_taken");
/// assert_eq!(error.public_message(), "a note titled Groceries exists");
/// assert_eq!(NoteError::NotFound.code(), "not_found");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a safe palisade error type",
    label = "its text could reach the client",
    note = "return an error enum with `#[derive(palisade::PublicError)]`: each variant decides what the client sees, and an underlying error becomes a variant's source (`#[problem(status = 500)] Internal(#[from] std::io::Error)`), logged with an incident id and never sent"
)]
pub trait PublicError: Error + IntoResponse + PublicErrorSeal {
    /// The HTTP status, 400 to 599.
    fn status(&self) -> u16;
    /// The stable machine-readable code of the variant (logged; sent for client errors).
    fn code(&self) -> &'static str;
    /// What a client error tells the client. Server errors are never answered with it.
    fn public_message(&self) -> Cow<'static, str>;
    /// How loudly the error is logged.
    fn level(&self) -> Level;
}

/// What a server error tells the client.
pub const SERVER_ERROR_DETAIL: &str = "the server could not complete the request";

/// A new incident id: 128 random bits in hex.
///
/// # Panics
///
/// If the operating system's random source fails, which on the supported platforms it does
/// not once it has been seeded at boot.
pub fn incident_id() -> String {
    crate::hex::random::<16>()
}

/// A handler return type that cannot send internals to the client (DESIGN.md G6): palisade's
/// handler macros require it.
///
/// Implemented for [`PublicError`] types, `Result<T, E>` where `T` is a safe response and `E` a
/// `PublicError`, [`Problem`], `Json<T>`, status codes, text, `()`, redirects, and a status or
/// headers paired with a safe response. Not for `Result<_, std::io::Error>`, `anyhow::Error`,
/// `sqlx::Error`, `String` errors or a raw `Response`, whose text could be anything. (An error
/// answer that is not one of palisade's problems is replaced by the secure stack anyway; HTML
/// comes with the escaping response type of the injection-safe sinks, G7.)
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a safe palisade response",
    label = "this could send internals to the client",
    note = "return `Result<T, E>` with `E` a `#[derive(palisade::PublicError)]` enum, or a `Json<T>`, `StatusCode`, `Problem`, `Redirect` or text; a response type of your own needs `#[palisade::trusted(response, reason = \"...\")]`"
)]
pub trait SafeResponse: IntoResponse + SafeResponseSeal {}

/// palisade's own safe responses, each with its seal: `[generics] type => the doors inside`.
macro_rules! safe_responses {
    ($([$($generics:tt)*] $ty:ty => $doors:expr),* $(,)?) => {$(
        impl<$($generics)*> SafeResponseSeal for $ty {
            const SEAL: Seal<Self, SafeResponseMark> = $doors;
        }
        impl<$($generics)*> SafeResponse for $ty {}
    )*};
}

safe_responses!(
    [T: SafeResponse, E: PublicError] Result<T, E> => Seal::around(response_doors_of::<T>),
    [] Problem => Seal::PALISADE,
    [T: ResponseBody] axum::Json<T> => Seal::PALISADE,
    [] axum::http::StatusCode => Seal::PALISADE,
    [] axum::response::Redirect => Seal::PALISADE,
    [] axum::response::NoContent => Seal::PALISADE,
    [] () => Seal::PALISADE,
    [] &'static str => Seal::PALISADE,
    [] String => Seal::PALISADE,
    [] Cow<'static, str> => Seal::PALISADE,
    [T: SafeResponse] (axum::http::StatusCode, T) => Seal::around(response_doors_of::<T>),
    [T: SafeResponse] (axum::http::HeaderMap, T) => Seal::around(response_doors_of::<T>),
    [T: SafeResponse] (axum::http::StatusCode, axum::http::HeaderMap, T)
        => Seal::around(response_doors_of::<T>),
    [T: SafeResponse] (crate::csp::Csp, T) => Seal::around(response_doors_of::<T>),
    [T: SafeResponse] (axum::http::StatusCode, crate::csp::Csp, T)
        => Seal::around(response_doors_of::<T>),
);

impl<K, V, T: SafeResponse, const N: usize> SafeResponseSeal for ([(K, V); N], T)
where
    ([(K, V); N], T): IntoResponse,
{
    const SEAL: Seal<Self, SafeResponseMark> = Seal::around(response_doors_of::<T>);
}
impl<K, V, T: SafeResponse, const N: usize> SafeResponse for ([(K, V); N], T) where
    ([(K, V); N], T): IntoResponse
{
}
impl<K, V, T: SafeResponse, const N: usize> SafeResponseSeal
    for (axum::http::StatusCode, [(K, V); N], T)
where
    (axum::http::StatusCode, [(K, V); N], T): IntoResponse,
{
    const SEAL: Seal<Self, SafeResponseMark> = Seal::around(response_doors_of::<T>);
}
impl<K, V, T: SafeResponse, const N: usize> SafeResponse
    for (axum::http::StatusCode, [(K, V); N], T)
where
    (axum::http::StatusCode, [(K, V); N], T): IntoResponse,
{
}

/// Compiles only where `R` is a [`SafeResponse`]: the check that handler macros make on a
/// return type, also usable in tests.
///
/// ```
/// use axum::Json;
/// use palisade::{PublicError, error::require_safe_response};
///
/// #[derive(Debug, PublicError)]
/// enum ApiError {
///     #[problem(status = 500)]
///     Io(#[from] std::io::Error),
/// }
///
/// require_safe_response::<Result<Json<Vec<u32>>, ApiError>>();
/// ```
///
/// ```compile_fail
/// palisade::error::require_safe_response::<Result<String, std::io::Error>>();
/// ```
pub const fn require_safe_response<R: SafeResponse>() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incident_ids_are_random_hex() {
        let (a, b) = (incident_id(), incident_id());
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
