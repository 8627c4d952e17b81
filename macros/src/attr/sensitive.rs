//! Sensitive field names (DESIGN.md G4): a field whose name says it holds a secret must be
//! redacted, be a secret type, or say why not. The rule reads the parsed model (a field's
//! names, type and `#[redact]`) and answers with data: errors, and the secret type the
//! expansion must prove.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote_spanned};
use syn::Type;

use super::redact::{Mask, Redaction};
use crate::errors::Errors;

/// Names that are sensitive as one word (plurals included), with the pattern they belong to.
const WORDS: &[(&str, &str)] = &[
    ("password", "password"),
    ("passwd", "password"),
    ("pwd", "password"),
    ("passphrase", "passphrase"),
    ("passcode", "passcode"),
    ("secret", "secret"),
    ("token", "token"),
    ("apikey", "api_key"),
    ("accesskey", "access_key"),
    ("privatekey", "private_key"),
    ("privkey", "private_key"),
    ("credential", "credential"),
    ("cred", "credential"),
    ("cardnumber", "card_number"),
    ("ccnumber", "card_number"),
    ("cvv", "cvv"),
    ("cvc", "cvc"),
    ("ssn", "ssn"),
    ("pin", "pin"),
    ("otp", "otp"),
    ("totp", "otp"),
    ("hotp", "otp"),
    ("sessionid", "session_id"),
    ("cookie", "cookie"),
    ("authorization", "authorization"),
];

/// Names that are sensitive as two consecutive words: `api_key`, `cardNumber`.
const PAIRS: &[(&str, &str, &str)] = &[
    ("api", "key", "api_key"),
    ("access", "key", "access_key"),
    ("private", "key", "private_key"),
    ("card", "number", "card_number"),
    ("cc", "number", "card_number"),
    ("session", "id", "session_id"),
];

/// Long words that are sensitive even run together with others: `dbpassword`, `jsessionid`.
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
    "at", "on", "count", "enabled", "disabled", "policy", "type", "kind", "url", "length", "len",
    "required", "expiry", "expires", "ttl", "version", "format",
];

/// The sensitive pattern that `name` matches, if any: case and separator insensitive, also as a
/// word of a longer name (`new_password`, `refreshToken`, `APIToken`).
pub fn sensitive_part(name: &str) -> Option<&'static str> {
    let words = words(name);
    if words.len() > 1 && QUALIFIERS.contains(&words[words.len() - 1].as_str()) {
        return None;
    }
    let singular = |word: &str| word.strip_suffix('s').unwrap_or(word).to_owned();
    let word_match = |word: &str| {
        WORDS
            .iter()
            .find(|(known, _)| *known == word)
            .map(|(_, pattern)| *pattern)
    };
    for word in &words {
        if let Some(pattern) = word_match(word).or_else(|| word_match(&singular(word))) {
            return Some(pattern);
        }
    }
    for pair in words.windows(2) {
        let second = singular(&pair[1]);
        if let Some((_, _, pattern)) = PAIRS
            .iter()
            .find(|(a, b, _)| pair[0] == *a && (pair[1] == *b || second == *b))
        {
            return Some(pattern);
        }
    }
    let joined: String = words.concat();
    INSIDE
        .iter()
        .find(|(inside, _)| joined.contains(inside))
        .map(|(_, pattern)| *pattern)
}

/// Patterns whose values are few or guessable, so that a fingerprint could be reversed by
/// trying them all.
fn guessable(pattern: &str) -> bool {
    matches!(
        pattern,
        "password" | "passphrase" | "passcode" | "pin" | "otp" | "cvv" | "cvc" | "ssn"
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
        ] {
            assert_eq!(sensitive_part(name), Some(pattern), "{name}");
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
        ] {
            assert_eq!(sensitive_part(name), None, "{name}");
        }
    }
}
