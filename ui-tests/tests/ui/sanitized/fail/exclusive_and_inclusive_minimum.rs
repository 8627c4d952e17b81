use palisade::Sanitized;

#[derive(Sanitized)]
struct Price {
    #[validate(range(min = 0.0, exclusive_min = 0.0))]
    amount: f64,
}

fn main() {}
