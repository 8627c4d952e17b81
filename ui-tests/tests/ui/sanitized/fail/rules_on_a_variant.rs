use palisade::Sanitized;

#[derive(Sanitized)]
enum Payment {
    #[validate(skip(reason = "no data"))]
    Cash,
    Card {
        #[validate(credit_card, length(max = 19))]
        number: String,
    },
}

fn main() {}
