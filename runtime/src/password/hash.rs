//! Argon2id hashing with OWASP's parameters: hashes in the PHC format, constant-time
//! verification, a rehash when the parameters were raised, and a dummy verification for unknown
//! accounts.

use std::fmt;
use std::sync::OnceLock;

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use super::Password;
use crate::secret::ExposeSecret;

/// OWASP's minimum memory for Argon2id, in KiB (19 MiB).
pub const MIN_MEMORY_KIB: u32 = 19_456;

/// OWASP's minimum number of passes for Argon2id at [`MIN_MEMORY_KIB`].
pub const MIN_ITERATIONS: u32 = 2;

/// OWASP's minimum degree of parallelism for Argon2id.
pub const MIN_PARALLELISM: u32 = 1;

/// A password hash: Argon2id (version 19), in the PHC string format that
/// [`as_phc`](Self::as_phc) gives for storage and [`parse`](Self::parse) reads back.
///
/// `Debug` shows the parameters only; it has no `Display` and no `Serialize`, so it reaches a
/// database only through `as_phc`.
///
/// ```
/// use palisade::password::PasswordHash;
///
/// let phc = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2n8LrZSOMqzq7hfNrVKRmxH+p4Xh8KE7VTcqC2bvI1c";
/// let hash = PasswordHash::parse(phc).unwrap();
/// assert_eq!(hash.as_phc(), phc);
/// assert_eq!(format!("{hash:?}"), "PasswordHash { memory_kib: 19456, iterations: 2, parallelism: 1, .. }");
/// assert!(PasswordHash::parse("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW").is_err());
/// ```
#[derive(Clone)]
pub struct PasswordHash {
    phc: String,
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
}

impl PasswordHash {
    /// Reads a stored PHC string, refusing anything but Argon2id version 19 with a salt and a
    /// hash. Hashes made with weaker parameters than a [`Hasher`]'s are accepted, so that they
    /// can be verified and replaced (see [`Verification::Verified`]).
    pub fn parse(phc: &str) -> Result<Self, HashError> {
        let parsed = argon2::PasswordHash::new(phc).map_err(|_| HashError::Malformed)?;
        if parsed.algorithm != Algorithm::Argon2id.ident()
            || parsed.version != Some(Version::V0x13.into())
            || parsed.salt.is_none()
            || parsed.hash.is_none()
        {
            return Err(HashError::Malformed);
        }
        let params = Params::try_from(&parsed).map_err(|_| HashError::Malformed)?;
        Ok(Self::new(phc.to_owned(), &params))
    }

    fn new(phc: String, params: &Params) -> Self {
        Self {
            phc,
            memory_kib: params.m_cost(),
            iterations: params.t_cost(),
            parallelism: params.p_cost(),
        }
    }

    /// The PHC string, to store: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`.
    pub fn as_phc(&self) -> &str {
        &self.phc
    }

    /// The memory it was made with, in KiB.
    pub fn memory_kib(&self) -> u32 {
        self.memory_kib
    }

    /// The number of passes it was made with.
    pub fn iterations(&self) -> u32 {
        self.iterations
    }

    /// The degree of parallelism it was made with.
    pub fn parallelism(&self) -> u32 {
        self.parallelism
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordHash")
            .field("memory_kib", &self.memory_kib)
            .field("iterations", &self.iterations)
            .field("parallelism", &self.parallelism)
            .finish_non_exhaustive()
    }
}

impl crate::secret::expose::SecretType for PasswordHash {}

