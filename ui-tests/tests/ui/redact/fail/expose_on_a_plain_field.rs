use palisade::Redact;

#[derive(Redact)]
struct Profile {
    name: String,
    #[redact(expose, reason = "the client shows it")]
    email: String,
}

fn main() {}
