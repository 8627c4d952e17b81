//! # Palisade
//!
//! Backend security that the compiler checks. Request types derive [`Sanitized`]: every field
//! gets a rule or an explicit, reasoned opt-out, every string and collection gets an upper size
//! bound, and a rule that does not fit a field's type is a compile error. The [`Valid`]
//! extractors deserialize, sanitize and validate before a handler sees the input, and answer
//! bad input with `application/problem+json` that never echoes it.
//!
//! ```
//! use palisade::Sanitized;
//!
//! #[derive(Sanitized)]
//! struct NewNote {
//!     #[clean(trim, strip_control, collapse_whitespace)]
//!     #[validate(length(min = 1, max = 200))]
//!     title: String,
//!     #[validate(length(max = 10), each(length(min = 1, max = 32)))]
//!     tags: Vec<String>,
//! }
//!
//! let mut note = NewNote { title: "  Shopping \t list ".into(), tags: vec!["home".into()] };
//! note.sanitize_and_validate().unwrap();
//! assert_eq!(note.title, "Shopping list");
//! ```
//!
//! Secrets are marked once with [`#[derive(Redact)]`](Redact) and `#[redact(...)]`, or held in a
//! [`SecretString`], and every channel — `Debug`, `Display`, `Serialize`, tracing events, panics,
//! errors — shows the mask; a field whose name says it is secret must be masked.
//!
//! A field left undecided does not compile:
//!
//! ```compile_fail
//! #[derive(palisade::Sanitized)]
//! struct Login {
//!     #[validate(email, length(max = 254))]
//!     email: String,
//!     remember_me: bool, // error: field `remember_me` has no validation rule
//! }
//! ```
//!
//! ## Reference
//!
//! Each macro's page holds its attributes, its rules and the errors it gives:
//!
//! - [`#[derive(Sanitized)]`](macro@Sanitized): sanitizers, validators, size bounds.
//! - [`#[derive(Redact)]`](macro@Redact): masking strategies and secret types.
//! - [`#[derive(PublicError)]`](macro@PublicError): error enums that answer as problem+json
//!   without leaking internals, and the [`SafeResponse`](error::SafeResponse) bound on handlers' returns.
//! - [`csp!`](macro@csp): a Content-Security-Policy checked when the code compiles.
//! - [`#[public]`](macro@public) and [`#[requires_auth]`](macro@requires_auth): the access
//!   decision every handler on palisade's [`Router`] has, the arguments and returns it may
//!   have, roles, scopes, object-level policies and audit events.
//! - [`#[csrf_exempt]`](macro@csrf_exempt): waiving the CSRF check of a session-authenticated
//!   handler.
//!
//! The modules hold the rest: [`layers`] (the secure default stack: headers, limits, CORS),
//! [`jwt`], [`password`], [`session`] (cookie sessions, CSRF, login throttling), [`csp`](mod@csp),
//! [`page`] (HTML pages), [`auth`] (principals), [`sanitize`] and [`redact`].
//!
//! ## Features
//!
//! - `axum` (default): the validated extractors and problem+json rejections.
//! - `html` (default): the `html` sanitizer for rich text (ammonia).
//! - `card`: the `credit_card` validator.
//! - `jwt`: bearer JWT settings and checks ([`jwt`]).
//! - `password`: the password policy rule and Argon2id hashing ([`password`]).
//! - `session`: cookie sessions, CSRF checks and login throttling ([`session`]).
//! - `redis`: the Redis store of sessions and throttles.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "axum")]
mod hex;
mod problem;
pub mod redact;
mod rules;
pub mod sanitize;
mod sanitized;
mod seal;
pub mod secret;
pub mod validate;

#[cfg(all(feature = "axum", any(feature = "jwt", feature = "session")))]
pub mod auth;
#[cfg(feature = "axum")]
pub mod csp;
#[cfg(feature = "axum")]
pub mod error;
#[cfg(feature = "axum")]
pub mod extract;
#[cfg(feature = "jwt")]
#[doc = include_str!("../docs/jwt.md")]
pub mod jwt;
#[cfg(feature = "axum")]
#[doc = include_str!("../docs/layers.md")]
pub mod layers;
#[cfg(all(feature = "axum", feature = "html"))]
pub mod page;
#[cfg(feature = "password")]
#[doc = include_str!("../docs/password.md")]
pub mod password;
#[cfg(feature = "axum")]
pub mod router;
#[cfg(feature = "session")]
#[doc = include_str!("../docs/session.md")]
pub mod session;

