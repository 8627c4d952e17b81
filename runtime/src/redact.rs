//! Masking strategies behind `#[redact(...)]` (DESIGN.md G4).
//!
//! `#[derive(Redact)]` writes a type's `Debug`, `Serialize` and, where asked, `Display`; each
//! redacted field goes through one of these strategies in every one of them, so the value never
//! reaches a log line, a tracing event, a panic message or a response.
//!
//! | strategy | attribute | `"4111111111111111"` becomes |
//! |---|---|---|
//! | full | `#[redact]` | `[REDACTED]` |
//! | partial | `#[redact(partial(last = 4))]` | `****1111` (below `min` characters: `[REDACTED]`) |
//! | fixed width | `#[redact(fixed)]`, `#[redact(fixed(width = 6))]` | `********` (the length does not show) |
//! | email | `#[redact(email)]` | `ada@example.com` → `a***@example.com` |
//! | fingerprint | `#[redact(fingerprint)]` | `fp:3f9a0c1d2b4e5f60` (keyed HMAC-SHA-256, see [`set_fingerprint_key`]) |

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet, VecDeque};
use std::fmt;
use std::rc::Rc;
use std::sync::{Arc, OnceLock};

use hmac::{Hmac, Mac};
use secrecy::zeroize::Zeroize;
use serde::{Serialize, Serializer};
use sha2::Sha256;

pub use crate::secret::MASK;
use crate::secret::{ExposeSecret, SecretBox};

/// A type whose `Debug`, `Serialize` and `Display` mask its redacted fields: implemented by
/// `#[derive(Redact)]`, which writes those impls.
///
/// `#[derive(Sanitized)]` requires it of a type with `#[redact]` fields, so that the marks are
/// never left to a `#[derive(Debug)]` that would ignore them.
///
/// ```
/// use palisade::Redact;
///
/// #[derive(Redact)]
/// #[redact(display = "{name} <{email}>")]
/// struct Customer {
///     name: String,
///     #[redact(email)]
///     email: String,
///     #[redact(partial(last = 4))]
///     card_number: String,
///     #[redact]
///     password: String,
/// }
///
/// let ada = Customer {
///     name: "Ada".into(),
///     email: "ada@example.com".into(),
///     card_number: "4111111111111111".into(),
///     password: "correct horse".into(),
/// };
/// assert_eq!(
///     format!("{ada:?}"),
///     r#"Customer { name: "Ada", email: a***@example.com, card_number: ****1111, password: [REDACTED] }"#
/// );
/// assert_eq!(ada.to_string(), "Ada <a***@example.com>");
/// assert_eq!(
///     serde_json::to_string(&ada).unwrap(),
///     r#"{"name":"Ada","email":"a***@example.com","card_number":"****1111","password":"[REDACTED]"}"#
/// );
/// ```
///
/// A sensitive field name left unmasked does not compile:
///
/// ```compile_fail
/// #[derive(palisade::Redact)]
/// struct Login {
///     api_key: String, // error: field `api_key` has a sensitive name
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has `#[redact]` fields but does not derive `Redact`",
    label = "nothing masks these fields",
    note = "add `#[derive(palisade::Redact)]` to `{Self}`: it writes the `Debug` and `Serialize` that mask them (and remove `#[derive(Debug)]` and `#[derive(Serialize)]`)"
)]
pub trait Redact: crate::seal::RedactSeal {}

/// A masking strategy other than the full mask, with its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// The first `first` and last `last` characters, with `****` between; `[REDACTED]` when
    /// the text has fewer than `min` characters.
    Partial {
        /// Characters shown at the start.
        first: usize,
        /// Characters shown at the end.
        last: usize,
        /// Fewer characters than this, and nothing is shown.
        min: usize,
    },
    /// `width` asterisks, whatever the value.
    Fixed {
        /// How many asterisks.
        width: usize,
    },
    /// The first character of the local part, `***`, and the domain.
    Email,
    /// `fp:` and 16 hex digits of a keyed HMAC-SHA-256 of the value.
    Fingerprint,
}

/// Writes the part of a value that a mask reveals, escaping what could forge or hide text in
/// a log line: control characters (newlines included), bidirectional controls and invisible
/// characters become `\u{..}`, and the escape character itself is doubled.
fn write_revealed(text: &str, out: &mut dyn fmt::Write) -> fmt::Result {
    for c in text.chars() {
        if c.is_control() || crate::sanitize::is_invisible(c) {
            write!(out, "\\u{{{:x}}}", u32::from(c))?;
        } else if c == '\\' {
            out.write_str("\\\\")?;
        } else {
            out.write_char(c)?;
        }
    }
    Ok(())
}

