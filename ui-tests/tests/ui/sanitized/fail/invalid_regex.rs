use palisade::Sanitized;

#[derive(Sanitized)]
struct Account {
    #[validate(regex = "^[a-z+$", length(max = 32))]
    username: String,
}

fn main() {}
