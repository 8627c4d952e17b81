//! Bearer JWT settings that cannot be insecure (DESIGN.md G8), and token checks that refuse
//! the known attacks: `alg: none`, algorithm confusion, keys named by the token, unknown or
//! hostile `kid`s, missing `exp`, tokens not yet valid, wrong issuer or audience.
//!
//! ```
//! use palisade::jwt::{Algorithm, JwtSettings};
//!
//! let settings = JwtSettings::builder()
//!     .hmac(Algorithm::HS256, "main", b"a secret of at least thirty-two bytes!!")
//!     .issuer("https://auth.example.com")
//!     .audience("notes-api")
//!     .build()
//!     .unwrap();
//!
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Claims { sub: String, exp: u64, iss: String, aud: String }
//!
//! let claims = Claims {
//!     sub: "ada".into(),
//!     exp: palisade::jwt::now() + 600,
//!     iss: "https://auth.example.com".into(),
//!     aud: "notes-api".into(),
//! };
//! let token = settings.issue(&claims).unwrap();
//! let checked: Claims = settings.verify(&token).unwrap();
//! assert_eq!(checked.sub, "ada");
//! ```
//!
//! The builder cannot be finished without an algorithm and its keys, an issuer and an
//! audience: `build` exists only once all three are given.
//!
//! ```compile_fail
//! let settings = palisade::jwt::JwtSettings::builder()
//!     .issuer("https://auth.example.com")
//!     .audience("notes-api")
//!     .build(); // error: no algorithm and no key
//! ```

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

pub use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use jsonwebtoken::{Header, Validation};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The largest leeway for `exp` and `nbf`, in seconds.
pub const MAX_LEEWAY: u64 = 60;

/// The shortest HMAC secret, in bytes.
pub const MIN_HMAC_KEY: usize = 32;

/// The seconds since the Unix epoch, as `exp` and `nbf` count them.
pub fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

/// Checked JWT settings: one pinned algorithm, its keys by `kid`, an issuer, an audience.
pub struct JwtSettings {
    algorithm: Algorithm,
    keys: HashMap<String, DecodingKey>,
    signing: Option<(String, EncodingKey)>,
    issuer: String,
    audience: String,
    leeway: u64,
    /// The `typ` every token must carry (lowercase, without `application/`), if pinned.
    token_type: Option<String>,
    /// jsonwebtoken's checks, made once from the settings above.
    validation: Validation,
}

impl fmt::Debug for JwtSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut kids: Vec<&String> = self.keys.keys().collect();
        kids.sort();
        f.debug_struct("JwtSettings")
            .field("algorithm", &self.algorithm)
            .field("kids", &kids)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("leeway", &self.leeway)
            .field("token_type", &self.token_type)
            .finish_non_exhaustive()
    }
}

/// A setting not given yet.
#[derive(Debug)]
pub struct Missing;

/// A setting given.
#[derive(Debug)]
pub struct Given;

/// Builds [`JwtSettings`]; the type parameters record whether the algorithm (with keys), the
/// issuer and the audience are given, and [`build`](JwtSettingsBuilder::build) needs all three.
#[must_use]
pub struct JwtSettingsBuilder<Alg, Iss, Aud> {
    algorithm: Option<Algorithm>,
    keys: HashMap<String, DecodingKey>,
    signing: Option<(String, EncodingKey)>,
    issuer: String,
    audience: String,
    leeway: u64,
    token_type: Option<String>,
    problems: Vec<String>,
    state: PhantomData<(Alg, Iss, Aud)>,
}

impl JwtSettings {
    /// A builder with nothing given.
    pub fn builder() -> JwtSettingsBuilder<Missing, Missing, Missing> {
        JwtSettingsBuilder {
            algorithm: None,
            keys: HashMap::new(),
            signing: None,
            issuer: String::new(),
            audience: String::new(),
            leeway: 0,
            token_type: None,
            problems: Vec::new(),
            state: PhantomData,
        }
    }
}

