//! Sensitive field names (DESIGN.md G4): a field whose name says it holds a secret must be
//! redacted, be a secret type, or say why not. The rule reads the parsed model (a field's
//! names, type and `#[redact]`) and answers with data: errors, and the secret type the
//! expansion must prove.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote_spanned};
use syn::Type;

use super::redact::{Mask, Redaction};
use crate::errors::Errors;

/// The sources the terms come from, cited in [`TERMS`].
const OWASP_LOGGING: &str = "OWASP Logging Cheat Sheet, \"Data to exclude\"";
const RFC6749: &str = "RFC 6749 (OAuth 2.0) §1.4, §1.5, §2.3.1, §4.1";
const RFC7636: &str = "RFC 7636 (PKCE) §4.1";
const OIDC: &str = "OpenID Connect Core 1.0 §2, §3.1.3.3, §9";
const RFC7519: &str = "RFC 7519 (JWT), RFC 6750 (bearer tokens)";
const AWS: &str =
    "AWS SDK credentials: aws_access_key_id, aws_secret_access_key, aws_session_token";
const AZURE: &str =
    "Azure SDK: client_secret, account_key, shared_access_key, sas_token, connection_string";
const GCP: &str = "Google Cloud service account keys: private_key, private_key_id";
const PCI: &str = "PCI DSS v4.0 §3.3, §3.4: PAN, card verification code, PIN";
const STRIPE: &str = "Stripe API: secret_key, restricted_key, webhook signing_secret";
const NIST_AUTH: &str =
    "NIST SP 800-63B §5.1: memorized secrets, look-up secrets (recovery codes), OTP";
const BIP39: &str = "BIP-39: mnemonic seed phrase";
const CRYPTO_KEYS: &str =
    "NIST SP 800-57 Part 1 §5.1.1: signing, encryption, MAC (HMAC) and master keys";
const HTTP: &str = "RFC 9110 §11.6.2 (Authorization), RFC 6265 (cookies), session identifiers (OWASP Session Management Cheat Sheet)";

/// The sensitive terms: the words of the name in order (the last may be plural), the pattern
/// that messages name, and where the term comes from. A name is sensitive when its words hold
/// a term as consecutive words, also run together (`accesstoken`, `clientSecret`).
const TERMS: &[(&[&str], &str, &str)] = &[
    (&["password"], "password", OWASP_LOGGING),
    (&["passwd"], "password", OWASP_LOGGING),
    (&["pwd"], "password", OWASP_LOGGING),
    (&["passphrase"], "passphrase", NIST_AUTH),
    (&["passcode"], "passcode", NIST_AUTH),
    (&["secret"], "secret", OWASP_LOGGING),
    (&["token"], "token", OWASP_LOGGING),
    (&["jwt"], "token", RFC7519),
    (&["bearer"], "token", RFC7519),
    (&["credential"], "credential", OWASP_LOGGING),
    (&["cred"], "credential", OWASP_LOGGING),
    (&["authorization"], "authorization", HTTP),
    (&["cookie"], "cookie", HTTP),
    (&["session", "id"], "session_id", HTTP),
    (&["sessionid"], "session_id", HTTP),
    (&["api", "key"], "api_key", OWASP_LOGGING),
    (&["apikey"], "api_key", OWASP_LOGGING),
    (&["access", "key"], "access_key", AWS),
    (&["accesskey"], "access_key", AWS),
    (&["account", "key"], "access_key", AZURE),
    (&["connection", "string"], "connection_string", AZURE),
    (&["private", "key"], "private_key", GCP),
    (&["privatekey"], "private_key", GCP),
    (&["privkey"], "private_key", GCP),
    (&["secret", "key"], "secret_key", STRIPE),
    (&["restricted", "key"], "secret_key", STRIPE),
    (&["signing", "key"], "signing_key", CRYPTO_KEYS),
    (&["encryption", "key"], "encryption_key", CRYPTO_KEYS),
    (&["hmac", "key"], "hmac_key", CRYPTO_KEYS),
    (&["mac", "key"], "hmac_key", CRYPTO_KEYS),
    (&["master", "key"], "master_key", CRYPTO_KEYS),
    (&["ssh", "key"], "private_key", CRYPTO_KEYS),
    (&["client", "assertion"], "client_assertion", RFC6749),
    (&["code", "verifier"], "code_verifier", RFC7636),
    (&["authorization", "code"], "authorization_code", RFC6749),
    (&["auth", "code"], "authorization_code", RFC6749),
    (&["id", "token"], "token", OIDC),
    (&["mfa", "code"], "otp", NIST_AUTH),
    (&["otp"], "otp", NIST_AUTH),
    (&["totp"], "otp", NIST_AUTH),
    (&["hotp"], "otp", NIST_AUTH),
    (&["verification", "code"], "otp", NIST_AUTH),
    (&["recovery", "code"], "recovery_code", NIST_AUTH),
    (&["backup", "code"], "recovery_code", NIST_AUTH),
    (&["reset", "code"], "recovery_code", NIST_AUTH),
    (&["seed", "phrase"], "seed_phrase", BIP39),
    (&["recovery", "phrase"], "seed_phrase", BIP39),
    (&["mnemonic"], "seed_phrase", BIP39),
    (&["card", "number"], "card_number", PCI),
    (&["cc", "number"], "card_number", PCI),
    (&["cardnumber"], "card_number", PCI),
    (&["ccnumber"], "card_number", PCI),
    (&["primary", "account", "number"], "card_number", PCI),
    (&["cvv"], "cvv", PCI),
    (&["cvc"], "cvc", PCI),
    (&["security", "code"], "cvc", PCI),
    (&["pin"], "pin", PCI),
    (&["ssn"], "ssn", OWASP_LOGGING),
];

