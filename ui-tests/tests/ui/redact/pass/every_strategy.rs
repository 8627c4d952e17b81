//! Each strategy on each kind of value it supports, in `Debug`, `Display` and `Serialize`.

use std::collections::BTreeSet;

use palisade::{secret::ExposeSecret, Redact, Sanitized, SecretString};

#[derive(Redact)]
struct Nested {
    #[redact]
    secret_answer: String,
    hint: &'static str,
}

#[derive(Redact)]
#[redact(display = "{name}: {card} {{masked}}")]
struct Everything {
    name: String,
    #[redact]
    whole: Nested,
    shown: Nested,
    #[redact(partial(last = 4))]
    card: String,
    #[redact(partial(first = 2, last = 2, min = 8))]
    code: &'static str,
    #[redact(partial(last = 2))]
    amount: u64,
    #[redact(fixed)]
    note: Option<String>,
    #[redact(fixed(width = 3))]
    tags: Vec<String>,
    #[redact(email)]
    emails: BTreeSet<String>,
    #[redact(fingerprint)]
    phone: Option<Box<str>>,
    #[redact(partial(last = 4))]
    api_key: SecretString,
    #[redact(expose, reason = "the client stores its new token")]
    refresh_token: Option<SecretString>,
    #[redact(omit)]
    internal: [u8; 2],
    #[redact(no, reason = "a count of tokens, not a token")]
    token_count: u32,
}

#[derive(Redact)]
enum Credential {
    Password(#[redact] String),
    Key {
        id: u32,
        #[redact(fingerprint)]
        private_key: String,
    },
    Anonymous,
}

#[derive(Redact)]
struct Wrapper<T>(#[redact(partial(last = 1))] T);

#[derive(serde::Deserialize, Sanitized, Redact)]
struct Login {
    #[validate(email, length(max = 254))]
    #[redact(email)]
    email: String,
    #[validate(length(min = 8, max = 128))]
    #[redact]
    password: SecretString,
}

/// A secret type needs no mark, and keeps std `Debug` safe.
#[derive(Debug, serde::Deserialize, Sanitized)]
struct Reset {
    #[validate(length(min = 8, max = 128))]
    new_password: SecretString,
}

fn main() {
    let value = Everything {
        name: "Ada".into(),
        whole: Nested { secret_answer: "blue".into(), hint: "colour" },
        shown: Nested { secret_answer: "green".into(), hint: "colour" },
        card: "4111111111111111".into(),
        code: "ABCDEFGHIJ",
        amount: 123_456,
        note: Some("private".into()),
        tags: vec!["a".into(), "bbbbbbbb".into()],
        emails: BTreeSet::from(["ada@example.com".into()]),
        phone: None,
        api_key: "sk_live_abcd1234".into(),
        refresh_token: Some("rt_1".into()),
        internal: [1, 2],
        token_count: 2,
    };
    assert_eq!(
        format!("{value:?}"),
        "Everything { name: \"Ada\", whole: [REDACTED], shown: Nested { secret_answer: [REDACTED], hint: \"colour\" }, card: ****1111, code: AB****IJ, amount: ****56, note: Some(********), tags: [***, ***], emails: [a***@example.com], phone: None, api_key: ****1234, refresh_token: Some([REDACTED]), internal: [REDACTED], token_count: 2 }"
    );
    assert_eq!(value.to_string(), "Ada: ****1111 {masked}");
    let json = serde_json::to_string(&value).unwrap();
    assert_eq!(
        json,
        r#"{"name":"Ada","whole":"[REDACTED]","shown":{"secret_answer":"[REDACTED]","hint":"colour"},"card":"****1111","code":"AB****IJ","amount":"****56","note":"********","tags":["***","***"],"emails":["a***@example.com"],"phone":null,"api_key":"****1234","refresh_token":"rt_1","token_count":2}"#
    );
    assert_eq!(value.refresh_token.as_ref().unwrap().expose_secret(), "rt_1");

    assert_eq!(format!("{:?}", Credential::Password("hunter2".into())), "Password([REDACTED])");
    let key = Credential::Key { id: 7, private_key: "-----BEGIN".into() };
    assert!(format!("{key:?}").starts_with("Key { id: 7, private_key: fp:"));
    assert!(serde_json::to_string(&key).unwrap().starts_with(r#"{"Key":{"id":7,"private_key":"fp:"#));
    assert_eq!(serde_json::to_string(&Credential::Anonymous).unwrap(), r#""Anonymous""#);
    assert_eq!(format!("{:?}", Wrapper(12345_u32)), "Wrapper(****5)");
    assert_eq!(format!("{:?}", Wrapper("abcdef")), "Wrapper(****f)");

    let mut login: Login =
        serde_json::from_str(r#"{"email":"ada@example.com","password":"correct horse"}"#).unwrap();
    assert!(login.sanitize_and_validate().is_ok());
    assert_eq!(
        serde_json::to_string(&login).unwrap(),
        r#"{"email":"a***@example.com","password":"[REDACTED]"}"#
    );
    let reset = Reset { new_password: "correct horse".into() };
    assert_eq!(format!("{reset:?}"), "Reset { new_password: [REDACTED] }");
}
