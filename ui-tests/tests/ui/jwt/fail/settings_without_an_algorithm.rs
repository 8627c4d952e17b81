use palisade::jwt::JwtSettings;

fn main() {
    // Without a pinned algorithm the token's header would choose it.
    let _ = JwtSettings::builder()
        .issuer("https://auth.example.com")
        .audience("notes-api")
        .build();
}
