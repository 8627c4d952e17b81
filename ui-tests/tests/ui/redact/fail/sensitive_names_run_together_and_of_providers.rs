//! Names run together, and the names OAuth, OpenID Connect, cloud SDKs and payment APIs give
//! their secrets: each is a sensitive name, in `Redact` and `Sanitized` types alike.

#[derive(palisade::Redact)]
struct Integration {
    accesstoken: String,
    refreshtoken: String,
    clientsecret: String,
    secretkey: String,
    jwt: String,
    bearer: String,
    signing_key: Vec<u8>,
    hmac_key: Vec<u8>,
    mfa_code: String,
    recovery_codes: Vec<String>,
    seed_phrase: String,
    code_verifier: String,
    connection_string: String,
}

#[derive(palisade::Sanitized)]
struct Login {
    #[validate(length(max = 64))]
    idToken: String,
    #[validate(length(max = 64))]
    account_key: String,
}

fn main() {}
