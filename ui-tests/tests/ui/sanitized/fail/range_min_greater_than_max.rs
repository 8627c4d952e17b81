use palisade::Sanitized;

#[derive(Sanitized)]
struct Person {
    #[validate(range(min = 130, max = 13))]
    age: u8,
}

fn main() {}
