use palisade::Sanitized;

#[derive(Sanitized)]
struct Settings {
    #[validate(skip)]
    dark_mode: bool,
}

fn main() {}