/// The domain an `email` mask may show: a host name (letters, digits, `.`, `-`, at most 253
/// characters); anything else is not shown.
fn shown_domain(domain: &str) -> bool {
    !domain.is_empty()
        && domain.chars().count() <= 253
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// Writes the mask of `text` under `strategy`.
fn write_mask(text: &str, strategy: Strategy, out: &mut dyn fmt::Write) -> fmt::Result {
    match strategy {
        Strategy::Partial { first, last, min } => {
            let count = text.chars().count();
            if count < min || count <= first + last {
                return out.write_str(MASK);
            }
            let head_end = text
                .char_indices()
                .nth(first)
                .map_or(text.len(), |(i, _)| i);
            let tail_start = text
                .char_indices()
                .nth(count - last)
                .map_or(text.len(), |(i, _)| i);
            write_revealed(&text[..head_end], out)?;
            out.write_str("****")?;
            write_revealed(&text[tail_start..], out)
        }
        Strategy::Fixed { width } => {
            for _ in 0..width {
                out.write_char('*')?;
            }
            Ok(())
        }
        Strategy::Email => match text.rsplit_once('@') {
            Some((local, domain)) if shown_domain(domain) => {
                match local.chars().next().filter(|c| c.is_alphanumeric()) {
                    Some(initial) => write!(out, "{initial}***@{domain}"),
                    None => out.write_str(MASK),
                }
            }
            _ => out.write_str(MASK),
        },
        Strategy::Fingerprint => {
            let mut mac = Hmac::<Sha256>::new_from_slice(fingerprint_key())
                .expect("HMAC takes a key of any length");
            mac.update(text.as_bytes());
            let digest = mac.finalize().into_bytes();
            out.write_str("fp:")?;
            for byte in &digest[..8] {
                write!(out, "{byte:02x}")?;
            }
            Ok(())
        }
    }
}

static FINGERPRINT_KEY: OnceLock<[u8; 32]> = OnceLock::new();

fn fingerprint_key() -> &'static [u8; 32] {
    FINGERPRINT_KEY.get_or_init(|| {
        let mut key = [0; 32];
        getrandom::fill(&mut key).expect("the operating system's random source is available");
        key
    })
}

/// Sets the key of the `fingerprint` strategy, so that processes sharing it fingerprint a
/// value alike (by default each process draws a random key, and its fingerprints match only
/// each other). Call it once, before the first fingerprint; it returns `false`, changing
/// nothing, if a key is in use already.
///
/// ```
/// assert!(palisade::redact::set_fingerprint_key([7; 32]));
/// assert!(!palisade::redact::set_fingerprint_key([8; 32]));
/// ```
pub fn set_fingerprint_key(key: [u8; 32]) -> bool {
    FINGERPRINT_KEY.set(key).is_ok()
}

/// Values a strategy other than the full mask can show part of: text, numbers and secret
/// texts, and `Option`s and sequences of them.
#[diagnostic::on_unimplemented(
    message = "this masking strategy does not apply to `{Self}`",
    label = "not text, a number, or an `Option` or sequence of them",
    note = "`partial`, `fixed`, `email` and `fingerprint` mask text (`String`, `&str`, `SecretString`), numbers, and `Option`s and sequences of them; use `#[redact]` (the full mask) for any other type"
)]
pub trait Maskable {
    /// Writes the mask for `Debug` and `Display`.
    fn fmt_masked(&self, strategy: Strategy, f: &mut fmt::Formatter<'_>) -> fmt::Result;
    /// Serializes the mask.
    fn serialize_masked<S: Serializer>(
        &self,
        strategy: Strategy,
        serializer: S,
    ) -> Result<S::Ok, S::Error>;
}

/// Text the `email` strategy reads: the masks of numbers would say nothing useful.
#[diagnostic::on_unimplemented(
    message = "`email` masks text, and `{Self}` is not text",
    label = "not text, or an `Option` or sequence of text",
    note = "use `#[redact]`, `partial`, `fixed` or `fingerprint` for this field"
)]
pub trait EmailMaskable: Maskable {}

/// The mask of one piece of text, written without an allocation.
struct TextMask<'a> {
    text: &'a str,
    strategy: Strategy,
}

impl fmt::Display for TextMask<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_mask(self.text, self.strategy, f)
    }
}

