//! `#[derive(Redact)]`: every strategy, in `Debug`, `Display` and `Serialize`.

use std::collections::BTreeSet;

use palisade::{Redact, Sanitized, SecretString, secret::ExposeSecret};
use serde::Deserialize;

#[derive(Deserialize, Redact)]
#[redact(display = "{name} <{email}> card {card}")]
#[serde(rename_all = "camelCase")]
struct Customer {
    name: String,
    #[redact(email)]
    email: String,
    #[redact(partial(last = 4))]
    card: String,
    #[redact]
    password_hash: String,
    #[redact(fixed)]
    pin: u32,
    #[redact(fingerprint)]
    phone: Option<String>,
    #[redact(omit)]
    notes: Vec<String>,
    #[redact(partial(first = 1, last = 1))]
    aliases: BTreeSet<String>,
    #[redact]
    api_token: SecretString,
    #[redact(no, reason = "a count of tokens, not a token")]
    token_count: u32,
}

fn customer() -> Customer {
    Customer {
        name: "Ada".into(),
        email: "ada@example.com".into(),
        card: "4111111111111111".into(),
        password_hash: "$argon2id$v=19$secret".into(),
        pin: 1234,
        phone: Some("+44 20 7946 0000".into()),
        notes: vec!["private note".into()],
        aliases: BTreeSet::from(["Countess".into(), "Lovelace".into()]),
        api_token: SecretString::from("tok_live_123"),
        token_count: 3,
    }
}

#[test]
fn debug_masks_every_redacted_field() {
    let shown = format!("{:?}", customer());
    assert!(shown.starts_with(r#"Customer { name: "Ada", email: a***@example.com, card: ****1111, password_hash: [REDACTED], pin: ********, phone: Some(fp:"#), "{shown}");
    assert!(shown.ends_with(
            "), notes: [REDACTED], aliases: [C****s, L****e], api_token: [REDACTED], token_count: 3 }"
        ), "{shown}");
}

#[test]
fn display_uses_the_masks() {
    assert_eq!(
        customer().to_string(),
        "Ada <a***@example.com> card ****1111"
    );
}

#[test]
fn serialize_masks_follows_serde_names_and_omits() {
    let json = serde_json::to_value(customer()).unwrap();
    let object = json.as_object().unwrap();
    assert_eq!(object["name"], "Ada");
    assert_eq!(object["email"], "a***@example.com");
    assert_eq!(object["card"], "****1111");
    assert_eq!(object["passwordHash"], "[REDACTED]");
    assert_eq!(object["pin"], "********");
    assert!(object["phone"].as_str().unwrap().starts_with("fp:"));
    assert!(!object.contains_key("notes"));
    assert_eq!(object["aliases"], serde_json::json!(["C****s", "L****e"]));
    assert_eq!(object["apiToken"], "[REDACTED]");
    assert_eq!(object["tokenCount"], 3);
    // Masking is in the output only: the value itself is intact.
    assert_eq!(customer().api_token.expose_secret(), "tok_live_123");
}

#[derive(Deserialize, Sanitized, Redact)]
struct Login {
    #[validate(email, length(max = 254))]
    #[redact(email)]
    email: String,
    #[validate(length(min = 8, max = 128))]
    #[redact]
    password: SecretString,
}

#[test]
fn sanitized_and_redact_share_the_marks() {
    let mut login: Login =
        serde_json::from_str(r#"{"email":"ada@example.com","password":"short"}"#).unwrap();
    let errors = login.sanitize_and_validate().unwrap_err();
    assert_eq!(
        errors
            .iter()
            .map(palisade::validate::ValidationError::path)
            .collect::<Vec<_>>(),
        ["password"]
    );
    assert_eq!(
        format!("{login:?}"),
        "Login { email: a***@example.com, password: [REDACTED] }"
    );
}
