use palisade::Redact;

#[derive(Debug, Redact)]
struct Login {
    email: String,
    #[redact]
    password: String,
}

#[derive(Redact)]
#[derive(Debug)]
struct Reset {
    #[redact]
    new_password: String,
}

fn main() {}
