#![deny(warnings, unused_qualifications)]

use palisade::password::Password;
use palisade::{Redact, Sanitized};

/// A password field needs no `length(max = ...)` (its deserializer bounds it) and no
/// `#[redact]` (it is a secret type); `unlike` names the account field.
#[derive(serde::Deserialize, Sanitized)]
struct Signup {
    #[validate(email, length(max = 254))]
    email: String,
    #[validate(password(unlike = email))]
    password: Password,
}

/// Optional passwords, a plain policy, a confirmation, and a secret in a `Redact` type.
#[derive(serde::Deserialize, Sanitized, Redact)]
#[serde(rename_all = "camelCase")]
struct ChangePassword {
    #[validate(length(min = 1, max = 64))]
    user_name: String,
    #[validate(skip(reason = "checked against the stored hash, not the policy"))]
    #[redact]
    current_password: Password,
    #[validate(password(unlike = user_name))]
    #[redact]
    new_password: Option<Password>,
    #[validate(password, must_match = new_password)]
    #[redact]
    new_password_again: Option<Password>,
}

fn main() {
    let _ = |signup: Signup, change: ChangePassword| {
        let _ = (signup.email, signup.password);
        let _ = (
            change.user_name,
            change.current_password,
            change.new_password,
            change.new_password_again,
        );
    };
}
