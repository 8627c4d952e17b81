//! Content-Security-Policy: checked when the code compiles (`csp!`) or when a typed policy is
//! built ([`Policy`]), with fresh nonces per response.
//!
//! ```
//! use palisade::csp;
//!
//! let policy = csp!("default-src 'self'; script-src 'self' 'nonce'; img-src 'self' data:");
//! assert!(policy.has_nonce());
//! ```
//!
//! `'nonce'` stands for the nonce of each response: the secure stack draws 128 random bits per
//! request, writes them into the header as `'nonce-…'`, and hands them to the handler as a
//! [`CspNonce`] extension for its `<script nonce="…">`. A nonce written out in the policy is
//! refused, since it would be the same on every response. `'unsafe-inline'` and
//! `'unsafe-eval'` are refused unless the macro is told so by name: `csp!(unsafe_inline, "…")`.

use std::borrow::Cow;

use axum::response::{IntoResponseParts, ResponseParts};
use palisade_csp_grammar as grammar;

pub use grammar::Allow;

/// A checked Content-Security-Policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Csp {
    text: Cow<'static, str>,
    nonce: bool,
}

impl Csp {
    /// What `csp!` expands to, after checking the policy when the code compiled. Called by hand,
    /// it would make a policy that nothing checked: the compiler warns.
    #[doc(hidden)]
    #[deprecated(
        note = "a policy from anywhere but `csp!` or `Csp::parse` is unchecked: write `palisade::csp!(\"...\")`"
    )]
    pub const fn __checked(text: &'static str, nonce: bool) -> Self {
        Self::checked(text, nonce)
    }

    /// A policy that was checked: by `csp!` when the code compiled, or palisade's own default.
    pub(crate) const fn checked(text: &'static str, nonce: bool) -> Self {
        Self {
            text: Cow::Borrowed(text),
            nonce,
        }
    }

    /// Checks a policy written out at run time (read from configuration, say).
    ///
    /// # Errors
    ///
    /// What `csp!` would refuse: an unknown directive, a malformed source, a fixed nonce,
    /// `'unsafe-inline'` or `'unsafe-eval'` unless `allow` opts into them.
    pub fn parse(policy: &str, allow: Allow) -> Result<Self, CspError> {
        let checked = grammar::check(policy, allow).map_err(CspError)?;
        Ok(Self {
            text: Cow::Owned(checked.text),
            nonce: checked.nonce,
        })
    }

    /// The policy as written in the header, with `'nonce'` where each response's nonce goes.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the policy asks for a nonce per response.
    pub fn has_nonce(&self) -> bool {
        self.nonce
    }

    /// The header value for one response, its nonce put in.
    pub(crate) fn render(&self, nonce: Option<&CspNonce>) -> String {
        match nonce {
            Some(nonce) => self
                .text
                .replace("'nonce'", &format!("'nonce-{}'", nonce.as_str())),
            None => self.text.clone().into_owned(),
        }
    }
}

/// A response's own policy, given by its handler as a [`Csp`] response part: the secure stack
/// sends it in place of its own.
#[derive(Clone, Debug)]
pub(crate) struct ResponsePolicy(pub(crate) Csp);

/// A handler gives one response a policy of its own (stricter, say, for a page that runs no
/// script) by returning the `Csp` beside the body. A `Content-Security-Policy` header written by
/// hand is refused by the secure stack: a policy reaches the client only as a checked `Csp`.
///
/// ```
/// use axum::http::StatusCode;
/// use palisade::csp;
/// use palisade::csp::Csp;
///
/// async fn export() -> (StatusCode, Csp, &'static str) {
///     (StatusCode::OK, csp!("default-src 'none'"), "plain")
/// }
/// palisade::error::require_safe_response::<(Csp, &'static str)>();
/// ```
impl IntoResponseParts for Csp {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut parts: ResponseParts) -> Result<ResponseParts, Self::Error> {
        parts.extensions_mut().insert(ResponsePolicy(self));
        Ok(parts)
    }
}

/// Why a policy was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CspError(String);

impl std::fmt::Display for CspError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CspError {}

/// The nonce of the response being made: put it in `<script nonce="…">` and `<style nonce="…">`.
/// Present in the request's extensions when the policy holds `'nonce'`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CspNonce(String);

impl CspNonce {
    pub(crate) fn fresh() -> Self {
        Self(crate::error::incident_id())
    }

    /// The nonce, as it appears in the header (`'nonce-…'`) and in the markup.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A source of a typed [`Policy`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// `'self'`: the page's own origin.
    SelfOrigin,
    /// `'none'`: nothing.
    None,
    /// `'nonce'`: the nonce of each response.
    Nonce,
    /// `'strict-dynamic'`: scripts that trusted scripts load.
    StrictDynamic,
    /// A scheme, such as `https:` or `data:` (give it without the colon).
    Scheme(Cow<'static, str>),
    /// A host source, such as `https://cdn.example.com`.
    Host(Cow<'static, str>),
    /// `'sha256-…'`, the base64 digest of an inline script or style.
    Sha256(Cow<'static, str>),
}

impl Source {
    fn write(&self, out: &mut String) {
        match self {
            Source::SelfOrigin => out.push_str("'self'"),
            Source::None => out.push_str("'none'"),
            Source::Nonce => out.push_str("'nonce'"),
            Source::StrictDynamic => out.push_str("'strict-dynamic'"),
            Source::Scheme(scheme) => {
                out.push_str(scheme);
                out.push(':');
            }
            Source::Host(host) => out.push_str(host),
            Source::Sha256(digest) => {
                out.push_str("'sha256-");
                out.push_str(digest);
                out.push('\'');
            }
        }
    }
}

/// A policy built in code, directive by directive, checked by [`build`](Policy::build). It has
/// no way to say `'unsafe-inline'` or `'unsafe-eval'`: write those with `csp!` and their name.
///
/// ```
/// use palisade::csp::{Policy, Source};
///
/// let csp = Policy::new()
///     .directive("default-src", [Source::SelfOrigin])
///     .directive("script-src", [Source::SelfOrigin, Source::Nonce])
///     .directive("img-src", [Source::SelfOrigin, Source::Scheme("data".into())])
///     .flag("upgrade-insecure-requests")
///     .build()
///     .unwrap();
/// assert_eq!(
///     csp.as_str(),
///     "default-src 'self'; script-src 'self' 'nonce'; img-src 'self' data:; upgrade-insecure-requests; base-uri 'self'"
/// );
/// assert!(Policy::new().directive("scripts-src", [Source::SelfOrigin]).build().is_err());
/// ```
#[derive(Clone, Debug, Default)]
pub struct Policy {
    text: String,
}

impl Policy {
    /// An empty policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a directive with its sources.
    #[must_use]
    pub fn directive(mut self, name: &str, sources: impl IntoIterator<Item = Source>) -> Self {
        self.separate();
        self.text.push_str(name);
        for source in sources {
            self.text.push(' ');
            source.write(&mut self.text);
        }
        self
    }

    /// Adds a directive without sources, such as `upgrade-insecure-requests`.
    #[must_use]
    pub fn flag(mut self, name: &str) -> Self {
        self.separate();
        self.text.push_str(name);
        self
    }

    fn separate(&mut self) {
        if !self.text.is_empty() {
            self.text.push_str("; ");
        }
    }

    /// Checks the policy.
    ///
    /// # Errors
    ///
    /// An unknown directive, a malformed host or scheme, `'none'` beside other sources.
    pub fn build(self) -> Result<Csp, CspError> {
        Csp::parse(&self.text, Allow::default())
    }
}
