//! Generated code stays quiet under a user's strictest lints: clippy (run by `.ci/run` on
//! every target) checks this file with `pedantic` denied.
#![deny(warnings, unused_qualifications, unused_results, clippy::pedantic)]

use std::collections::BTreeMap;

use palisade::{PublicError, Redact, Sanitized, SecretString, validate::Invalid};
use serde::Deserialize;

fn no_spaces(value: &str) -> Result<(), Invalid> {
    if value.contains(' ') {
        return Err(Invalid::new("spaces", "must not contain spaces"));
    }
    Ok(())
}

#[derive(Debug, Deserialize, Sanitized)]
#[serde(rename_all = "camelCase")]
struct Strict {
    #[clean(trim, lowercase)]
    #[validate(email, length(max = 254))]
    email_address: String,
    #[validate(length(min = 1, max = 32), custom = no_spaces, regex = "^[a-z]+$")]
    handle: String,
    #[validate(range(min = 0.0, max = 1.0))]
    ratio: f64,
    #[validate(length(max = 4), keys(length(max = 8)), each(range(max = 10)))]
    scores: BTreeMap<String, u8>,
    #[validate(dive)]
    child: Option<Child>,
    #[validate(skip(reason = "any flag is fine"))]
    flag: bool,
}

#[derive(Debug, Deserialize, Sanitized)]
enum Child {
    Named {
        #[validate(length(max = 8))]
        name: String,
    },
    Number(#[validate(range(min = 1))] u32),
}

#[test]
fn strict_lints_compile_and_validate() {
    let mut value = Strict {
        email_address: " A@B.EXAMPLE ".into(),
        handle: "ada".into(),
        ratio: 0.5,
        scores: BTreeMap::new(),
        child: Some(Child::Number(0)),
        flag: true,
    };
    let errors = value.sanitize_and_validate().unwrap_err();
    assert_eq!(value.email_address, "a@b.example");
    assert_eq!(
        errors
            .iter()
            .map(palisade::validate::ValidationError::path)
            .collect::<Vec<_>>(),
        ["child.Number"]
    );
    assert!(!value.flag || value.child.is_some());
    let _ = Child::Named {
        name: String::new(),
    };
}

#[derive(Deserialize, Sanitized, Redact)]
#[redact(display = "{user} {{masked}}: {card_number}")]
struct Payment {
    #[validate(length(max = 32))]
    user: String,
    #[validate(length(max = 19))]
    #[redact(partial(last = 4))]
    card_number: String,
    #[validate(length(max = 128))]
    #[redact(fingerprint)]
    api_key: SecretString,
    #[validate(length(max = 4), each(range(max = 9)))]
    #[redact(omit)]
    digits: Vec<u8>,
}

#[derive(Redact, PublicError)]
enum PaymentError {
    #[problem(status = 402, message = "{user} must pay first")]
    Unpaid { user: String },
    #[problem(
        status = 409,
        code = "duplicate",
        message = "already paid",
        level = "warn"
    )]
    Duplicate(#[redact] String),
    #[problem(status = 500)]
    Io(#[from] std::io::Error),
}

#[test]
fn strict_lints_compile_redaction_and_public_errors() {
    let payment = Payment {
        user: "ada".into(),
        card_number: "4111111111111111".into(),
        api_key: "sk_live_1".into(),
        digits: vec![1],
    };
    assert_eq!(payment.to_string(), "ada {masked}: ****1111");
    assert!(format!("{payment:?}").contains("api_key: fp:"));
    let error = PaymentError::Unpaid { user: "ada".into() };
    assert_eq!(error.public_message(), "ada must pay first");
    assert_eq!(PaymentError::Duplicate("x".into()).status(), 409);
    assert_eq!(
        PaymentError::from(std::io::Error::other("disk")).code(),
        "io"
    );
}
