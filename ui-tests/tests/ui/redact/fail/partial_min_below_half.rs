use palisade::Redact;

#[derive(Redact)]
struct Card {
    #[redact(partial(first = 4, last = 4, min = 9))]
    number: String,
}

fn main() {}
