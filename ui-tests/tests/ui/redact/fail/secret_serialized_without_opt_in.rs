use palisade::{Redact, SecretString};

/// A response written with serde's own derive: the secret has no `Serialize`.
#[derive(serde::Serialize)]
struct TokenResponse {
    access_token: SecretString,
}

/// With `Redact`, the field must say how it is written.
#[derive(Redact)]
struct Session {
    user: String,
    session_id: SecretString,
}

fn main() {}