impl<Alg, Iss, Aud> JwtSettingsBuilder<Alg, Iss, Aud> {
    fn to<A2, I2, U2>(self) -> JwtSettingsBuilder<A2, I2, U2> {
        JwtSettingsBuilder {
            algorithm: self.algorithm,
            keys: self.keys,
            signing: self.signing,
            issuer: self.issuer,
            audience: self.audience,
            leeway: self.leeway,
            token_type: self.token_type,
            problems: self.problems,
            state: PhantomData,
        }
    }

    /// Tolerance for clock skew on `exp` and `nbf`, at most [`MAX_LEEWAY`] seconds.
    pub fn leeway(mut self, seconds: u64) -> Self {
        if seconds > MAX_LEEWAY {
            self.problems.push(format!(
                "a leeway of {seconds} s keeps expired tokens alive: at most {MAX_LEEWAY} s"
            ));
        }
        self.leeway = seconds;
        self
    }

    /// The `typ` every token must carry in its header (RFC 8725 §3.11: explicit typing), such
    /// as `at+jwt` for access tokens (RFC 9068); compared as RFC 7515 §4.1.9 says, without case
    /// and with or without `application/`. A token minted for another purpose with the same
    /// key, issuer and audience (a password-reset link, say) is then refused. Tokens issued
    /// with these settings carry it.
    pub fn token_type(mut self, typ: &str) -> Self {
        let normalized = normalized_type(typ);
        if normalized.is_empty()
            || !normalized
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        {
            self.problems
                .push(format!("{typ:?} is not a media type such as `at+jwt`"));
        }
        self.token_type = Some(normalized);
        self
    }
}

/// A `typ` as RFC 7515 §4.1.9 compares it: without case, `application/` left out.
fn normalized_type(typ: &str) -> String {
    let lower = typ.to_ascii_lowercase();
    lower
        .strip_prefix("application/")
        .map_or_else(|| lower.clone(), str::to_owned)
}

impl<Iss, Aud> JwtSettingsBuilder<Missing, Iss, Aud> {
    /// An HMAC algorithm (`HS256`, `HS384`, `HS512`) with its secret, which both checks and
    /// issues tokens under `kid`. A secret shorter than [`MIN_HMAC_KEY`] bytes is refused by
    /// [`build`](JwtSettingsBuilder::build).
    pub fn hmac(
        mut self,
        algorithm: Algorithm,
        kid: &str,
        secret: &[u8],
    ) -> JwtSettingsBuilder<Given, Iss, Aud> {
        if !matches!(
            algorithm,
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512
        ) {
            self.problems.push(format!(
                "{algorithm:?} is not an HMAC algorithm: use `keys` for it"
            ));
        }
        if secret.len() < MIN_HMAC_KEY {
            self.problems.push(format!(
                "an HMAC secret of {} bytes can be brute-forced: give at least {MIN_HMAC_KEY} random bytes",
                secret.len()
            ));
        }
        self.algorithm = Some(algorithm);
        self.keys
            .insert(kid.to_owned(), DecodingKey::from_secret(secret));
        self.signing = Some((kid.to_owned(), EncodingKey::from_secret(secret)));
        self.to()
    }

    /// An asymmetric algorithm (`RS*`, `PS*`, `ES*`, `EdDSA`) with its verification keys by
    /// `kid`. Tokens name their key by `kid` only; keys a token carries (`jwk`, `jku`, `x5u`)
    /// are never used.
    pub fn keys(
        mut self,
        algorithm: Algorithm,
        keys: impl IntoIterator<Item = (String, DecodingKey)>,
    ) -> JwtSettingsBuilder<Given, Iss, Aud> {
        if matches!(
            algorithm,
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512
        ) {
            self.problems
                .push("an HMAC algorithm takes its secret through `hmac`".to_owned());
        }
        self.algorithm = Some(algorithm);
        for (kid, key) in keys {
            if self.keys.insert(kid.clone(), key).is_some() {
                self.problems
                    .push(format!("the kid {kid:?} names two keys"));
            }
        }
        if self.keys.is_empty() {
            self.problems.push("no verification key".to_owned());
        }
        self.to()
    }
}