macro_rules! text_maskable {
    ($([$($generics:tt)*] $ty:ty => |$value:ident| $text:expr),* $(,)?) => {$(
        impl<$($generics)*> Maskable for $ty {
            fn fmt_masked(&self, strategy: Strategy, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let $value = self;
                write_mask($text, strategy, f)
            }
            fn serialize_masked<Ser: Serializer>(
                &self,
                strategy: Strategy,
                serializer: Ser,
            ) -> Result<Ser::Ok, Ser::Error> {
                let $value = self;
                serializer.collect_str(&TextMask { text: $text, strategy })
            }
        }
        impl<$($generics)*> EmailMaskable for $ty {}
    )*};
}
text_maskable!(
    [] str => |value| value,
    [] String => |value| value,
    [] Box<str> => |value| value,
    [] Arc<str> => |value| value,
    [] Rc<str> => |value| value,
    [] Cow<'_, str> => |value| value,
    [] SecretBox<str> => |value| value.expose_secret(),
    [] secrecy::SecretBox<str> => |value| value.expose_secret(),
);

macro_rules! number_maskable {
    ($($ty:ty),*) => {$(
        impl Maskable for $ty {
            fn fmt_masked(&self, strategy: Strategy, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut text = self.to_string();
                let written = write_mask(&text, strategy, f);
                text.zeroize();
                written
            }
            fn serialize_masked<Ser: Serializer>(
                &self,
                strategy: Strategy,
                serializer: Ser,
            ) -> Result<Ser::Ok, Ser::Error> {
                let mut text = self.to_string();
                let written = serializer.collect_str(&TextMask { text: &text, strategy });
                text.zeroize();
                written
            }
        }
    )*};
}
number_maskable!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64
);

impl<T: Maskable + ?Sized> Maskable for &T {
    fn fmt_masked(&self, strategy: Strategy, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt_masked(strategy, f)
    }
    fn serialize_masked<Ser: Serializer>(
        &self,
        strategy: Strategy,
        serializer: Ser,
    ) -> Result<Ser::Ok, Ser::Error> {
        (**self).serialize_masked(strategy, serializer)
    }
}
impl<T: EmailMaskable + ?Sized> EmailMaskable for &T {}

impl<T: Maskable> Maskable for Option<T> {
    fn fmt_masked(&self, strategy: Strategy, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Some(value) => f
                .debug_tuple("Some")
                .field(&MaskedRef::new(value, strategy))
                .finish(),
            None => f.write_str("None"),
        }
    }
    fn serialize_masked<Ser: Serializer>(
        &self,
        strategy: Strategy,
        serializer: Ser,
    ) -> Result<Ser::Ok, Ser::Error> {
        match self {
            Some(value) => serializer.serialize_some(&MaskedRef::new(value, strategy)),
            None => serializer.serialize_none(),
        }
    }
}
impl<T: EmailMaskable> EmailMaskable for Option<T> {}

macro_rules! sequence_maskable {
    ($([$($generics:tt)*] $ty:ty),* $(,)?) => {$(
        impl<$($generics)*> Maskable for $ty {
            fn fmt_masked(&self, strategy: Strategy, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list()
                    .entries(self.iter().map(|value| MaskedRef::new(value, strategy)))
                    .finish()
            }
            fn serialize_masked<Ser: Serializer>(
                &self,
                strategy: Strategy,
                serializer: Ser,
            ) -> Result<Ser::Ok, Ser::Error> {
                serializer.collect_seq(self.iter().map(|value| MaskedRef::new(value, strategy)))
            }
        }
        impl<$($generics)*> EmailMaskable for $ty where T: EmailMaskable {}
    )*};
}
sequence_maskable!(
    [T: Maskable] [T],
    [T: Maskable, const N: usize] [T; N],
    [T: Maskable] Vec<T>,
    [T: Maskable] VecDeque<T>,
    [T: Maskable] BTreeSet<T>,
    [T: Maskable, H] HashSet<T, H>,
);

/// A field under a strategy: its `Debug`, `Display` and `Serialize` show the mask.
pub struct MaskedRef<'a, T: ?Sized> {
    value: &'a T,
    strategy: Strategy,
}

// No bound here: whether `T` can be masked is reported once per channel, on the field.
impl<'a, T: ?Sized> MaskedRef<'a, T> {
    /// `value` under `strategy`.
    pub fn new(value: &'a T, strategy: Strategy) -> Self {
        Self { value, strategy }
    }
}

