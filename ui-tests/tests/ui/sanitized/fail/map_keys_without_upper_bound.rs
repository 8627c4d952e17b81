use std::collections::HashMap;

use palisade::Sanitized;

#[derive(Sanitized)]
struct Labels {
    #[validate(length(max = 16), each(length(max = 64)))]
    labels: HashMap<String, String>,
}

fn main() {}
