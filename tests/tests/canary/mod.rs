//! The canary suite (DESIGN.md G4): a unique canary in every redacted field of one account
//! type, pushed through every channel a value can leave by. A channel shows a canary nowhere,
//! and, where it renders the value, shows the masks instead.
//!
//! Later channels (error responses, audit events, sessions) join by rendering
//! [`Fixture::account`] their way and calling [`Fixture::check`].

// Each test binary compiles this module on its own and uses part of it.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};

use palisade::{Redact, Sanitized, SecretString};
use serde::Deserialize;

/// A nested type with a redacted field of its own.
#[derive(Clone, Deserialize, Sanitized, Redact)]
pub struct Profile {
    #[validate(length(max = 64))]
    pub city: String,
    #[validate(length(max = 64))]
    #[redact]
    pub ssn: String,
}

/// An enum with a masked tuple field and a masked struct-variant field.
#[derive(Clone, Deserialize, Sanitized, Redact)]
#[serde(rename_all = "snake_case")]
pub enum Credential {
    Passphrase(
        #[validate(length(max = 128))]
        #[redact]
        String,
    ),
    Key {
        #[validate(range(max = 1000))]
        id: u32,
        #[validate(length(max = 128))]
        #[redact(fingerprint)]
        private_key: String,
    },
}

/// One redacted field per strategy, plus nested, optional, collection and enum fields.
#[derive(Clone, Deserialize, Sanitized, Redact)]
#[redact(
    display = "{display_name}: {password} {card_number} {email} {pin} {device_tokens} {api_token} {profile} {credential}"
)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// Not redacted: the suite makes it invalid to fail validation.
    #[validate(length(min = 1, max = 32), regex = "^[a-z]+$")]
    pub display_name: String,
    #[validate(length(min = 8, max = 128))]
    #[redact]
    pub password: String,
    #[validate(length(max = 64))]
    #[redact(partial(last = 4))]
    pub card_number: String,
    #[validate(length(max = 254))]
    #[redact(email)]
    pub email: String,
    #[validate(length(max = 64))]
    #[redact(fixed)]
    pub pin: Option<String>,
    #[validate(length(max = 10), each(length(max = 64)))]
    #[redact(fingerprint)]
    pub device_tokens: Vec<String>,
    #[validate(length(max = 128))]
    #[redact]
    pub api_token: SecretString,
    #[validate(dive)]
    pub profile: Profile,
    #[validate(dive)]
    pub backup: Option<Profile>,
    #[validate(length(max = 4), dive)]
    pub previous: Vec<Profile>,
    #[validate(length(max = 4), dive)]
    #[redact(no, reason = "each credential masks its own secret fields")]
    pub credentials: Vec<Credential>,
    /// Masked whole, nested secrets and all.
    #[validate(dive)]
    #[redact]
    pub credential: Credential,
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A hand-written Display of a nested type goes through its masked Debug.
        write!(f, "{self:?}")
    }
}

/// The masks that a rendering of [`Fixture::account`] must show.
pub const MASKS: &[&str] = &[
    "[REDACTED]",
    "****0000",
    "***@example.com",
    "********",
    "fp:",
];

/// Canaries and the account that carries them.
pub struct Fixture {
    canaries: Vec<String>,
    /// The part every canary of this process shares: no channel may show even a piece of one.
    marker: String,
    pub account: Account,
}

impl Fixture {
    /// An account whose every redacted field carries its own canary.
    pub fn new() -> Self {
        let mut canaries = Vec::new();
        let marker = format!("{:08x}", std::process::id().rotate_left(7) ^ 0x5eed_c0de);
        let mut canary = || {
            static NEXT: AtomicU64 = AtomicU64::new(0);
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let value = format!("canary{n:02}x{marker}");
            canaries.push(value.clone());
            value
        };
        let profile = |canary: &mut dyn FnMut() -> String| Profile {
            city: "london".into(),
            ssn: canary(),
        };
        let account = Account {
            display_name: "ada".into(),
            password: canary(),
            // The mask shows the last four characters, which are not part of the canary.
            card_number: format!("{}0000", canary()),
            // The mask shows the first character and the domain.
            email: format!("{}@example.com", canary()),
            pin: Some(canary()),
            device_tokens: vec![canary(), canary()],
            api_token: SecretString::from(canary()),
            profile: profile(&mut canary),
            backup: Some(profile(&mut canary)),
            previous: vec![profile(&mut canary), profile(&mut canary)],
            credentials: vec![
                Credential::Passphrase(canary()),
                Credential::Key {
                    id: 7,
                    private_key: canary(),
                },
            ],
            credential: Credential::Passphrase(canary()),
        };
        Self {
            canaries,
            marker,
            account,
        }
    }

    /// The account as the JSON a client would send.
    pub fn json(&self) -> serde_json::Value {
        let a = &self.account;
        let profile = |p: &Profile| serde_json::json!({"city": p.city, "ssn": p.ssn});
        let credential = |c: &Credential| match c {
            Credential::Passphrase(phrase) => serde_json::json!({ "passphrase": phrase }),
            Credential::Key { id, private_key } => {
                serde_json::json!({ "key": { "id": id, "private_key": private_key } })
            }
        };
        serde_json::json!({
            "displayName": a.display_name,
            "password": a.password,
            "cardNumber": a.card_number,
            "email": a.email,
            "pin": a.pin,
            "deviceTokens": a.device_tokens,
            "apiToken": palisade::secret::ExposeSecret::expose_secret(&a.api_token),
            "profile": profile(&a.profile),
            "backup": a.backup.as_ref().map(profile),
            "previous": a.previous.iter().map(profile).collect::<Vec<_>>(),
            "credentials": a.credentials.iter().map(credential).collect::<Vec<_>>(),
            "credential": credential(&a.credential),
        })
    }

    /// Every canary: what no channel may show.
    pub fn canaries(&self) -> &[String] {
        &self.canaries
    }

    /// What is wrong with `output` of `channel`: a canary shown, or any piece of one that
    /// carries the process marker, or, when `masks` is given, a mask missing.
    pub fn check(&self, channel: &str, output: &str, masks: &[&str]) -> Vec<String> {
        let mut findings: Vec<String> = self
            .canaries
            .iter()
            .filter(|canary| output.contains(canary.as_str()))
            .map(|canary| format!("{channel}: canary {canary} shown in {output:?}"))
            .collect();
        // A piece: the process marker (every canary's end) or any canary's numbered start.
        let piece = output.contains(&self.marker)
            || self
                .canaries
                .iter()
                .any(|canary| output.contains(&canary[..9]));
        if findings.is_empty() && piece {
            findings.push(format!(
                "{channel}: a piece of a canary shown in {output:?}"
            ));
        }
        findings.extend(
            masks
                .iter()
                .filter(|mask| !output.contains(*mask))
                .map(|mask| format!("{channel}: mask {mask:?} missing from {output:?}")),
        );
        findings
    }
}
