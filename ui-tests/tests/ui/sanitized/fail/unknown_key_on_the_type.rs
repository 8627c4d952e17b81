use palisade::Sanitized;

#[derive(Sanitized)]
#[validate(deny_unknown)]
struct Signup {
    #[validate(length(max = 32))]
    username: String,
}

fn main() {}
