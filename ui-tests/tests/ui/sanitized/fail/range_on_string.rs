use palisade::Sanitized;

#[derive(Sanitized)]
struct Person {
    #[validate(range(min = 0, max = 150), length(max = 3))]
    age: String,
}

fn main() {}
