use palisade::Sanitized;

#[derive(Sanitized)]
struct Account {
    #[clean(trim, strip_tags)]
    #[validate(length(max = 32))]
    username: String,
}

fn main() {}
