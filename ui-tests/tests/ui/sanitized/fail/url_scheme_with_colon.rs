use palisade::Sanitized;

#[derive(Sanitized)]
struct Link {
    #[validate(url(schemes = ["https:"]), length(max = 2048))]
    target: String,
}

fn main() {}
