use palisade::{validate::Invalid, Sanitized};

fn check(_: &str) -> Result<(), Invalid> {
    Ok(())
}

#[derive(Sanitized)]
struct Profile {
    #[validate(length(max = 200), url(schemes = ["https"], schemes = ["http"]))]
    homepage: String,
    #[validate(length(max = 45), ip(v4, v6))]
    address: String,
    #[validate(length(max = 20), regex(pattern = "^[a-z]+$", pattern = "^.*$"))]
    handle: String,
    #[validate(length(max = 20), custom(function = check, function = check))]
    nickname: String,
}

fn main() {}
