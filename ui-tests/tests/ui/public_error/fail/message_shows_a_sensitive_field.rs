use palisade::{PublicError, SecretString};

#[derive(Debug, PublicError)]
enum ResetError {
    #[problem(status = 400, message = "token {reset_token} has expired")]
    Expired { reset_token: SecretString },
}

fn main() {}
