use palisade::Sanitized;

#[derive(Sanitized)]
struct Settings {
    #[validate(one_of = ["low", "high"])]
    level: u8,
}

fn main() {}