/// Words that run together with a term in a name without changing what it holds
/// (`dbpassword`, `newaccesstoken`, `userapikey`): with the terms' own words, what a
/// run-together word must split into for the rule to read it.
const MODIFIERS: &[&str] = &[
    "new",
    "old",
    "current",
    "confirm",
    "confirmation",
    "repeat",
    "temp",
    "tmp",
    "user",
    "admin",
    "root",
    "db",
    "database",
    "app",
    "client",
    "server",
    "service",
    "refresh",
    "access",
    "auth",
    "oauth",
    "web",
    "hook",
    "webhook",
    "device",
    "login",
    "one",
    "time",
    "my",
    "raw",
    "plain",
    "encrypted",
    "hashed",
    "hash",
    "the",
    "aws",
    "azure",
    "gcp",
    "stripe",
    "github",
    "slack",
    "shared",
    "sas",
    "live",
    "test",
    "prod",
    "primary",
    "secondary",
    "backup",
    "personal",
    "bot",
    "upload",
    "download",
    "signing",
    "private",
    "public",
];

/// Long words that are sensitive even run together with words of no list: `jsessionid`.
const INSIDE: &[(&str, &str)] = &[
    ("password", "password"),
    ("passwd", "password"),
    ("passphrase", "passphrase"),
    ("credential", "credential"),
    ("apikey", "api_key"),
    ("accesskey", "access_key"),
    ("privatekey", "private_key"),
    ("sessionid", "session_id"),
    ("authorization", "authorization"),
];

/// A last word that makes the name about a secret, not the secret: `password_changed_at`,
/// `token_type`, `otp_enabled`.
const QUALIFIERS: &[&str] = &[
    "at", "on", "count", "enabled", "disabled", "policy", "type", "kind", "url", "uri", "endpoint",
    "length", "len", "required", "expiry", "expires", "ttl", "version", "format", "method",
    "methods",
];

/// The sensitive pattern that `name` matches, if any: case and separator insensitive, also as
/// words of a longer name (`new_password`, `refreshToken`, `APIToken`) and run together
/// (`accesstoken`, `clientsecret`).
pub fn sensitive_part(name: &str) -> Option<&'static str> {
    let words = words(name);
    if words.len() > 1 && QUALIFIERS.contains(&words[words.len() - 1].as_str()) {
        return None;
    }
    // Each word, or the words it splits into when it is several run together.
    let split: Vec<String> = words
        .iter()
        .flat_map(|word| run_together(word).unwrap_or_else(|| vec![word.clone()]))
        .collect();
    if split.len() > 1 && QUALIFIERS.contains(&split[split.len() - 1].as_str()) {
        return None;
    }
    if let Some(pattern) = term_in(&split) {
        return Some(pattern);
    }
    let joined: String = words.concat();
    INSIDE
        .iter()
        .find(|(inside, _)| joined.contains(inside))
        .map(|(_, pattern)| *pattern)
}

/// The pattern of the longest term whose words are consecutive words of `words` (the most
/// specific: `secret_key` rather than `secret`); a plural last word counts as its singular
/// (`recovery_codes`).
fn term_in(words: &[String]) -> Option<&'static str> {
    let plural_of = |word: &str, part: &str| {
        word.strip_suffix('s') == Some(part) || word.strip_suffix("es") == Some(part)
    };
    TERMS
        .iter()
        .filter(|(term, _, _)| {
            words.windows(term.len()).any(|window| {
                window
                    .iter()
                    .zip(term.iter())
                    .enumerate()
                    .all(|(i, (word, part))| {
                        word == part || (i + 1 == term.len() && plural_of(word, part))
                    })
            })
        })
        .max_by_key(|(term, _, _)| term.len())
        .map(|(_, pattern, _)| *pattern)
}

