//! The access and input markers the attributes implement and the router requires (DESIGN.md
//! G1, G2).

use axum::response::Response;

use crate::seal::{AccessDecidedSeal, Doors, Seal, TrustedInputSeal, sanitized_doors_of};

/// What an access attribute decided for a handler.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// `#[public(reason = "...")]`.
    Public {
        /// Why anyone may call it.
        reason: &'static str,
    },
    /// `#[requires_auth(...)]`.
    Authenticated {
        /// The rule as written.
        rule: &'static str,
        /// The object-level policy, as written.
        policy: Option<&'static str>,
        /// Why cookie-authenticated writes are not CSRF-checked, if they are not.
        csrf_exempt: Option<&'static str>,
    },
}

/// The marker of `#[public]` and `#[requires_auth]` handlers: the only handlers the secure
/// router takes.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "handler has no access decision: add `#[requires_auth(...)]` or `#[public(reason = \"...\")]`",
    label = "this handler says nothing about who may call it",
    note = "palisade's router takes only handlers whose attribute decides their access; a plain `async fn` can go on axum's own router, outside palisade's guarantees"
)]
pub trait AccessDecided: AccessDecidedSeal {
    /// The decision.
    const ACCESS: Access;

    /// The doors its arguments and return type open (`#[palisade::trusted(...)]`).
    fn doors(doors: &mut Doors);
}

/// The extractor marker of decided handlers.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Decided;

/// A handler argument that carries no raw request data (G2).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` hands the handler unchecked request data",
    label = "take a validated extractor instead",
    note = "request data reaches a palisade handler only as `Valid<Json<T>>`, `Valid<Query<T>>`, `Valid<Form<T>>` or `Valid<Path<T>>` of a `#[derive(Sanitized)]` type; `State`, `RequestId` and `CspNonce` are accepted as they are; credentials come through the authenticated principal, not `HeaderMap`; an extractor of your own that carries no raw request data needs `#[palisade::trusted(input, reason = \"...\")]`"
)]
pub trait TrustedInput: TrustedInputSeal {}

/// palisade's own trusted arguments, each with its seal: `[generics] type => the doors inside`.
macro_rules! trusted_inputs {
    ($($(#[$cfg:meta])* [$($generics:tt)*] $ty:ty => $doors:expr),* $(,)?) => {$(
        $(#[$cfg])*
        impl<$($generics)*> TrustedInputSeal for $ty {
            const SEAL: Seal = $doors;
        }
        $(#[$cfg])*
        impl<$($generics)*> TrustedInput for $ty {}
    )*};
}

trusted_inputs!(
    [T: crate::Sanitized] crate::Valid<axum::Json<T>> => Seal::around(sanitized_doors_of::<T>),
    [T: crate::Sanitized] crate::Valid<axum::extract::Query<T>>
        => Seal::around(sanitized_doors_of::<T>),
    [T: crate::Sanitized] crate::Valid<axum::Form<T>> => Seal::around(sanitized_doors_of::<T>),
    [T: crate::Sanitized] crate::Valid<axum::extract::Path<T>>
        => Seal::around(sanitized_doors_of::<T>),
    [S] axum::extract::State<S> => Seal::PALISADE,
    [] axum::Extension<crate::layers::RequestId> => Seal::PALISADE,
    [] axum::Extension<crate::csp::CspNonce> => Seal::PALISADE,
    #[cfg(any(feature = "jwt", feature = "session"))]
    [P] crate::auth::Auth<P> => Seal::PALISADE,
    #[cfg(feature = "session")]
    [] crate::session::Session => Seal::PALISADE,
    #[cfg(feature = "session")]
    [] crate::session::ClientAddr => Seal::PALISADE,
);

/// Compiles only where `T` is a trusted argument; the error lands on the argument's type.
#[doc(hidden)]
pub const fn assert_trusted_input<T: TrustedInput>() {}

/// Answers a handler's output, which must be a safe response; the error lands on the return
/// type.
#[doc(hidden)]
pub fn into_safe_response<R: crate::error::SafeResponse>(output: R) -> Response {
    axum::response::IntoResponse::into_response(output)
}
