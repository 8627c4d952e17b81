use palisade::Sanitized;

#[derive(Sanitized)]
struct Order {
    #[validate(each(range(min = 1)))]
    quantities: Vec<u32>,
}

fn main() {}
