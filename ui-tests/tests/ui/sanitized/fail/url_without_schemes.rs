use palisade::Sanitized;

#[derive(Sanitized)]
struct Profile {
    #[validate(length(max = 200), url(schemes = []))]
    homepage: String,
}

fn main() {}
