use palisade::jwt::{Algorithm, JwtSettings};

fn main() {
    // One pinned algorithm: a second one cannot be added.
    let _ = JwtSettings::builder()
        .hmac(Algorithm::HS256, "k1", b"0123456789abcdef0123456789abcdef")
        .hmac(Algorithm::HS512, "k2", b"0123456789abcdef0123456789abcdef")
        .issuer("https://auth.example.com")
        .audience("notes-api")
        .build();
}
