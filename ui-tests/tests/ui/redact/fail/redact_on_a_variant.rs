use palisade::Sanitized;

#[derive(Debug, serde::Deserialize, Sanitized)]
enum Auth {
    #[redact]
    Legacy(#[validate(length(max = 64))] String),
}

fn main() {}