/// Hashes and verifies passwords with Argon2id.
///
/// [`Hasher::default`] uses OWASP's minimum parameters (m = 19456 KiB, t = 2, p = 1);
/// [`Hasher::new`] takes stronger ones and refuses weaker ones. Each hash and each
/// verification takes that memory and tens of milliseconds of CPU: in an async handler, run
/// them in `tokio::task::spawn_blocking` (a `Hasher` is `Send + Sync`; share it in an `Arc`).
///
/// ```
/// use palisade::password::{Hasher, Password, Verification};
///
/// let hasher = Hasher::default();
/// let password = Password::from("correct horse battery staple");
/// let stored = hasher.hash(&password).unwrap();
///
/// // At login: an unknown account costs the same time as a wrong password.
/// let found: Option<&palisade::password::PasswordHash> = Some(&stored);
/// match hasher.verify_or_dummy(found, &password) {
///     Verification::Verified { rehash: Some(newer) } => { /* store `newer.as_phc()`, log in */ }
///     Verification::Verified { rehash: None } => { /* log in */ }
///     Verification::Rejected => { /* one answer for both failures */ }
/// }
/// ```
#[derive(Clone)]
pub struct Hasher {
    params: Params,
    dummy: OnceLock<PasswordHash>,
}

impl Hasher {
    /// A hasher with `memory_kib` KiB of memory, `iterations` passes and `parallelism` lanes;
    /// [`HashError::BelowMinimum`] when any is below OWASP's minimum ([`MIN_MEMORY_KIB`],
    /// [`MIN_ITERATIONS`], [`MIN_PARALLELISM`]), [`HashError::Unsupported`] when Argon2 refuses
    /// them.
    ///
    /// ```
    /// use palisade::password::{HashError, Hasher};
    ///
    /// assert!(Hasher::new(65_536, 3, 1).is_ok());
    /// assert_eq!(Hasher::new(4_096, 3, 1).unwrap_err(), HashError::BelowMinimum);
    /// ```
    pub fn new(memory_kib: u32, iterations: u32, parallelism: u32) -> Result<Self, HashError> {
        if memory_kib < MIN_MEMORY_KIB
            || iterations < MIN_ITERATIONS
            || parallelism < MIN_PARALLELISM
        {
            return Err(HashError::BelowMinimum);
        }
        let params = Params::new(memory_kib, iterations, parallelism, None)
            .map_err(|_| HashError::Unsupported)?;
        Ok(Self {
            params,
            dummy: OnceLock::new(),
        })
    }

    /// The memory of the hashes it makes, in KiB.
    pub fn memory_kib(&self) -> u32 {
        self.params.m_cost()
    }

    /// The number of passes of the hashes it makes.
    pub fn iterations(&self) -> u32 {
        self.params.t_cost()
    }

