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

mod common;

use std::collections::HashSet;
use std::fmt;
use std::sync::{LazyLock, OnceLock};

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use zeroize::{Zeroize, Zeroizing};

use crate::{ExposeSecret, Invalid, SecretString};

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
/// use palisade::ExposeSecret;
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
        policy(self.expose_secret(), account)
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

impl crate::secret::SecretType for Password {}

/// Bounded by its deserializer, which refuses more than [`MAX_INPUT_BYTES`].
impl crate::Bounded for Password {}

impl crate::rules::PasswordRule for Password {
    fn check_password(&self, account: Option<&str>) -> Result<(), Invalid> {
        self.check_policy(account)
    }
}

const TOO_SHORT: Invalid =
    Invalid::new("password_too_short", "must be at least 12 characters long");
const TOO_LONG: Invalid = Invalid::new("password_too_long", "must be at most 128 characters long");
const COMMON: Invalid = Invalid::new(
    "password_common",
    "is a common password or too easy to guess: a few unrelated words make a strong one",
);
const LIKE_ACCOUNT: Invalid = Invalid::new(
    "password_like_account",
    "must not be the account's name or email address",
);

/// The policy, on the exposed text: the first rule that fails.
fn policy(password: &str, account: Option<&str>) -> Result<(), Invalid> {
    // Counted only as far as it matters, so that the work stays bounded by the limit.
    let chars = password.chars().take(MAX_CHARS + 1).count();
    if chars > MAX_CHARS {
        return Err(TOO_LONG);
    }
    if chars < MIN_CHARS {
        return Err(TOO_SHORT);
    }
    let forms = forms(password);
    let account = account.map(account_words).unwrap_or_default();
    if forms
        .iter()
        .any(|form| !form.is_empty() && account.whole.contains(form))
    {
        return Err(LIKE_ACCOUNT);
    }
    if forms.iter().any(|form| is_weak(form, &[])) {
        return Err(COMMON);
    }
    if !account.pieces.is_empty() && forms.iter().any(|form| is_weak(form, &account.pieces)) {
        return Err(LIKE_ACCOUNT);
    }
    Ok(())
}

/// The most pieces (common words, walks, repetitions, digit groups) a weak password is made of.
const MAX_WEAK_PIECES: usize = 3;

/// The longest password the matcher looks at; the policy gives it at most [`MAX_CHARS`].
const MAX_MATCHED_CHARS: usize = 256;

static BASE_WORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| common::BASE_WORDS.iter().copied().collect());

static LONGEST_WORD: LazyLock<usize> = LazyLock::new(|| {
    common::BASE_WORDS
        .iter()
        .map(|word| word.len())
        .max()
        .unwrap_or(0)
});

/// Each sequence of [`common::SEQUENCES`] and its reverse.
static SEQUENCES: LazyLock<Vec<Vec<char>>> = LazyLock::new(|| {
    common::SEQUENCES
        .iter()
        .flat_map(|sequence| {
            let forward: Vec<char> = sequence.chars().collect();
            let backward = forward.iter().rev().copied().collect();
            [forward, backward]
        })
        .collect()
});

/// Whether `password` is a common password, a keyboard walk, a sequence or a repetition, in
/// any case, with leet substitutions, and with digits or symbols at either end.
#[cfg(test)]
fn is_common(password: &str) -> bool {
    forms(password).iter().any(|form| is_weak(form, &[]))
}

/// The forms a password is compared in: lowercased with white space collapsed, also without
/// separators (`pass word`, `pass-word`); each as it is, with digits and symbols stripped from
/// its ends, and with leet substitutions undone (`1` read as `i` and as `l`). They are copies of
/// the password, wiped when dropped.
fn forms(password: &str) -> Zeroizing<Vec<String>> {
    let lower = Zeroizing::new(password.to_lowercase());
    let collapsed = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    let joined: String = collapsed
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.'))
        .collect();
    let mut forms = Zeroizing::new(Vec::new());
    for base in [collapsed, joined] {
        let stripped = strip_ends(&base).to_owned();
        // `@dmin2024`, `$ecret!`: symbols that stand for letters, read before stripping.
        let symbols = Zeroizing::new(unleet(&base, Leet::Symbols));
        let symbols_first = Zeroizing::new(strip_ends(&symbols).to_owned());
        let variants = [
            unleet(&base, Leet::OneAsI),
            unleet(&base, Leet::OneAsL),
            unleet(&stripped, Leet::OneAsI),
            unleet(&stripped, Leet::OneAsL),
            unleet(&symbols_first, Leet::OneAsI),
            unleet(&symbols_first, Leet::OneAsL),
            base,
            stripped,
        ];
        for mut form in variants {
            if forms.contains(&form) {
                form.zeroize();
            } else {
                forms.push(form);
            }
        }
    }
    forms
}

