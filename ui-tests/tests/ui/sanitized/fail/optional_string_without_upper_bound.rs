use palisade::Sanitized;

#[derive(Sanitized)]
struct Profile {
    #[validate(url)]
    homepage: Option<String>,
}

fn main() {}
