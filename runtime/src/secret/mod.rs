//! Secret types (DESIGN.md G5): values that never show, never serialize without an opt-in,
//! compare in constant time, and are wiped from memory when dropped.
//!
//! They are built on the [`secrecy`](https://docs.rs/secrecy/0.10) crate, re-exported as
//! [`palisade::secret::secrecy`](secrecy): a `palisade::SecretBox` holds a
//! `secrecy::SecretBox` (which zeroizes on drop), and adds what `secrecy` leaves out.
//!
//! | | `secrecy::SecretBox` | `palisade::SecretBox` |
//! |---|---|---|
//! | `Debug` | `SecretBox<str>([REDACTED])` | `[REDACTED]` |
//! | equality | none | constant time (`subtle`) |
//! | `Deserialize` | with its `serde` feature | always; the intermediate `String` is wiped |
//! | `Serialize` | for types marked `SerializableSecret` | never by itself: only a field marked `#[redact(expose, reason = "...")]` in a `#[derive(Redact)]` type |
//! | zeroize on drop | yes | yes (it is the same box) |

use std::fmt;

use secrecy::zeroize::Zeroize;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use subtle::ConstantTimeEq;

pub(crate) mod expose;

/// The `secrecy` crate that palisade's secret types are built on.
pub use secrecy;
pub use secrecy::{CloneableSecret, ExposeSecret, ExposeSecretMut};

/// What a fully redacted value shows: a secret's `Debug`, and every `#[redact]` mask that shows
/// nothing of the value. Defined here, below the masking strategies of `redact`, which use the
/// secret types, so that neither module imports the other.
pub const MASK: &str = "[REDACTED]";

/// A secret on the heap: shown as `[REDACTED]`, compared in constant time, never serialized
/// without an opt-in, and zeroized when dropped.
///
/// ```
/// use palisade::{secret::ExposeSecret, SecretString};
///
/// let password: SecretString = serde_json::from_str(r#""hunter2""#).unwrap();
/// assert_eq!(format!("{password:?}"), "[REDACTED]");
/// assert_eq!(password.expose_secret(), "hunter2");
/// assert!(password == SecretString::from("hunter2")); // constant time
/// ```
///
/// Serializing one is a compile error unless the field says so:
///
/// ```compile_fail
/// #[derive(serde::Serialize)]
/// struct Response {
///     token: palisade::SecretString, // error: a secret is never serialized implicitly
/// }
/// ```
pub struct SecretBox<S: Zeroize + ?Sized>(secrecy::SecretBox<S>);

/// A secret text: `SecretBox<str>`.
pub type SecretString = SecretBox<str>;

/// A secret sequence, such as key bytes: `SecretBox<[u8]>`.
pub type SecretSlice<S> = SecretBox<[S]>;

impl<S: Zeroize + ?Sized> SecretBox<S> {
    /// Takes ownership of a boxed secret.
    pub fn new(secret: Box<S>) -> Self {
        Self(secrecy::SecretBox::new(secret))
    }

    /// Compares with `other` in time that depends only on the lengths, not on the contents.
    pub fn matches(&self, other: impl AsRef<[u8]>) -> bool
    where
        S: AsRef<[u8]>,
    {
        bool::from(self.expose_secret().as_ref().ct_eq(other.as_ref()))
    }
}

impl<S: Zeroize + ?Sized> ExposeSecret<S> for SecretBox<S> {
    fn expose_secret(&self) -> &S {
        self.0.expose_secret()
    }
}

impl<S: Zeroize + ?Sized> ExposeSecretMut<S> for SecretBox<S> {
    fn expose_secret_mut(&mut self) -> &mut S {
        self.0.expose_secret_mut()
    }
}

impl<S: Zeroize + ?Sized> From<Box<S>> for SecretBox<S> {
    fn from(secret: Box<S>) -> Self {
        Self::new(secret)
    }
}

impl From<String> for SecretString {
    fn from(mut secret: String) -> Self {
        // Copied into an exact-size box, so that no spare capacity is freed unwiped.
        let boxed = Box::<str>::from(secret.as_str());
        secret.zeroize();
        Self::new(boxed)
    }
}

impl From<&str> for SecretString {
    fn from(secret: &str) -> Self {
        Self::new(Box::from(secret))
    }
}

impl<S: Zeroize + Clone> From<Vec<S>> for SecretSlice<S>
where
    [S]: Zeroize,
{
    fn from(mut secret: Vec<S>) -> Self {
        let boxed = Box::<[S]>::from(secret.as_slice());
        secret.zeroize();
        Self::new(boxed)
    }
}

impl Clone for SecretString {
    fn clone(&self) -> Self {
        Self::from(self.expose_secret())
    }
}