impl<T: Maskable + ?Sized> fmt::Debug for MaskedRef<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt_masked(self.strategy, f)
    }
}

impl<T: Maskable + ?Sized> fmt::Display for MaskedRef<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt_masked(self.strategy, f)
    }
}

impl<T: Maskable + ?Sized> Serialize for MaskedRef<'_, T> {
    fn serialize<Ser: Serializer>(&self, serializer: Ser) -> Result<Ser::Ok, Ser::Error> {
        self.value.serialize_masked(self.strategy, serializer)
    }
}

/// A fully redacted field, of any type: `[REDACTED]` in `Debug`, `Display` and `Serialize`.
#[derive(Clone, Copy)]
pub struct Full;

impl fmt::Debug for Full {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl fmt::Display for Full {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl Serialize for Full {
    fn serialize<Ser: Serializer>(&self, serializer: Ser) -> Result<Ser::Ok, Ser::Error> {
        serializer.serialize_str(MASK)
    }
}

/// Compiles only where `T` can be masked by `email`; the error lands on the field's type.
pub const fn assert_email_maskable<T: EmailMaskable + ?Sized>() {}

/// Compiles only where `T` is a secret type; the error lands on the field's name.
pub const fn assert_secret_type<T: crate::secret::expose::SecretType + ?Sized>() {}

/// Compiles only where `T` derives `Redact`.
pub const fn assert_redact<T: Redact + ?Sized>() {}

impl<S: Zeroize + ?Sized> SecretBox<S> {
    /// The secret under `strategy`, for code that logs a secret field by hand.
    pub fn masked(&self, strategy: Strategy) -> MaskedRef<'_, Self>
    where
        Self: Maskable,
    {
        MaskedRef::new(self, strategy)
    }
}

/// A type a handler may send as a JSON body (DESIGN.md G4 on the way out): a type that derives
/// [`Redact`], so that a field named like a secret (`password_hash`,
/// `api_token`) is masked or refused when the code compiles, as in a request; or plain data:
/// numbers, `bool`, `char`, text, and `Option`s, `Vec`s, slices, sets, maps (text or number
/// keys) and tuples of them. Not `serde_json::Value`, whose keys are only known at run time. A
/// map keyed by text also has its keys chosen at run time: it is allowed as data (counts by
/// tag, say), a door to keep in mind when its keys could name a secret.
///
/// ```
/// use std::collections::BTreeMap;
/// use axum::Json;
/// use palisade::error::require_safe_response;
///
/// #[derive(palisade::Redact)]
/// struct Account {
///     email: String,
///     #[redact]
///     password_hash: String,
/// }
///
/// require_safe_response::<Json<Account>>();
/// require_safe_response::<Json<Vec<Account>>>();
/// require_safe_response::<Json<BTreeMap<String, u64>>>();
/// ```
///
/// A type that only derives `Serialize` would send a `password_hash` field as it is:
///
/// ```compile_fail,E0277
/// #[derive(serde::Serialize)]
/// struct Account {
///     email: String,
///     password_hash: String,
/// }
///
/// palisade::error::require_safe_response::<axum::Json<Account>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a response body palisade checks for secrets: derive `palisade::Redact` on it",
    label = "its fields could carry a secret to the client",
    note = "`#[derive(palisade::Redact)]` writes `Serialize` (and `Debug`) and applies the rule of sensitive names, so a `password_hash` or `api_token` field is masked or refused; numbers, text, and `Option`, `Vec`, maps and tuples of them are allowed as they are; `serde_json::Value` is not, its keys are only known at run time"
)]
pub trait ResponseBody: serde::Serialize + crate::seal::ResponseBodySeal {}

/// Plain data that carries no field names: its own body.
macro_rules! plain_bodies {
    ($([$($generics:tt)*] $ty:ty),* $(,)?) => {$(
        impl<$($generics)*> crate::seal::ResponseBodySeal for $ty {
            const SEAL: crate::seal::Seal<Self, crate::seal::ResponseBodyMark> = crate::seal::Seal::PALISADE;
        }
        impl<$($generics)*> ResponseBody for $ty {}
    )*};
}

