//! Passwords (feature `password`): a secret type for them, a policy in the spirit of NIST SP
//! 800-63B checked by `#[validate(password)]`, and Argon2id hashing with the parameters OWASP
//! recommends.
//!
//! ```
//! use palisade::Sanitized;
//! use palisade::password::{Hasher, Password, Verification};
//!
//! #[derive(serde::Deserialize, Sanitized)]
//! struct Signup {
//!     #[clean(trim, lowercase)]
//!     #[validate(email, length(max = 254))]
//!     email: String,
//!     #[validate(password(unlike = email))]
//!     password: Password, // masked, zeroized on drop, at most 4096 bytes when deserialized
//! }
//!
//! let mut signup: Signup = serde_json::from_str(
//!     r#"{"email": "ada@example.com", "password": "correct horse battery staple"}"#,
//! )
//! .unwrap();
//! signup.sanitize_and_validate().unwrap();
//!
//! let hasher = Hasher::default(); // Argon2id, m = 19456 KiB, t = 2, p = 1
//! let stored = hasher.hash(&signup.password).unwrap();
//! assert!(stored.as_phc().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
//! assert!(hasher.verify(&stored, &signup.password).is_verified());
//! ```
//!
//! The policy refuses a password shorter than 12 or longer than 128 characters, one made of
//! the most common passwords, keyboard walks, sequences and repetitions (after undoing case,
//! leet substitutions and digits or symbols added at either end), and, with `unlike`, one that
//! is the account's name or email address. It has no composition rules (a digit, a capital, a
//! symbol), which NIST advises against: length is what makes a password strong.
//!
//! Hashing and verifying are deliberately slow (tens of milliseconds and 19 MiB of memory
//! each): an async handler runs them in `tokio::task::spawn_blocking`, so that they do not
//! hold up the other requests on the runtime's worker thread.

mod hash;
mod policy;
mod words;

pub use hash::{
    HashError, Hasher, MIN_ITERATIONS, MIN_MEMORY_KIB, MIN_PARALLELISM, PasswordHash, Verification,
};

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

use crate::SecretString;
use crate::secret::ExposeSecret;
use crate::validate::Invalid;

/// The fewest characters a password may have.
pub const MIN_CHARS: usize = 12;

/// The most characters a password may have.
pub const MAX_CHARS: usize = 128;

/// The most bytes a [`Password`] deserializes from: longer input is refused before it is
/// copied, so that it never reaches the policy or the hash.
pub const MAX_INPUT_BYTES: usize = 4096;

/// A password: shown as `[REDACTED]`, never serialized nor displayed, zeroized when dropped,
/// and refused over [`MAX_INPUT_BYTES`] when deserialized.
///
/// `#[validate(password)]` checks it against the policy of this module, and it needs no
/// `length(max = ...)`: it is bounded by its deserializer.
///
/// ```
/// use palisade::secret::ExposeSecret;
/// use palisade::password::Password;
///
/// let password: Password = serde_json::from_str(r#""correct horse battery staple""#).unwrap();
/// assert_eq!(format!("{password:?}"), "[REDACTED]");
/// assert_eq!(password.expose_secret(), "correct horse battery staple");
///
/// let huge = format!("\"{}\"", "a".repeat(5000));
/// assert!(serde_json::from_str::<Password>(&huge).is_err());
/// ```
///
/// It has no `Serialize` and no `Display`:
///
/// ```compile_fail
/// let password = palisade::password::Password::from("correct horse battery staple");
/// println!("{password}");
/// ```
pub struct Password(SecretString);

impl Password {
    /// Checks the policy: between [`MIN_CHARS`] and [`MAX_CHARS`] characters, not made of
    /// common passwords, and not like `account` (an email address or a user name) when given.
    /// `#[validate(password)]` calls it.
    ///
    /// ```
    /// use palisade::password::Password;
    ///
    /// let weak = Password::from("Password1234!");
    /// assert_eq!(weak.check_policy(None).unwrap_err().code(), "password_common");
    /// let mine = Password::from("ada.lovelace@example.com");
    /// let error = mine.check_policy(Some("Ada.Lovelace@example.com")).unwrap_err();
    /// assert_eq!(error.code(), "password_like_account");
    /// ```
    pub fn check_policy(&self, account: Option<&str>) -> Result<(), Invalid> {
        policy::policy(self.expose_secret(), account)
    }
}

impl ExposeSecret<str> for Password {
    fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl From<String> for Password {
    fn from(password: String) -> Self {
        Self(SecretString::from(password))
    }
}

impl From<&str> for Password {
    fn from(password: &str) -> Self {
        Self(SecretString::from(password))
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(crate::redact::MASK)
    }
}

/// Constant-time equality (for `must_match` on a confirmation field): the time depends on the
/// lengths only.
impl PartialEq for Password {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for Password {}

impl<'de> Deserialize<'de> for Password {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // serde's own errors quote the value they reject, so they are replaced; a text that is
        // too long comes back as `None`, to be told apart.
        let password = deserializer
            .deserialize_str(PasswordVisitor)
            .map_err(|_: D::Error| de::Error::custom("invalid value for a password"))?;
        password.ok_or_else(|| {
            de::Error::custom(format_args!(
                "a password is at most {MAX_INPUT_BYTES} bytes long"
            ))
        })
    }
}

struct PasswordVisitor;

impl Visitor<'_> for PasswordVisitor {
    type Value = Option<Password>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a password")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok((text.len() <= MAX_INPUT_BYTES).then(|| Password::from(text)))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
        // Converted either way, so that the text is wiped.
        let password = Password::from(text);
        Ok((password.expose_secret().len() <= MAX_INPUT_BYTES).then_some(password))
    }
}

impl crate::secret::expose::SecretType for Password {}

/// Bounded by its deserializer, which refuses more than [`MAX_INPUT_BYTES`].
impl crate::seal::BoundedSeal for Password {
    const SEAL: crate::seal::Seal<Self, crate::seal::BoundedMark> = crate::seal::Seal::PALISADE;
}
impl crate::validate::Bounded for Password {}

impl crate::rules::PasswordRule for Password {
    fn check_password(&self, account: Option<&str>) -> Result<(), Invalid> {
        self.check_policy(account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_shows_and_refuses_huge_input() {
        let password = Password::from("correct horse battery staple");
        assert_eq!(
            format!("{password:?} {password:#?}"),
            "[REDACTED] [REDACTED]"
        );
        let huge = format!("\"{}\"", "a".repeat(MAX_INPUT_BYTES + 1));
        let error = serde_json::from_str::<Password>(&huge)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("a password is at most 4096 bytes long"),
            "{error}"
        );
        let escaped = format!("\"\\u0061{}\"", "a".repeat(MAX_INPUT_BYTES));
        assert!(serde_json::from_str::<Password>(&escaped).is_err());
        let fits = format!("\"{}\"", "a".repeat(MAX_INPUT_BYTES));
        assert!(serde_json::from_str::<Password>(&fits).is_ok());
        let error = serde_json::from_str::<Password>("482913")
            .unwrap_err()
            .to_string();
        assert!(!error.contains("482913"), "{error}");
    }
}
