use std::collections::HashMap;

use palisade::Redact;

#[derive(Redact)]
struct Address {
    street: String,
}

#[derive(Redact)]
struct Customer {
    #[redact(partial(last = 4))]
    labels: HashMap<String, String>,
    #[redact(fingerprint)]
    home: Address,
    #[redact(email)]
    employee_number: u32,
}

fn main() {}