/// `word` split into known words (the terms' and [`MODIFIERS`]), when it is two or more of them
/// run together and holds a term's word: `accesstoken` → `access`, `token`. The split prefers
/// the fewest, longest words.
fn run_together(word: &str) -> Option<Vec<String>> {
    let known = |part: &str| {
        MODIFIERS.contains(&part)
            || TERMS.iter().any(|(term, _, _)| term.contains(&part))
            || part
                .strip_suffix('s')
                .is_some_and(|stem| TERMS.iter().any(|(term, _, _)| term.contains(&stem)))
    };
    let n = word.len();
    if !word.is_ascii() || n < 4 {
        return None;
    }
    // best[i]: the fewest known words that make up word[..i].
    let mut best: Vec<Option<Vec<&str>>> = vec![None; n + 1];
    best[0] = Some(Vec::new());
    for end in 1..=n {
        for start in 0..end {
            let (Some(before), part) = (&best[start], &word[start..end]) else {
                continue;
            };
            if part.len() < 2 || !known(part) {
                continue;
            }
            let candidate: Vec<&str> = before.iter().copied().chain([part]).collect();
            if best[end]
                .as_ref()
                .is_none_or(|current| candidate.len() < current.len())
            {
                best[end] = Some(candidate);
            }
        }
    }
    let parts = best[n].take()?;
    (parts.len() > 1).then(|| parts.into_iter().map(str::to_owned).collect())
}

/// Patterns whose values are few or guessable, so that a fingerprint could be reversed by
/// trying them all.
fn guessable(pattern: &str) -> bool {
    matches!(
        pattern,
        "password"
            | "passphrase"
            | "passcode"
            | "pin"
            | "otp"
            | "recovery_code"
            | "cvv"
            | "cvc"
            | "ssn"
    )
}

/// A field the rule of sensitive names looks at.
pub struct Subject<'a> {
    /// How messages name it: ``field `password` `` or ``field 0 of `ApiKey` ``.
    pub label: String,
    /// The names that say what it holds: its own, serde's names for it, or for a tuple field
    /// the name of its variant or type.
    pub names: Vec<String>,
    /// Where errors point.
    pub span: Span,
    pub ty: &'a Type,
}

/// A field with a sensitive name, not redacted, whose type is written as a secret type: the
/// expansion asserts it is one, spanned at the field's name.
pub struct SecretType {
    pub ty: Box<Type>,
    pub span: Span,
}