plain_bodies!(
    [] (),
    [] bool,
    [] char,
    [] u8,
    [] u16,
    [] u32,
    [] u64,
    [] u128,
    [] usize,
    [] i8,
    [] i16,
    [] i32,
    [] i64,
    [] i128,
    [] isize,
    [] f32,
    [] f64,
    [] String,
    [] str,
    [] std::borrow::Cow<'_, str>,
    [T: ResponseBody] Option<T>,
    [T: ResponseBody] Vec<T>,
    [T: ResponseBody] std::collections::VecDeque<T>,
    [T: ResponseBody] [T],
    [T: ResponseBody + ?Sized] &T,
    [T: ResponseBody + ?Sized] Box<T>,
    [T: ResponseBody + Ord] std::collections::BTreeSet<T>,
    [T: ResponseBody + Eq + std::hash::Hash, S] std::collections::HashSet<T, S>,
    [K: MapKey, V: ResponseBody] std::collections::BTreeMap<K, V>,
    [K: MapKey, V: ResponseBody, S] std::collections::HashMap<K, V, S>,
    [A: ResponseBody] (A,),
    [A: ResponseBody, B: ResponseBody] (A, B),
    [A: ResponseBody, B: ResponseBody, C: ResponseBody] (A, B, C),
    [A: ResponseBody, B: ResponseBody, C: ResponseBody, D: ResponseBody] (A, B, C, D),
);

/// A map key of a response body: text or a number, which serializes as a JSON key. Its values
/// are data, not field names the rule could read.
#[doc(hidden)]
pub trait MapKey: serde::Serialize + map_key::Sealed {}

mod map_key {
    /// Implemented by the key types palisade lists, and by no other.
    pub trait Sealed {}
}

macro_rules! map_keys {
    ($($ty:ty),* $(,)?) => {$(
        impl map_key::Sealed for $ty {}
        impl MapKey for $ty {}
    )*};
}
map_keys!(
    String,
    &str,
    std::borrow::Cow<'_, str>,
    u32,
    u64,
    i32,
    i64,
    usize
);

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(text: &str, strategy: Strategy) -> String {
        TextMask { text, strategy }.to_string()
    }

    #[test]
    fn partial_shows_the_ends_only_of_long_enough_text() {
        let last4 = Strategy::Partial {
            first: 0,
            last: 4,
            min: 8,
        };
        assert_eq!(mask("4111111111111111", last4), "****1111");
        assert_eq!(mask("1234567", last4), MASK);
        assert_eq!(mask("", last4), MASK);
        let both = Strategy::Partial {
            first: 1,
            last: 2,
            min: 0,
        };
        assert_eq!(mask("héllo wörld", both), "h****ld");
        assert_eq!(mask("abc", both), MASK);
        assert_eq!(mask("ééééé", both), "é****éé");
    }

    #[test]
    fn revealed_text_cannot_forge_a_log_line() {
        let both = Strategy::Partial {
            first: 2,
            last: 2,
            min: 0,
        };
        assert_eq!(
            mask("\n\u{202e}middle\r\\", both),
            "\\u{a}\\u{202e}****\\u{d}\\\\"
        );
        assert_eq!(mask("x@y\n2025-01-01 INFO admin", Strategy::Email), MASK);
        assert_eq!(mask("ada@gmail.com hunter2", Strategy::Email), MASK);
        assert_eq!(mask("\u{202e}@example.com", Strategy::Email), MASK);
        assert_eq!(
            mask("ada@bücher.example", Strategy::Email),
            "a***@bücher.example"
        );
        assert_eq!(
            mask(&format!("a@{}", "x".repeat(254)), Strategy::Email),
            MASK
        );
    }

    #[test]
    fn fixed_hides_the_length() {
        let fixed = Strategy::Fixed { width: 8 };
        assert_eq!(mask("a", fixed), "********");
        assert_eq!(mask(&"a".repeat(100), fixed), "********");
    }

    #[test]
    fn email_keeps_the_initial_and_the_domain() {
        assert_eq!(
            mask("jane@example.com", Strategy::Email),
            "j***@example.com"
        );
        assert_eq!(mask("é@x.org", Strategy::Email), "é***@x.org");
        for not_an_address in ["", "jane", "@example.com", "jane@"] {
            assert_eq!(mask(not_an_address, Strategy::Email), MASK);
        }
    }

    #[test]
    fn fingerprints_match_for_equal_values_only() {
        let a = mask("jane@example.com", Strategy::Fingerprint);
        assert_eq!(a, mask("jane@example.com", Strategy::Fingerprint));
        assert_ne!(a, mask("jane@example.org", Strategy::Fingerprint));
        assert!(a.starts_with("fp:"));
        assert_eq!(a.len(), 3 + 16);
        assert!(!a.contains("jane"));
    }
}