#[derive(Clone, Copy)]
enum Leet {
    /// `@`, `$` and `!` only.
    Symbols,
    /// Every substitution, `1` read as `i`.
    OneAsI,
    /// Every substitution, `1` read as `l`.
    OneAsL,
}

fn unleet(text: &str, leet: Leet) -> String {
    text.chars()
        .map(|c| match (c, leet) {
            ('@', _) | ('4', Leet::OneAsI | Leet::OneAsL) => 'a',
            ('$', _) | ('5', Leet::OneAsI | Leet::OneAsL) => 's',
            ('!', _) | ('1', Leet::OneAsI) => 'i',
            ('1', Leet::OneAsL) => 'l',
            ('0', Leet::OneAsI | Leet::OneAsL) => 'o',
            ('3', Leet::OneAsI | Leet::OneAsL) => 'e',
            ('7', Leet::OneAsI | Leet::OneAsL) => 't',
            _ => c,
        })
        .collect()
}

/// Not a letter: a digit, a symbol, punctuation or white space.
fn is_filler(c: char) -> bool {
    c.is_ascii_digit() || !c.is_alphanumeric()
}

/// `text` without what people add to a word at either end: a group of digits and a group of
/// symbols, in either order (`2024!`, `!!1`, `123`).
fn strip_ends(text: &str) -> &str {
    let is_digit = |c: char| c.is_ascii_digit();
    let is_symbol = |c: char| !c.is_alphanumeric();
    let mut rest = text;
    for _ in 0..2 {
        match rest.chars().next() {
            Some(c) if is_digit(c) => rest = rest.trim_start_matches(is_digit),
            Some(c) if is_symbol(c) => rest = rest.trim_start_matches(is_symbol),
            _ => break,
        }
    }
    for _ in 0..2 {
        match rest.chars().next_back() {
            Some(c) if is_digit(c) => rest = rest.trim_end_matches(is_digit),
            Some(c) if is_symbol(c) => rest = rest.trim_end_matches(is_symbol),
            _ => break,
        }
    }
    rest
}

/// Whether one form of a password is weak: empty, a repetition of a unit (`aaaa`,
/// `abcabcabc`, `passwordpassword`), a keyboard walk or sequence (`qwertyuiop`, `ab`), or
/// made of at most [`MAX_WEAK_PIECES`] pieces, each a common word (or one of `extra`), a walk
/// or sequence of three or more, a short repetition or a group of digits; symbols and white
/// space between them are free.
fn is_weak(form: &str, extra: &[String]) -> bool {
    let chars: Zeroizing<Vec<char>> = Zeroizing::new(form.chars().collect());
    let n = chars.len();
    if n == 0 {
        return true;
    }
    if n > MAX_MATCHED_CHARS {
        return false;
    }
    let repeats =
        (1..n).any(|unit| n.is_multiple_of(unit) && (unit..n).all(|i| chars[i] == chars[i - unit]));
    let walk_end: Vec<usize> = (0..n).map(|i| walk_end(&chars, i)).collect();
    if repeats || walk_end[0] == n {
        return true;
    }
    let offsets: Vec<usize> = form
        .char_indices()
        .map(|(offset, _)| offset)
        .chain([form.len()])
        .collect();
    let digits_end = class_end(&chars, |c| c.is_ascii_digit());
    let symbols_end = class_end(&chars, |c| !c.is_alphanumeric());
    let letters_end = class_end(&chars, |c| !is_filler(c));
    // `period_end[p - 1][i]`: how far a text from `i` repeats with period `p`.
    let period_end: Vec<Vec<usize>> = (1..=4).map(|p| period_end(&chars, p)).collect();
    let longest_word = (*LONGEST_WORD).max(extra.iter().map(String::len).max().unwrap_or(0));
    let piece_cost = |i: usize, j: usize| -> Option<usize> {
        let len = j - i;
        if j <= symbols_end[i] {
            return Some(0);
        }
        if j <= digits_end[i] {
            return Some(1);
        }
        if len >= 3 && j <= walk_end[i] {
            return Some(1);
        }
        if (1..=4).any(|p| len >= (2 * p).max(3) && j <= period_end[p - 1][i]) {
            return Some(1);
        }
        let text = &form[offsets[i]..offsets[j]];
        let word = j <= letters_end[i]
            && text.len() <= longest_word
            && (BASE_WORDS.contains(text) || extra.iter().any(|word| word == text));
        word.then_some(1)
    };
    // The fewest pieces that make up the first `j` characters.
    let mut fewest = vec![usize::MAX; n + 1];
    fewest[0] = 0;
    for j in 1..=n {
        for i in 0..j {
            if fewest[i] > MAX_WEAK_PIECES {
                continue;
            }
            if let Some(cost) = piece_cost(i, j) {
                fewest[j] = fewest[j].min(fewest[i] + cost);
            }
        }
    }
    fewest[n] <= MAX_WEAK_PIECES
}

