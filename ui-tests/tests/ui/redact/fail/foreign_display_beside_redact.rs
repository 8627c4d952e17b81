use palisade::Redact;

/// thiserror's `#[error(...)]` writes a `Display` that knows nothing of the masks.
#[derive(Redact, thiserror::Error)]
#[error("login failed for {user} with {password}")]
struct LoginError {
    user: String,
    #[redact]
    password: String,
}

fn main() {}
