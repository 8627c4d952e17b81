use palisade::Sanitized;
use palisade::password::Password;

#[derive(serde::Deserialize, Sanitized)]
struct Signup {
    #[validate(range(min = 1, max = 1_000_000))]
    account_number: u64,
    #[validate(password(unlike = account_number))]
    password: Password,
}

fn main() {}
