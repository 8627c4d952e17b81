use palisade::Sanitized;

#[derive(Sanitized)]
struct Settings {
    #[clean(trim)]
    #[validate(range(max = 10))]
    level: u8,
}

fn main() {}