impl ToTokens for SecretType {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let ty = &self.ty;
        let span = Span::call_site().located_at(self.span);
        tokens.extend(quote_spanned! {span=> ::palisade::__private::assert_secret_type::<#ty>(); });
    }
}

/// The rule of sensitive names (G4) for one field: an error at its name, or the secret type
/// the expansion must assert; and no fingerprint of a guessable secret.
pub fn check(
    subject: &Subject<'_>,
    redaction: Redaction,
    errors: &mut Errors,
) -> Option<SecretType> {
    let pattern = subject.names.iter().find_map(|name| sensitive_part(name))?;
    if let Redaction::Masked {
        mask: Mask::Fingerprint,
        span,
        ..
    } = redaction
        && guessable(pattern)
    {
        errors.at(
            span,
            format!("a fingerprint of a `{pattern}` can be reversed by trying every likely value: use `#[redact]` or `#[redact(fixed)]`"),
        );
    }
    if !matches!(redaction, Redaction::Shown) || is_bool(subject.ty) {
        return None;
    }
    if looks_secret(subject.ty) {
        return Some(SecretType {
            ty: Box::new(subject.ty.clone()),
            span: subject.span,
        });
    }
    errors.at(
        subject.span,
        format!(
            "{} has a sensitive name (`{pattern}`): mark it `#[redact]`, make it a secret type (`palisade::SecretString`), or opt out with `#[redact(no, reason = \"...\")]`",
            subject.label
        ),
    );
    None
}

/// A `bool` (also optional) says whether, never what: it holds no secret.
fn is_bool(ty: &Type) -> bool {
    match ty {
        Type::Path(path) if path.path.is_ident("bool") => true,
        Type::Path(path) => type_argument(path, &["Option"]).is_some_and(is_bool),
        _ => false,
    }
}

/// The type argument of `path` when its last segment is one of `names`: `T` of `Option<T>`.
fn type_argument<'a>(path: &'a syn::TypePath, names: &[&str]) -> Option<&'a Type> {
    let last = path.path.segments.last()?;
    if !names.iter().any(|name| last.ident == name) {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => match args.args.first()? {
            syn::GenericArgument::Type(inner) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `ty` is written as a secret type (through `Option`, `Box`, `Arc`, `Rc` and `Vec`):
/// the trait assertion confirms.
pub fn looks_secret(ty: &Type) -> bool {
    let Type::Path(path) = ty else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    [
        "SecretString",
        "SecretBox",
        "SecretSlice",
        "Password",
        "PasswordHash",
    ]
    .iter()
    .any(|name| last.ident == name)
        || type_argument(path, &["Option", "Box", "Arc", "Rc", "Vec"]).is_some_and(looks_secret)
}

/// The lowercase words of an identifier: split at `_`, `-`, digits, a lower-to-upper case
/// change, and before the last capital of a run of capitals (`newPassword2FA` → `new`,
/// `password`, `fa`; `APIToken` → `api`, `token`).
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() || c.is_ascii_digit() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let previous = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let boundary = c.is_uppercase()
            && previous.is_some_and(|p| {
                p.is_lowercase() || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
            });
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::sensitive_part;

    #[test]
    fn sensitive_words_are_found_in_any_case_and_separator() {
        for (name, pattern) in [
            ("password", "password"),
            ("new_password", "password"),
            ("newPassword", "password"),
            ("PASSWORD_CONFIRMATION", "password"),
            ("r#passwd", "password"),
            ("dbpassword", "password"),
            ("pwd", "password"),
            ("passphrase", "passphrase"),
            ("passcode", "passcode"),
            ("client_secret", "secret"),
            ("refreshToken", "token"),
            ("APIToken", "token"),
            ("tokens", "token"),
            ("api_key", "api_key"),
            ("apiKey", "api_key"),
            ("apikey", "api_key"),
            ("aws_access_key", "access_key"),
            ("private_key_pem", "private_key"),
            ("credentials", "credential"),
            ("creds", "credential"),
            ("card_number", "card_number"),
            ("ccNumber", "card_number"),
            ("cvv", "cvv"),
            ("cvc2", "cvc"),
            ("ssn", "ssn"),
            ("pin", "pin"),
            ("PINHash", "pin"),
            ("pin_code", "pin"),
            ("otp", "otp"),
            ("OTPCode", "otp"),
            ("totp", "otp"),
            ("session_id", "session_id"),
            ("sessionId", "session_id"),
            ("jsessionid", "session_id"),
            ("cookies", "cookie"),
            ("authorization", "authorization"),
            // Run together, and the names of OAuth, OpenID Connect, cloud SDKs and payments.
            ("accesstoken", "token"),
            ("refreshtoken", "token"),
            ("clientsecret", "secret"),
            ("secretkey", "secret_key"),
            ("jwt", "token"),
            ("bearer", "token"),
            ("signing_key", "signing_key"),
            ("hmac_key", "hmac_key"),
            ("mfa_code", "otp"),
            ("recovery_codes", "recovery_code"),
            ("seed_phrase", "seed_phrase"),
            ("idToken", "token"),
            ("code_verifier", "code_verifier"),
            ("aws_secret_access_key", "access_key"),
            ("AccountKey", "access_key"),
            ("connectionString", "connection_string"),
            ("newaccesstoken", "token"),
            ("webhookSigningSecret", "secret"),
        ] {
            assert_eq!(sensitive_part(name), Some(pattern), "{name}");
        }
    }

    /// Every term of the table is found whatever the case, the separators and the plural, and
    /// run together, alone and after a modifier.
    #[test]
    fn every_term_is_found_in_every_spelling() {
        for (term, pattern, source) in super::TERMS {
            assert!(!source.is_empty());
            let capitalized = |word: &str| {
                let mut chars = word.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_uppercase().chain(chars).collect()
                })
            };
            let snake = term.join("_");
            let camel: String = term
                .iter()
                .enumerate()
                .map(|(i, word)| {
                    if i == 0 {
                        (*word).to_owned()
                    } else {
                        capitalized(word)
                    }
                })
                .collect();
            let pascal: String = term.iter().map(|word| capitalized(word)).collect();
            let spellings = [
                snake.clone(),
                snake.to_uppercase(),
                camel.clone(),
                pascal.clone(),
                term.concat(),
                format!("{snake}s"),
                format!("new_{snake}"),
                format!("user{}", term.concat()),
                format!("current{pascal}"),
            ];
            for name in spellings {
                assert_eq!(sensitive_part(&name), Some(*pattern), "{name} ({source})");
            }
        }
    }

    #[test]
    fn names_that_are_not_secrets_are_not_sensitive() {
        for name in [
            "spinner",
            "opinion",
            "pinned",
            "keyboard",
            "session",
            "card",
            "email",
            "display_name",
            "tokenizer",
            "api_version",
            "id",
            "secretary",
            "password_changed_at",
            "token_type",
            "otp_enabled",
            "cookie_policy",
            "timespan",
            "pan_offset",
            "keycode",
            "primary_key",
            "sort_key",
            "idempotency_key",
            "code",
            "zip_code",
            "country_code",
            "seed",
            "phrase",
            "token_endpoint",
            "signing_method",
            "public_key",
            "string",
            "account_id",
        ] {
            assert_eq!(sensitive_part(name), None, "{name}");
        }
    }
}
