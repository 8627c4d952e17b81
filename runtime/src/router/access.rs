//! The access and input markers the attributes implement and the router requires (DESIGN.md
//! G1, G2).

use axum::response::Response;

use crate::seal::{
    AccessDecidedSeal, Doors, Seal, TrustedInputMark, TrustedInputSeal, sanitized_doors_of,
};

/// What an access attribute decided for a handler.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// `#[public(reason = "...")]`.
    Public {
        /// Why anyone may call it.
        reason: &'static str,
        /// Whether its writes are CSRF-checked (it takes the session or a form body).
        csrf_checked: bool,
        /// Why its writes are not, if they would be and `#[csrf_exempt]` waives it.
        csrf_exempt: Option<&'static str>,
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
    message = "handler has no access decision: write it as a named `async fn` with `#[requires_auth(...)]` or `#[public(reason = \"...\")]`",
    label = "this handler says nothing about who may call it",
    note = "palisade's router takes only handlers whose attribute decides their access; a closure cannot carry the attribute, so give it a name; a plain `async fn` can go on axum's own router, outside palisade's guarantees"
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

/// A value that palisade's own stack puts in the request extensions, so `Extension<T>` of it
/// is a trusted argument. A value some other layer put there is request data palisade did not
/// check, and the user it names comes through `Auth<P>` instead.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`Extension<{Self}>` hands the handler a value that a layer palisade did not check put in the request",
    label = "take the authenticated principal with `Auth<P>`, or shared state with `State<S>`",
    note = "the calling user reaches a palisade handler only as its `Principal`, verified by palisade: `#[requires_auth(P)]` with an `Auth<P>` argument; shared services (a database pool) come through `State<S>`; of the request extensions only palisade's own `RequestId` and `CspNonce` are accepted; an extractor of your own that carries no raw request data needs `#[palisade::trusted(input, reason = \"...\")]`"
)]
pub trait PalisadeExtension: sealed::Sealed {}

impl PalisadeExtension for crate::layers::RequestId {}
impl PalisadeExtension for crate::csp::CspNonce {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::layers::RequestId {}
    impl Sealed for crate::csp::CspNonce {}
}

/// palisade's own trusted arguments, each with its seal: `[generics] type => the doors inside`.
macro_rules! trusted_inputs {
    ($($(#[$cfg:meta])* [$($generics:tt)*] $ty:ty => $doors:expr),* $(,)?) => {$(
        $(#[$cfg])*
        impl<$($generics)*> TrustedInputSeal for $ty {
            const SEAL: Seal<Self, TrustedInputMark> = $doors;
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
    [T: PalisadeExtension] axum::Extension<T> => Seal::PALISADE,
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

/// An object-level policy of a `#[requires_auth]` handler: a function of a reference to the
/// principal and of a reference to each argument the attribute names, in that order, that
/// answers `bool`. `Expected` is those references, `Sig` the signature spelt out for the error
/// message, `Actual` the function's own parameters and return type, inferred, so that a
/// mismatch is one error that names the right signature.
#[doc(hidden)]
pub trait PolicyFn<Expected, Sig, Actual> {
    /// Whether the policy lets the principal act on the arguments.
    fn allows(&self, expected: Expected) -> bool;
}

/// A policy's parameters and return type, as written, compared with the ones it must have.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "this policy must be a function `{Sig}`",
    label = "the principal first, then each argument named in `policy = ...` in that order, all by reference; it answers `bool`"
)]
pub trait PolicySignature<Expected, Sig> {
    /// The parameters, from the expected ones (the same values).
    fn parameters(expected: Expected) -> Self;
}

/// A policy's answer: `bool`, and nothing else (an `async fn` answers a future).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "this policy must be a function `{Sig}`",
    label = "it answers `{Self}`, where a policy answers `bool`",
    note = "an `async fn` policy is awaited in the attribute: `policy = name(arguments).await`"
)]
pub trait PolicyAnswer<Sig> {
    /// Whether it allows.
    fn allowed(self) -> bool;
}

impl<Sig> PolicyAnswer<Sig> for bool {
    fn allowed(self) -> bool {
        self
    }
}

impl<T, Sig> PolicySignature<T, Sig> for T {
    fn parameters(expected: T) -> T {
        expected
    }
}

/// One impl per number of arguments a policy names.
macro_rules! policy_fns {
    ($(($($argument:ident $given:ident $value:ident),*)),* $(,)?) => {$(
        impl<'a, F, P, Sig, Given, $($argument: 'a, $given,)* R>
            PolicyFn<(&'a P, $(&'a $argument,)*), Sig, ((Given, $($given,)*), R)> for F
        where
            F: Fn(Given, $($given),*) -> R,
            R: PolicyAnswer<Sig>,
            (Given, $($given,)*): PolicySignature<(&'a P, $(&'a $argument,)*), Sig>,
        {
            fn allows(&self, expected: (&'a P, $(&'a $argument,)*)) -> bool {
                let (principal, $($value,)*) = <(Given, $($given,)*)>::parameters(expected);
                self(principal, $($value),*).allowed()
            }
        }
    )*};
}

policy_fns!(
    (),
    (A GA a),
    (A GA a, B GB b),
    (A GA a, B GB b, C GC c),
    (A GA a, B GB b, C GC c, D GD d),
    (A GA a, B GB b, C GC c, D GD d, E GE e),
);