impl<Iss, Aud> JwtSettingsBuilder<Given, Iss, Aud> {
    /// Adds a former HMAC secret that still checks tokens, under its own `kid`, while tokens it
    /// issued expire (secret rotation); tokens are issued with the secret given to `hmac`.
    pub fn retired_hmac(mut self, kid: &str, secret: &[u8]) -> Self {
        if !matches!(
            self.algorithm,
            Some(Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512)
        ) {
            self.problems
                .push("a retired HMAC secret needs an HMAC algorithm, given by `hmac`".to_owned());
        }
        if secret.len() < MIN_HMAC_KEY {
            self.problems.push(format!(
                "an HMAC secret of {} bytes can be brute-forced: give at least {MIN_HMAC_KEY} random bytes",
                secret.len()
            ));
        }
        if self
            .keys
            .insert(kid.to_owned(), DecodingKey::from_secret(secret))
            .is_some()
        {
            self.problems
                .push(format!("the kid {kid:?} names two keys"));
        }
        self
    }

    /// Adds the private key that issues tokens with an asymmetric algorithm, under `kid`.
    pub fn signing_key(mut self, kid: &str, key: EncodingKey) -> Self {
        self.signing = Some((kid.to_owned(), key));
        self
    }
}

impl<Alg, Aud> JwtSettingsBuilder<Alg, Missing, Aud> {
    /// The `iss` every token must carry.
    pub fn issuer(mut self, issuer: &str) -> JwtSettingsBuilder<Alg, Given, Aud> {
        if issuer.is_empty() {
            self.problems.push("the issuer is empty".to_owned());
        }
        issuer.clone_into(&mut self.issuer);
        self.to()
    }
}

impl<Alg, Iss> JwtSettingsBuilder<Alg, Iss, Missing> {
    /// The `aud` every token must carry.
    pub fn audience(mut self, audience: &str) -> JwtSettingsBuilder<Alg, Iss, Given> {
        if audience.is_empty() {
            self.problems.push("the audience is empty".to_owned());
        }
        audience.clone_into(&mut self.audience);
        self.to()
    }
}

/// The builder has a pinned algorithm and its keys.
#[diagnostic::on_unimplemented(
    message = "the JWT settings have no pinned algorithm yet",
    label = "`build` needs the algorithm and its keys first",
    note = "call `.hmac(Algorithm::HS256, kid, secret)` or `.keys(Algorithm::RS256, [(kid, key)])` before `.build()`: the token's header never chooses the algorithm"
)]
pub trait HasAlgorithm {}
impl HasAlgorithm for Given {}

/// The builder has an issuer.
#[diagnostic::on_unimplemented(
    message = "the JWT settings have no issuer yet",
    label = "`build` needs the issuer first",
    note = "call `.issuer(\"https://auth.example.com\")` before `.build()`: tokens of any other issuer are refused"
)]
pub trait HasIssuer {}
impl HasIssuer for Given {}

/// The builder has an audience.
#[diagnostic::on_unimplemented(
    message = "the JWT settings have no audience yet",
    label = "`build` needs the audience first",
    note = "call `.audience(\"notes-api\")` before `.build()`: tokens meant for another service are refused"
)]
pub trait HasAudience {}
impl HasAudience for Given {}

impl<Alg, Iss, Aud> JwtSettingsBuilder<Alg, Iss, Aud> {
    /// The settings.
    ///
    /// # Errors
    ///
    /// An HMAC secret under 32 bytes, a leeway over 60 s, an empty issuer or audience, an
    /// algorithm given with the wrong kind of key.
    pub fn build(self) -> Result<JwtSettings, JwtConfigError>
    where
        Alg: HasAlgorithm,
        Iss: HasIssuer,
        Aud: HasAudience,
    {
        let Some(algorithm) = self.algorithm else {
            return Err(JwtConfigError("no algorithm".to_owned()));
        };
        if !self.problems.is_empty() {
            return Err(JwtConfigError(self.problems.join("; ")));
        }
        let mut validation = Validation::new(algorithm);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = self.leeway;
        Ok(JwtSettings {
            algorithm,
            keys: self.keys,
            signing: self.signing,
            issuer: self.issuer,
            audience: self.audience,
            leeway: self.leeway,
            token_type: self.token_type,
            validation,
        })
    }
}

