use palisade::{Redact, Sanitized};

#[derive(Redact)]
struct Account {
    user_name: String,
    password: String,
    newPasswordConfirmation: String,
    api_key: String,
    card_number: Option<String>,
    session_ids: Vec<String>,
}

#[derive(Sanitized)]
struct Reset {
    #[validate(length(max = 64))]
    reset_token: String,
}

fn main() {}
