use palisade::Sanitized;

#[derive(Sanitized)]
struct Settings {
    #[validate(each(range(max = 10)))]
    level: u8,
}

fn main() {}