/// What a refusal of jsonwebtoken's means here.
fn token_error(error: &jsonwebtoken::errors::Error) -> TokenError {
    use jsonwebtoken::errors::ErrorKind;
    match error.kind() {
        ErrorKind::ExpiredSignature => TokenError::Expired,
        ErrorKind::ImmatureSignature => TokenError::NotYetValid,
        ErrorKind::InvalidIssuer => TokenError::WrongIssuer,
        ErrorKind::InvalidAudience => TokenError::WrongAudience,
        ErrorKind::InvalidSignature => TokenError::BadSignature,
        ErrorKind::MissingRequiredClaim(claim) => match claim.as_str() {
            "iss" => TokenError::WrongIssuer,
            "aud" => TokenError::WrongAudience,
            _ => TokenError::Expired,
        },
        ErrorKind::InvalidAlgorithm => TokenError::WrongAlgorithm,
        ErrorKind::Json(_) => TokenError::BadClaims,
        _ => TokenError::Malformed,
    }
}

/// Why settings were refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwtConfigError(String);

impl fmt::Display for JwtConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JwtConfigError {}

/// Why a token was refused. The reasons are for logs and audit events; clients get one answer
/// for all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// Not three base64url parts with a JSON header.
    Malformed,
    /// The header names another algorithm than the pinned one (`none` included).
    WrongAlgorithm,
    /// No `kid`, or one that names no configured key.
    UnknownKey,
    /// The signature does not verify.
    BadSignature,
    /// `exp` is missing or past.
    Expired,
    /// `nbf` is in the future.
    NotYetValid,
    /// `iss` is missing or another.
    WrongIssuer,
    /// `aud` is missing or another.
    WrongAudience,
    /// The claims do not have the expected shape.
    BadClaims,
    /// The header lists critical extensions (`crit`), none of which palisade understands
    /// (RFC 7515 §4.1.11 requires refusing them).
    CriticalExtension,
    /// The header's `typ` is missing or another than the pinned one.
    WrongType,
}

/// The `jti` (at most 256 bytes) and `exp` of a token that [`JwtSettings::verify`] accepted,
/// read from its payload; `None` without a `jti`.
#[cfg(feature = "session")]
pub(crate) fn token_id(token: &str) -> Option<(String, u64)> {
    use base64::Engine as _;
    #[derive(serde::Deserialize)]
    struct Registered {
        jti: Option<String>,
        exp: u64,
    }
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let registered: Registered = serde_json::from_slice(&bytes).ok()?;
    let jti = registered
        .jti
        .filter(|jti| !jti.is_empty() && jti.len() <= 256)?;
    Some((jti, registered.exp))
}

impl TokenError {
    /// A stable name for logs and audit events.
    pub fn reason(self) -> &'static str {
        match self {
            TokenError::Malformed => "malformed",
            TokenError::WrongAlgorithm => "wrong_algorithm",
            TokenError::UnknownKey => "unknown_key",
            TokenError::BadSignature => "bad_signature",
            TokenError::Expired => "expired",
            TokenError::NotYetValid => "not_yet_valid",
            TokenError::WrongIssuer => "wrong_issuer",
            TokenError::WrongAudience => "wrong_audience",
            TokenError::BadClaims => "bad_claims",
            TokenError::CriticalExtension => "critical_extension",
            TokenError::WrongType => "wrong_type",
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason())
    }
}

impl std::error::Error for TokenError {}

/// Why issuing failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueError {
    /// The settings hold no signing key.
    NoSigningKey,
    /// The claims would not be accepted by [`JwtSettings::verify`]: no `exp`, or another
    /// issuer or audience.
    ClaimsRefused,
    /// Signing failed.
    Signing,
}

impl fmt::Display for IssueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IssueError::NoSigningKey => "no signing key",
            IssueError::ClaimsRefused => "claims without exp, or with another issuer or audience",
            IssueError::Signing => "signing failed",
        })
    }
}

impl std::error::Error for IssueError {}

