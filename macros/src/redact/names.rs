//! Sensitive field names (DESIGN.md G4): a field whose name says it holds a secret must be
//! redacted, be a secret type, or say why not.

/// Names that are sensitive as one word (plurals included).
const WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "accesskey",
    "privatekey",
    "credential",
    "cardnumber",
    "ccnumber",
    "cvv",
    "cvc",
    "ssn",
    "pin",
    "otp",
    "sessionid",
    "cookie",
    "authorization",
];

/// Names that are sensitive as two consecutive words: `api_key`, `cardNumber`.
const PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("access", "key"),
    ("private", "key"),
    ("card", "number"),
    ("cc", "number"),
    ("session", "id"),
];

/// The sensitive word or pair in `name`, if there is one: case and separator insensitive,
/// also as a word of a longer name (`new_password`, `refreshToken`).
pub fn sensitive_part(name: &str) -> Option<String> {
    let words = words(name);
    let singular = |word: &str| word.strip_suffix('s').unwrap_or(word).to_owned();
    for word in &words {
        if WORDS.contains(&word.as_str()) || WORDS.contains(&singular(word).as_str()) {
            return Some(word.clone());
        }
    }
    for pair in words.windows(2) {
        let second = singular(&pair[1]);
        if PAIRS
            .iter()
            .any(|(a, b)| pair[0] == *a && (pair[1] == *b || second == *b))
        {
            return Some(format!("{}_{}", pair[0], pair[1]));
        }
    }
    None
}

/// The lowercase words of an identifier: split at `_`, `-`, digits and lower-to-upper case
/// changes (`newPassword2FA` → `new`, `password`, `fa`).
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() || c.is_ascii_digit() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase();
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
        for name in [
            "password",
            "new_password",
            "newPassword",
            "PASSWORD_CONFIRMATION",
            "r#passwd",
            "passphrase",
            "client_secret",
            "refreshToken",
            "tokens",
            "api_key",
            "apiKey",
            "apikey",
            "aws_access_key",
            "private_key_pem",
            "credentials",
            "card_number",
            "ccNumber",
            "cvv",
            "cvc2",
            "ssn",
            "pin",
            "pin_code",
            "otp",
            "session_id",
            "sessionId",
            "cookies",
            "authorization",
        ] {
            assert!(sensitive_part(name).is_some(), "{name} should be sensitive");
        }
    }

    #[test]
    fn words_that_merely_contain_a_pattern_are_not_sensitive() {
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
        ] {
            assert_eq!(sensitive_part(name), None, "{name} should not be sensitive");
        }
    }
}