// The crate root holds what a handler's author writes; the rest is in the modules above.
#[cfg(feature = "axum")]
pub use error::PublicError;
#[cfg(feature = "axum")]
pub use extract::Valid;
// Each macro is re-exported with the feature its generated code needs, so a build without that
// feature has no macro that would expand into paths that do not exist.
#[cfg(feature = "axum")]
#[doc = include_str!("../docs/public_error.md")]
pub use palisade_macros::PublicError;
#[doc = include_str!("../docs/redact.md")]
pub use palisade_macros::Redact;
#[doc = include_str!("../docs/sanitized.md")]
pub use palisade_macros::Sanitized;
#[cfg(feature = "axum")]
#[doc = include_str!("../docs/csp.md")]
pub use palisade_macros::csp;
#[cfg(all(feature = "axum", any(feature = "jwt", feature = "session")))]
#[doc = include_str!("../docs/csrf_exempt.md")]
pub use palisade_macros::csrf_exempt;
/// A piece of an HTML page written in the program, checked when the code compiles: it starts
/// and ends in element content, so that text a page adds after it is escaped text, never an
/// attribute; it opens no `<script>`, `<style>` or other element whose content is not HTML
/// text. See [`page`](mod@crate::page). With the `axum` and `html` features (both on by
/// default).
///
/// ```
/// let heading = palisade::markup!("<h1 class=\"title\">");
/// assert_eq!(heading.as_str(), "<h1 class=\"title\">");
/// ```
///
/// ```compile_fail
/// let open = palisade::markup!("<a href=\""); // error: close the tag in `markup!`
/// ```
///
/// ```compile_fail
/// let script = palisade::markup!("<script>"); // error: use `HtmlPage::script`
/// ```
#[cfg(all(feature = "axum", feature = "html"))]
pub use palisade_macros::markup;
#[cfg(feature = "axum")]
#[doc = include_str!("../docs/public.md")]
pub use palisade_macros::public;
#[cfg(all(feature = "axum", any(feature = "jwt", feature = "session")))]
#[doc = include_str!("../docs/requires_auth.md")]
pub use palisade_macros::requires_auth;
#[doc = include_str!("../docs/trusted.md")]
pub use palisade_macros::trusted;
pub use problem::Problem;
pub use redact::Redact;
#[cfg(feature = "axum")]
pub use router::Router;
pub use sanitized::Sanitized;
pub use secret::{SecretBox, SecretString};

/// What the generated code uses, and nothing else: the macros name every item through this
/// module, so that a user's own paths and the public modules can change without breaking them.
/// Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use crate::redact::{
        EmailMaskable, Full, Maskable, MaskedRef, Redact, ResponseBody, Strategy,
        assert_email_maskable, assert_redact, assert_secret_type,
    };
    #[cfg(feature = "card")]
    pub use crate::rules::credit_card;
    pub use crate::rules::{
        ContainsRule, CreditCardRule, Dive, Elements, EmailField, EmailRule, IpRule, IpVersion,
        KeepEmailText, LengthRule, LengthUnit, MapEmailText, MapKeys, NonControlRule, OneOfRule,
        PasswordRule, RangeRule, RegexRule, RequiredRule, Text, TextMut, UnlikeRule, UrlRule,
        contains, does_not_contain, each, email, ip, keys, length, must_match,
        non_control_character, one_of, password, password_unlike, range, regex, required,
        sanitize_text, sanitize_text_within, url,
    };
    pub use crate::sanitize;
    pub use crate::sanitized::Sanitized;
    pub use crate::seal::{
        AccessDecidedMark, AccessDecidedSeal, BoundedDoors, BoundedMark, BoundedSeal, Door,
        DoorKind, Doors, InputDoors, NestedSanitized, NoBoundedDoors, NoInputDoors,
        NoResponseDoors, NoSanitizedDoors, NotNested, NotOutOfReach, OutOfReachSanitized, Probe,
        PublicErrorMark, PublicErrorSeal, RedactMark, RedactSeal, ResponseBodyMark,
        ResponseBodySeal, ResponseDoors, SafeResponseMark, SafeResponseSeal, SanitizedDoors,
        SanitizedMark, SanitizedSeal, Seal, TrustedInputMark, TrustedInputSeal, no_doors,
        require_dive_decided, require_reach_decided,
    };
    pub use crate::secret::expose::{ExposeForSerialize, Exposed};
    pub use crate::validate::bounded::{
        Bounded, BoundedByLength, assert_bounded, assert_bounded_by_length,
    };
    pub use crate::validate::{FieldPath, ValidationErrors};
    pub use regex::Regex;
    pub use serde;
    pub use std::sync::LazyLock;

    #[cfg(feature = "axum")]
    pub use crate::csp::Csp;
    #[cfg(feature = "axum")]
    pub use crate::error::respond::{AsDynError, respond};
    #[cfg(feature = "axum")]
    pub use crate::error::{Level, PublicError, SERVER_ERROR_DETAIL, SafeResponse};
    #[cfg(all(feature = "axum", feature = "html"))]
    pub use crate::page::Markup;
    #[cfg(feature = "axum")]
    pub use crate::router::access::{
        Access, AccessDecided, Decided, PolicyAnswer, PolicyFn, PolicySignature, TrustedInput,
        assert_trusted_input, into_safe_response,
    };
    #[cfg(feature = "axum")]
    pub use crate::router::csrf::public_write;
    #[cfg(feature = "session")]
    pub use crate::session::csrf::public_session_write;
    #[cfg(feature = "axum")]
    pub use axum;

    #[cfg(all(feature = "axum", any(feature = "jwt", feature = "session")))]
    pub use crate::auth::{
        AuditResource, Gate, Principal, ProvidesAuth, authorize, pending, resource,
    };
}
