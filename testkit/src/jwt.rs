//! The JWT fixture the test crates share: one issuer, one audience and HS256 settings under one
//! key id, so that every test file that issues or checks tokens builds them the same way. Each
//! file keeps its own secret, so a token of one test cannot pass in another.

use palisade::jwt::{Algorithm, JwtSettings};

/// The issuer of every test token.
pub const ISSUER: &str = "https://auth.example.com";

/// The audience of every test token.
pub const AUDIENCE: &str = "notes-api";

/// The key id of the HS256 key of [`hs256_settings`].
pub const KID: &str = "k1";

/// HS256 settings that check [`ISSUER`] and [`AUDIENCE`], with `secret` under [`KID`].
///
/// ```
/// let settings = palisade_testkit::jwt::hs256_settings(b"0123456789abcdef0123456789abcdef");
/// let claims = serde_json::json!({
///     "sub": "ada",
///     "iss": palisade_testkit::jwt::ISSUER,
///     "aud": palisade_testkit::jwt::AUDIENCE,
///     "exp": palisade::jwt::now() + 60,
/// });
/// let token = settings.issue(&claims).unwrap();
/// assert!(settings.verify::<serde_json::Value>(&token).is_ok());
/// ```
///
/// # Panics
///
/// When `secret` is shorter than the 32 bytes the settings require.
pub fn hs256_settings(secret: &[u8]) -> JwtSettings {
    JwtSettings::builder()
        .hmac(Algorithm::HS256, KID, secret)
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .build()
        .expect("a test secret of at least 32 bytes")
}
