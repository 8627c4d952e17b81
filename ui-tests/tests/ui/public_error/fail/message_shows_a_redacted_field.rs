use palisade::{PublicError, Redact};

#[derive(Redact, PublicError)]
enum LoginError {
    #[problem(status = 403, message = "{email} may not sign in")]
    Refused {
        #[redact(email)]
        email: String,
    },
}

fn main() {}