impl JwtSettings {
    /// The pinned algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The header's own rules: no critical extension (palisade understands none), and the
    /// pinned `typ`, if any.
    fn header_rules(&self, header: &Header) -> Result<(), TokenError> {
        if header.crit.is_some() {
            return Err(TokenError::CriticalExtension);
        }
        if let Some(expected) = &self.token_type
            && header
                .typ
                .as_deref()
                .is_none_or(|typ| normalized_type(typ) != *expected)
        {
            return Err(TokenError::WrongType);
        }
        Ok(())
    }

    /// The header, after checking that it names the pinned algorithm and a configured key, and
    /// meets the header rules.
    fn checked_header(&self, token: &str) -> Result<(Header, &DecodingKey), TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        if header.alg != self.algorithm {
            return Err(TokenError::WrongAlgorithm);
        }
        self.header_rules(&header)?;
        // Only the configured keys count: a key the token names or carries (`jku`, `jwk`,
        // `x5u`) is never fetched nor used.
        let key = match &header.kid {
            Some(kid) => self.keys.get(kid),
            None if self.keys.len() == 1 => self.keys.values().next(),
            None => None,
        }
        .ok_or(TokenError::UnknownKey)?;
        Ok((header, key))
    }

    /// Checks only the signature of a compact JWS under the pinned algorithm and the key its
    /// `kid` names, and returns the decoded payload (the signature layer, for any payload).
    ///
    /// # Errors
    ///
    /// A malformed token, another algorithm, an unknown key, a bad signature.
    pub fn verify_signature(&self, token: &str) -> Result<Vec<u8>, TokenError> {
        use base64::Engine as _;
        let (_, key) = self.checked_header(token)?;
        let (message, signature) = token.rsplit_once('.').ok_or(TokenError::Malformed)?;
        let payload = message.split_once('.').ok_or(TokenError::Malformed)?.1;
        let valid =
            jsonwebtoken::crypto::verify(signature, message.as_bytes(), key, self.algorithm)
                .map_err(|_| TokenError::BadSignature)?;
        if !valid {
            return Err(TokenError::BadSignature);
        }
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| TokenError::Malformed)
    }

    /// Checks a token and returns its claims: the pinned algorithm, a configured key, the
    /// signature, a present and future `exp`, `nbf` if present, the issuer and the audience.
    ///
    /// # Errors
    ///
    /// The first check that fails.
    pub fn verify<C: DeserializeOwned>(&self, token: &str) -> Result<C, TokenError> {
        let mut keys = self.keys.iter();
        if let (Some((kid, key)), None) = (keys.next(), keys.next()) {
            // One key: the header is read once, by jsonwebtoken, on the way that succeeds. A
            // refusal is explained as if the header had been checked first, so every token gets
            // the same answer as on the way below.
            return match jsonwebtoken::decode::<C>(token, key, &self.validation) {
                Ok(data) if data.header.kid.as_ref().is_none_or(|named| named == kid) => {
                    self.header_rules(&data.header).map(|()| data.claims)
                }
                Ok(_) => Err(TokenError::UnknownKey),
                Err(error) => Err(self
                    .checked_header(token)
                    .err()
                    .unwrap_or_else(|| token_error(&error))),
            };
        }
        let (_, key) = self.checked_header(token)?;
        jsonwebtoken::decode::<C>(token, key, &self.validation)
            .map(|data| data.claims)
            .map_err(|error| token_error(&error))
    }

    /// Issues a token for `claims` (for the application's login handler), with the pinned
    /// algorithm and the signing key's `kid`; it is checked as [`verify`](Self::verify) would
    /// before it is handed out.
    ///
    /// # Errors
    ///
    /// No signing key, claims that `verify` would refuse, a signing failure.
    pub fn issue<C: Serialize + DeserializeOwned>(&self, claims: &C) -> Result<String, IssueError> {
        let (kid, key) = self.signing.as_ref().ok_or(IssueError::NoSigningKey)?;
        let mut header = Header::new(self.algorithm);
        header.kid = Some(kid.clone());
        if let Some(typ) = &self.token_type {
            header.typ = Some(typ.clone());
        }
        let token = jsonwebtoken::encode(&header, claims, key).map_err(|_| IssueError::Signing)?;
        self.verify::<serde_json::Value>(&token)
            .map_err(|_| IssueError::ClaimsRefused)?;
        Ok(token)
    }
}