/// For each position, where the run of characters of `class` that starts there ends.
fn class_end(chars: &[char], class: impl Fn(char) -> bool) -> Vec<usize> {
    let mut end = vec![0; chars.len()];
    for i in (0..chars.len()).rev() {
        end[i] = if class(chars[i]) {
            end.get(i + 1).copied().unwrap_or(chars.len())
        } else {
            i
        };
    }
    end
}

/// For each position `i`, the end of the longest text from `i` with period `p`
/// (`chars[k] == chars[k - p]` throughout).
fn period_end(chars: &[char], p: usize) -> Vec<usize> {
    let n = chars.len();
    let mut end = vec![0; n];
    // `first_break`: the first `k >= i` with `chars[k + p] != chars[k]`.
    let mut first_break = n.saturating_sub(p);
    for i in (0..n).rev() {
        if i + p < n && chars[i + p] != chars[i] {
            first_break = i;
        }
        end[i] = (first_break.max(i) + p).min(n);
    }
    end
}

/// The end of the longest walk along a keyboard row or a sequence that starts at `i`.
fn walk_end(chars: &[char], i: usize) -> usize {
    let mut longest = i;
    for sequence in SEQUENCES.iter() {
        for (start, _) in sequence.iter().enumerate().filter(|(_, c)| **c == chars[i]) {
            let len = sequence[start..]
                .iter()
                .zip(&chars[i..])
                .take_while(|(a, b)| a == b)
                .count();
            longest = longest.max(i + len);
        }
    }
    longest
}

/// What a password must not be like: the account text in its forms, and its pieces.
#[derive(Default)]
struct AccountWords {
    /// The account text and its local part (before `@`), lowercased, with and without
    /// separators and the digits or symbols at their ends.
    whole: Vec<String>,
    /// Pieces of three or more letters that may make up a password with other weak pieces.
    pieces: Vec<String>,
}

/// The most pieces of an account that a password is compared with.
const MAX_ACCOUNT_PIECES: usize = 16;

fn account_words(account: &str) -> AccountWords {
    // An email address has at most 254 bytes; a longer account text is compared by its start.
    let lower: String = account
        .trim()
        .chars()
        .take(MAX_MATCHED_CHARS)
        .collect::<String>()
        .to_lowercase();
    if lower.is_empty() {
        return AccountWords::default();
    }
    let local = lower
        .rsplit_once('@')
        .map_or(lower.as_str(), |(local, _)| local);
    let mut words = AccountWords::default();
    for text in [lower.as_str(), local] {
        let joined: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.'))
            .collect();
        for form in [text.to_owned(), strip_ends(text).to_owned(), joined] {
            if !form.is_empty() && !words.whole.contains(&form) {
                words.whole.push(form);
            }
        }
    }
    for piece in local.split(is_filler).take(MAX_ACCOUNT_PIECES) {
        if piece.chars().count() >= 3 && !words.pieces.iter().any(|known| known == piece) {
            words.pieces.push(piece.to_owned());
        }
    }
    let joined: String = local.chars().filter(|c| !is_filler(*c)).collect();
    if joined.chars().count() >= 3 && !words.pieces.contains(&joined) {
        words.pieces.push(joined);
    }
    words
}

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

