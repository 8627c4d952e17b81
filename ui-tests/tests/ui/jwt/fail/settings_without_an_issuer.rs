use palisade::jwt::{Algorithm, JwtSettings};

fn main() {
    let _ = JwtSettings::builder()
        .hmac(Algorithm::HS256, "k1", b"0123456789abcdef0123456789abcdef")
        .audience("notes-api")
        .build();
}
