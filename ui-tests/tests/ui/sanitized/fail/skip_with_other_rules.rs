use palisade::Sanitized;

#[derive(Sanitized)]
struct Settings {
    #[validate(range(max = 10), skip(reason = "any level is fine"))]
    level: u8,
}

fn main() {}
