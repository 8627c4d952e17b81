//! `Redact` written by hand would mask nothing.

struct Login {
    password: String,
}

impl palisade::Redact for Login {}

fn main() {}
