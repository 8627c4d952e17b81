use palisade::Redact;

#[derive(Redact)]
#[redact(display = "{name} ({nickname})")]
struct Profile {
    name: String,
    #[redact]
    email: String,
}

fn main() {}