    /// The degree of parallelism of the hashes it makes.
    pub fn parallelism(&self) -> u32 {
        self.params.p_cost()
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// Hashes `password` with a fresh 16-byte salt from the operating system.
    pub fn hash(&self, password: &Password) -> Result<PasswordHash, HashError> {
        let mut salt = [0; 16];
        getrandom::fill(&mut salt).map_err(|_| HashError::Randomness)?;
        let salt = SaltString::encode_b64(&salt).map_err(|_| HashError::Hashing)?;
        let hash = self
            .argon2()
            .hash_password(password.expose_secret().as_bytes(), &salt)
            .map_err(|_| HashError::Hashing)?;
        Ok(PasswordHash::new(hash.to_string(), &self.params))
    }

    /// Verifies `password` against a stored hash, with the parameters the hash was made with.
    /// The computed and stored hashes are compared in constant time (argon2's
    /// `verify_password`).
    ///
    /// When the password is right and the hash was made with weaker parameters than this
    /// hasher's, the answer holds a new hash to store in its place (rehash on login).
    pub fn verify(&self, hash: &PasswordHash, password: &Password) -> Verification {
        let Ok(parsed) = argon2::PasswordHash::new(hash.as_phc()) else {
            return Verification::Rejected;
        };
        if self
            .argon2()
            .verify_password(password.expose_secret().as_bytes(), &parsed)
            .is_err()
        {
            return Verification::Rejected;
        }
        let weaker = hash.memory_kib < self.memory_kib()
            || hash.iterations < self.iterations()
            || hash.parallelism < self.parallelism();
        Verification::Verified {
            rehash: if weaker {
                self.hash(password).ok()
            } else {
                None
            },
        }
    }

    /// [`verify`](Self::verify) for a login where the account may not exist: with `None`, the
    /// password is verified against a dummy hash with this hasher's parameters, and the answer
    /// is [`Verification::Rejected`]. An unknown account then takes as long as a wrong
    /// password, so the time of the answer does not tell which accounts exist.
    pub fn verify_or_dummy(
        &self,
        hash: Option<&PasswordHash>,
        password: &Password,
    ) -> Verification {
        if let Some(hash) = hash {
            return self.verify(hash, password);
        }
        let _ = self.verify(self.dummy_hash(), password);
        Verification::Rejected
    }

    /// The hash that [`verify_or_dummy`](Self::verify_or_dummy) verifies unknown accounts
    /// against: a random salt and a random hash output that no password produces, made once.
    /// Verifying against it runs Argon2 in full, like any stored hash, without the cost of
    /// hashing when it is made (which would make the first unknown account slower).
    #[doc(hidden)]
    pub fn dummy_hash(&self) -> &PasswordHash {
        self.dummy.get_or_init(|| {
            let mut bytes = [0; 48];
            // Without randomness it stays all zeros: a full verification all the same.
            let _ = getrandom::fill(&mut bytes);
            let (salt, output) = bytes.split_at(16);
            let encode = |part: &[u8]| {
                SaltString::encode_b64(part)
                    .map(|encoded| encoded.as_str().to_owned())
                    .unwrap_or_default()
            };
            let phc = format!(
                "$argon2id$v=19$m={},t={},p={}${}${}",
                self.memory_kib(),
                self.iterations(),
                self.parallelism(),
                encode(salt),
                encode(output),
            );
            PasswordHash::new(phc, &self.params)
        })
    }
}

impl Default for Hasher {
    /// OWASP's minimum for Argon2id: m = 19456 KiB, t = 2, p = 1.
    fn default() -> Self {
        Self {
            // argon2's defaults are OWASP's minimum (checked by a test).
            params: Params::default(),
            dummy: OnceLock::new(),
        }
    }
}

impl fmt::Debug for Hasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hasher")
            .field("memory_kib", &self.memory_kib())
            .field("iterations", &self.iterations())
            .field("parallelism", &self.parallelism())
            .finish_non_exhaustive()
    }
}

/// The answer of [`Hasher::verify`].
#[derive(Debug)]
#[must_use]
pub enum Verification {
    /// The password is wrong, the hash unreadable, or (with
    /// [`verify_or_dummy`](Hasher::verify_or_dummy)) the account unknown.
    Rejected,
    /// The password is right.
    Verified {
        /// A new hash of the password with the hasher's parameters, when the stored one was
        /// made with weaker ones: store it in place of the old one.
        rehash: Option<PasswordHash>,
    },
}

impl Verification {
    /// Whether the password is right.
    pub fn is_verified(&self) -> bool {
        matches!(self, Self::Verified { .. })
    }
}

/// Why a password could not be hashed, or a stored hash not read. It never holds the password
/// nor the hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HashError {
    /// [`Hasher::new`] was given parameters below OWASP's minimum.
    BelowMinimum,
    /// Argon2 refuses the parameters (such as less than 8 KiB of memory per lane).
    Unsupported,
    /// The operating system gave no randomness for the salt.
    Randomness,
    /// Argon2 failed to hash.
    Hashing,
    /// [`PasswordHash::parse`] was given something other than an Argon2id (version 19) PHC
    /// string with a salt and a hash.
    Malformed,
}

impl fmt::Display for HashError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::BelowMinimum => {
                "Argon2id parameters below OWASP's minimum (m = 19456 KiB, t = 2, p = 1)"
            }
            Self::Unsupported => "Argon2id parameters that Argon2 does not support",
            Self::Randomness => "no randomness from the operating system for a salt",
            Self::Hashing => "Argon2id failed to hash the password",
            Self::Malformed => "not an Argon2id (version 19) PHC string",
        })
    }
}

impl std::error::Error for HashError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_hasher_has_owasps_minimum() {
        let hasher = Hasher::default();
        assert_eq!(
            (
                hasher.memory_kib(),
                hasher.iterations(),
                hasher.parallelism()
            ),
            (MIN_MEMORY_KIB, MIN_ITERATIONS, MIN_PARALLELISM)
        );
    }
}
