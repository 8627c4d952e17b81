// `Debug` in the same derive list as `Redact`: the error says to drop `Debug`.

use palisade::Redact;

#[derive(Debug, Redact)]
struct Login {
    email: String,
    #[redact]
    password: String,
}

#[derive(Clone, std::fmt::Debug, Redact)]
struct Reset {
    #[redact]
    new_password: String,
}

fn main() {}
