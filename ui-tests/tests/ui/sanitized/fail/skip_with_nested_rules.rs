use palisade::Sanitized;

#[derive(Sanitized)]
struct Settings {
    #[validate(skip(reason = "any flags are fine"), each(range(max = 9)))]
    flags: Vec<u8>,
    #[validate(skip(reason = "free text"), unbounded(reason = "free text"))]
    note: String,
}

fn main() {}