impl crate::secret::SecretType for PasswordHash {}

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
    fn common_passwords_are_refused_in_their_disguises() {
        for password in [
            "Password1234!",
            "qwertyuiop123",
            "111111111111",
            "iloveyou2024!",
            "P@ssw0rd2024!",
            "p455w0rd!!!!",
            "1l0v3y0u2020",
            "!@#$%^&*()_+",
            "1234567890ab",
            "abcabcabcabc",
            "passwordpassword",
            "qwertyasdfgh",
            "1qaz2wsx3edc",
            "zaq12wsxcde3",
            "monkeydragon",
            "dragon2024monkey",
            "Sunshine Football 99",
            "pass word 12345",
            "letmein-letmein",
            "@dministrator1",
            "$ecret$ecret12",
            "aaaaaaaaaaaa",
            "Superman!!!!",
            "zyxwvutsrqpo",
            "9876543210zz",
            "mypassword2000",
            "hahahahahaha",
            "asdfghjkl;'1",
        ] {
            assert!(is_common(password), "{password} passed");
        }
    }

    #[test]
    fn passphrases_and_random_passwords_pass() {
        for password in [
            "correct horse battery staple",
            "correcthorsebatterystaple",
            "Tr0ub4dor&3 is long enough",
            "k9x2m7q4z8w1",
            "83!72#91@4x5",
            "purple kettle on a cold moor",
            "my cat eats olives at noon",
            "xkcd936 was right after all",
            "Zebras jog quietly past 7 vans",
            "mqk4-vp2r-tz8n",
        ] {
            assert!(!is_common(password), "{password} refused");
        }
    }

    #[test]
    fn the_policy_reports_one_code_per_failure() {
        let code = |password: &str, account: Option<&str>| {
            policy(password, account)
                .err()
                .map(|invalid| invalid.code())
        };
        assert_eq!(code("short", None), Some("password_too_short"));
        assert_eq!(code("ünïcödé1234", None), Some("password_too_short"));
        assert_eq!(code(&"a1".repeat(65), None), Some("password_too_long"));
        assert_eq!(code(&"xkcd ".repeat(25), None), Some("password_common"));
        assert_eq!(code("qwertyuiop123", None), Some("password_common"));
        assert_eq!(code("correct horse battery staple", None), None);
        let email = Some("Ada.Lovelace@Example.com");
        assert_eq!(
            code("ada.lovelace@example.com", email),
            Some("password_like_account")
        );
        assert_eq!(code("ADA.LOVELACE", email), Some("password_like_account"));
        assert_eq!(
            code("adalovelace2024!", email),
            Some("password_like_account")
        );
        assert_eq!(
            code("lovelace-password", email),
            Some("password_like_account")
        );
        assert_eq!(code("correct horse battery staple", email), None);
        assert_eq!(code("correct horse battery staple", Some("")), None);
        // Characters count, not bytes: twelve of them pass the length rule.
        assert_eq!(code("ünïcödé kätzé", None), None);
    }

    #[test]
    fn the_lists_are_lowercase_letters_and_walks_are_found_both_ways() {
        for word in common::BASE_WORDS {
            assert!(
                !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase()),
                "{word}"
            );
        }
        let chars: Vec<char> = "poiuytrewq".chars().collect();
        assert_eq!(walk_end(&chars, 0), chars.len());
        assert_eq!(strip_ends("2024!!pass!1"), "pass");
        assert_eq!(strip_ends("!!!!"), "");
        assert_eq!(strip_ends("a1b"), "a1b");
        let chars: Vec<char> = "xabababy".chars().collect();
        assert_eq!(period_end(&chars, 2)[1], 7);
    }

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