impl<S: CloneableSecret> Clone for SecretBox<S> {
    fn clone(&self) -> Self {
        Self::new(Box::new(self.expose_secret().clone()))
    }
}

impl<S: Zeroize + ?Sized> fmt::Debug for SecretBox<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

/// Constant-time equality: the time depends on the lengths only.
impl<S: Zeroize + AsRef<[u8]> + ?Sized> PartialEq for SecretBox<S> {
    fn eq(&self, other: &Self) -> bool {
        self.matches(other.expose_secret())
    }
}

impl<S: Zeroize + AsRef<[u8]> + ?Sized> Eq for SecretBox<S> {}

/// The error of a secret that does not deserialize. serde's own errors quote the value they
/// reject (``invalid type: integer `482913` ``), so they are replaced by one that does not.
fn refused<E: serde::de::Error>(_: E) -> E {
    E::custom("invalid value for a secret")
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)
            .map(Self::from)
            .map_err(refused)
    }
}

impl<'de, S: Zeroize + Deserialize<'de>> Deserialize<'de> for SecretBox<S> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        S::deserialize(deserializer)
            .map(|secret| Self::new(Box::new(secret)))
            .map_err(refused)
    }
}

mod sealed {
    /// Implemented by no type, so that [`super::SerializeSecretOptIn`] cannot be.
    pub trait Sealed {}
}

/// The opt-in that no type has and none can get (it is sealed): a secret is serialized only
/// through a field marked `#[redact(expose, reason = "...")]`, which does not go through
/// `SecretBox`'s `Serialize`.
#[diagnostic::on_unimplemented(
    message = "a secret is never serialized implicitly",
    label = "`SecretBox<{Self}>` cannot be serialized",
    note = "in a `#[derive(palisade::Redact)]` type, mark the field `#[redact]` to serialize a mask, or `#[redact(expose, reason = \"...\")]` to serialize the secret itself"
)]
pub trait SerializeSecretOptIn: sealed::Sealed {}

impl<S: Zeroize + SerializeSecretOptIn + ?Sized> Serialize for SecretBox<S> {
    fn serialize<Ser: Serializer>(&self, _: Ser) -> Result<Ser::Ok, Ser::Error> {
        unreachable!("`SerializeSecretOptIn` is sealed and implemented by no type")
    }
}

#[cfg(test)]
mod tests {
    use super::expose::Exposed;
    use super::*;

    #[test]
    fn equality_compares_contents_and_lengths() {
        let secret = SecretString::from("hunter22");
        assert!(secret == SecretString::from(String::from("hunter22")));
        assert!(secret != SecretString::from("hunter23"));
        assert!(secret != SecretString::from("hunter2"));
        assert!(secret != SecretString::from(""));
        assert!(secret.matches("hunter22"));
        assert!(!secret.matches(b"HUNTER22"));
        let key = SecretSlice::from(vec![1_u8, 2, 3]);
        assert!(key == SecretSlice::from(vec![1_u8, 2, 3]));
        assert!(key != SecretSlice::from(vec![1_u8, 2, 4]));
    }

    #[test]
    fn debug_shows_the_mask_and_clone_keeps_the_secret() {
        let secret = SecretString::from("hunter22");
        assert_eq!(format!("{secret:?} {secret:#?}"), "[REDACTED] [REDACTED]");
        assert_eq!(secret.clone().expose_secret(), "hunter22");
        let boxed: SecretBox<u32> = SecretBox::new(Box::new(7));
        assert_eq!(*boxed.clone().expose_secret(), 7);
        assert_eq!(format!("{boxed:?}"), "[REDACTED]");
    }

    #[test]
    fn deserializes_from_the_plain_value() {
        let secret: SecretString = serde_json::from_str(r#""p\u00e4ss""#).unwrap();
        assert_eq!(secret.expose_secret(), "päss");
        let number: SecretBox<u64> = serde_json::from_str("42").unwrap();
        assert_eq!(*number.expose_secret(), 42);
        // The error does not quote the rejected value.
        let error = serde_json::from_str::<SecretString>("482913")
            .unwrap_err()
            .to_string();
        assert!(!error.contains("482913"), "{error}");
        assert!(error.starts_with("invalid value for a secret"), "{error}");
        let error = serde_json::from_str::<SecretBox<u32>>(r#""1234""#).unwrap_err();
        assert!(!error.to_string().contains("1234"), "{error}");
    }

    #[test]
    fn expose_serializes_the_secret_only_through_its_wrapper() {
        let secret = Some(SecretString::from("rt_1"));
        assert_eq!(
            serde_json::to_string(&Exposed(&secret)).unwrap(),
            r#""rt_1""#
        );
        let none: Option<SecretString> = None;
        assert_eq!(serde_json::to_string(&Exposed(&none)).unwrap(), "null");
    }
}
