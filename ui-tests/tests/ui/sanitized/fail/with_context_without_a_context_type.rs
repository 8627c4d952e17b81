use palisade::{validate::Invalid, Sanitized};

fn not_taken(_: &str, _: &()) -> Result<(), Invalid> {
    Ok(())
}

#[derive(Sanitized)]
struct Signup {
    #[validate(length(max = 32), custom(function = not_taken, with_context))]
    username: String,
}

fn main() {}
