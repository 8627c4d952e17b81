use palisade::{Redact, Sanitized};

/// A tuple field is named by its variant or type; serde's names count too.
#[derive(Redact)]
enum Credential {
    ApiKey(String),
    Anonymous,
}

#[derive(serde::Deserialize, Sanitized)]
struct Password(#[validate(length(max = 128))] String);

#[derive(serde::Deserialize, Sanitized, Redact)]
struct Login {
    #[validate(length(max = 128))]
    #[serde(rename = "password")]
    pw: String,
    #[validate(length(max = 128))]
    #[serde(alias = "api_key")]
    key: String,
    #[validate(skip(reason = "a flag"))]
    otp_required: bool,
}

fn main() {}
