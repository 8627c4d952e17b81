use palisade::Redact;

/// A four-digit pin has 10 000 values: its fingerprint is a lookup away.
#[derive(Redact)]
struct Card {
    #[redact(fingerprint)]
    pin: String,
}

fn main() {}
