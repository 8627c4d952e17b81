use palisade::Redact;

#[derive(serde::Serialize, Redact)]
struct Login {
    email: String,
    #[redact]
    password: String,
}

fn main() {}
