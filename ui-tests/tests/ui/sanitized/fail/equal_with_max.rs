use palisade::Sanitized;

#[derive(Sanitized)]
struct Code {
    #[validate(length(equal = 6, max = 6))]
    otp_digits: String,
}

fn main() {}
