use palisade::Redact;

#[derive(Redact)]
#[derive(Debug)]
struct Reset {
    #[redact]
    new_password: String,
}

fn main() {}
