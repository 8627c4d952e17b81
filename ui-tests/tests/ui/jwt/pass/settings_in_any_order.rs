use palisade::jwt::{Algorithm, JwtSettings};

fn main() {
    // The three required settings in any order, optional ones anywhere.
    let a = JwtSettings::builder()
        .audience("notes-api")
        .leeway(30)
        .issuer("https://auth.example.com")
        .hmac(Algorithm::HS256, "k2", b"0123456789abcdef0123456789abcdef")
        .retired_hmac("k1", b"fedcba9876543210fedcba9876543210")
        .build();
    let b = JwtSettings::builder()
        .hmac(Algorithm::HS384, "k1", b"0123456789abcdef0123456789abcdef0123456789abcdef")
        .issuer("https://auth.example.com")
        .audience("notes-api")
        .build();
    assert!(a.is_ok() && b.is_ok());
}
