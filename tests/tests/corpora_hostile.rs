//! Every injection payload of `PayloadsAllTheThings` (`testkit/corpora/{sqli,nosqli,xss,traversal,
//! command-injection}`, MIT) through a type with every rule and every sanitizer: nothing
//! panics, no error echoes the payload, and a field with no sanitizer keeps it byte for byte.
//!
//! Each line is one payload, read as bytes with every `\r` removed (some files have CRLF line
//! ends) and decoded as lossy UTF-8, because `sqli/FUZZDB_MSSQL_Enumeration.txt` is Latin-1:
//! its odd bytes become U+FFFD, which is still hostile enough text. Empty lines are not
//! payloads, and neither `LICENSE` files nor `SOURCE.md` are payload files.

use std::collections::{BTreeMap, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};

use palisade::{
    Sanitized,
    validate::{Invalid, ValidationErrors},
};
use palisade_testkit::corpus::Payload;

const FOLDERS: &[&str] = &["sqli", "nosqli", "xss", "traversal", "command-injection"];

fn payloads() -> Vec<Payload> {
    FOLDERS
        .iter()
        .flat_map(|folder| palisade_testkit::corpus::payloads(folder))
        .collect()
}

fn not_reserved(value: &str) -> Result<(), Invalid> {
    if value.eq_ignore_ascii_case("admin") {
        return Err(Invalid::new("reserved", "this name is reserved"));
    }
    Ok(())
}

fn drop_digits(value: &mut String) {
    value.retain(|c| !c.is_ascii_digit());
}

#[derive(Sanitized)]
struct Profile {
    #[clean(trim, nfkc, strip_invisible)]
    #[validate(length(min = 1, max = 16), regex = r"^[\p{L}\p{N} .'-]+$")]
    name: String,
    #[clean(strip_control(keep_newlines), html)]
    #[validate(length(max = 100_000))]
    bio: String,
}

/// One field per rule and one per sanitizer, so that a payload meets all of them at once.
#[derive(Sanitized)]
struct Hostile {
    #[clean(trim, lowercase)]
    #[validate(email, length(max = 254))]
    email: String,
    #[validate(must_match = email, length(max = 254))]
    email_again: String,
    #[clean(trim)]
    #[validate(url, length(max = 2048))]
    homepage: String,
    #[validate(url(schemes = ["https"]), length(max = 2048))]
    callback: Option<String>,
    #[clean(nfc, strip_control, collapse_whitespace, custom = drop_digits)]
    #[validate(regex = r"^[a-z_]{3,32}$", length(min = 3, max = 32), custom = not_reserved)]
    username: String,
    #[clean(uppercase)]
    #[validate(one_of = ["FREE", "PRO"], length(max = 4))]
    plan: String,
    #[validate(ip, length(max = 45))]
    address: String,
    #[validate(ip(v4), length(max = 15))]
    address_v4: String,
    #[validate(ip(v6), length(max = 45))]
    address_v6: String,
    #[validate(credit_card, length(max = 19))]
    card: String,
    #[clean(strip_invisible)]
    #[validate(
        non_control_character,
        contains = "@",
        does_not_contain = "..",
        length(max = 64)
    )]
    handle: String,
    #[validate(length(equal = 6, chars))]
    code: String,
    #[validate(length(max = 8, bytes))]
    short: String,
    #[clean(escape_html)]
    #[validate(length(max = 100_000))]
    escaped: String,
    #[clean(html)]
    #[validate(length(max = 100_000))]
    rich: String,
    #[clean(strip_control(keep_newlines), trim)]
    #[validate(length(max = 100_000))]
    note: String,
    #[clean(trim)]
    #[validate(length(max = 3), each(email, length(max = 254)))]
    emails: Vec<String>,
    #[validate(
        length(max = 3),
        keys(length(max = 8)),
        each(regex = r"^\d+$", length(max = 8))
    )]
    labels: BTreeMap<String, String>,
    #[validate(dive)]
    profile: Profile,
    #[validate(required, length(max = 16))]
    maybe: Option<String>,
}

impl Hostile {
    fn filled_with(payload: &str) -> Self {
        let text = || payload.to_owned();
        Self {
            email: text(),
            email_again: text(),
            homepage: text(),
            callback: Some(text()),
            username: text(),
            plan: text(),
            address: text(),
            address_v4: text(),
            address_v6: text(),
            card: text(),
            handle: text(),
            code: text(),
            short: text(),
            escaped: text(),
            rich: text(),
            note: text(),
            emails: vec![text(), text(), text(), text()],
            // The payload is a map value only: a plain key is shown in paths by design, which
            // `map_keys_from_payloads_are_masked_in_paths` checks on its own.
            labels: BTreeMap::from([("first".to_owned(), text()), ("second".to_owned(), text())]),
            profile: Profile {
                name: text(),
                bio: text(),
            },
            maybe: Some(text()),
        }
    }
}

/// Every rendering of the errors a client or a log could see. Each error's own `Display` and
/// `Debug` are not listed: they are substrings of the list's, which
/// `each_error_rendering_is_part_of_the_list_rendering` checks, and formatting them again for
/// every payload would double this file's run time.
fn renderings(errors: &ValidationErrors) -> Vec<(String, String)> {
    let mut out = vec![
        ("Display".to_owned(), errors.to_string()),
        ("Debug".to_owned(), format!("{errors:?}")),
        ("Debug (pretty)".to_owned(), format!("{errors:#?}")),
        (
            "serde_json".to_owned(),
            serde_json::to_string(errors).expect("errors serialize"),
        ),
    ];
    for (index, error) in errors.iter().enumerate() {
        out.push((format!("[{index}].path()"), error.path().to_owned()));
        out.push((format!("[{index}].code()"), error.code().to_owned()));
        out.push((format!("[{index}].message()"), error.message().to_owned()));
    }
    out
}

/// The forms in which a payload would show up in a rendering: as is, escaped as JSON and as
/// Rust `Debug` (so a payload with quotes or backslashes is still recognized), and trimmed
/// and case-mapped as the sanitizers leave it. Only forms of four characters or more count:
/// shorter strings turn up in any text by chance.
fn needles(payload: &str) -> Vec<String> {
    let inner = |quoted: String| quoted[1..quoted.len() - 1].to_owned();
    let mut needles = vec![
        payload.to_owned(),
        inner(serde_json::to_string(payload).expect("a string serializes")),
        inner(format!("{payload:?}")),
        payload.trim().to_owned(),
        payload.trim().to_lowercase(),
        payload.trim().to_uppercase(),
    ];
    needles.retain(|needle| needle.chars().count() >= 4);
    needles.sort();
    needles.dedup();
    needles
}

/// What the type's errors can say without any input: its field names and the rules' codes
/// and messages. A payload that is itself a piece of this text ("length", "email") cannot be
/// told apart from it, so such payloads are counted and listed, not searched for.
fn vocabulary() -> String {
    let mut text = String::new();
    let mut empty = Hostile::filled_with("");
    for rendering in renderings(&empty.sanitize_and_validate().expect_err("empty fails")) {
        text.push_str(&rendering.1);
    }
    let mut long = Hostile::filled_with(&"x".repeat(300));
    for rendering in renderings(&long.sanitize_and_validate().expect_err("long fails")) {
        text.push_str(&rendering.1);
    }
    text.to_lowercase()
}

#[test]
fn the_corpora_are_there() {
    let payloads = payloads();
    assert!(payloads.len() > 25_000, "saw {} payloads", payloads.len());
    assert!(
        payloads.iter().any(
            |p| p.origin.starts_with("sqli/FUZZDB_MSSQL_Enumeration.txt")
                && p.text.contains('\u{FFFD}')
        ),
        "the Latin-1 file decodes lossily"
    );
}

#[test]
fn each_error_rendering_is_part_of_the_list_rendering() {
    for payload in ["", "x", &"<script>".repeat(40)] {
        let mut value = Hostile::filled_with(payload);
        let errors = value.sanitize_and_validate().expect_err("fails");
        let (display, debug) = (errors.to_string(), format!("{errors:?}"));
        for error in &errors {
            assert!(display.contains(&error.to_string()), "{error}");
            assert!(debug.contains(&format!("{error:?}")), "{error:?}");
        }
    }
}

#[test]
fn no_payload_panics_or_is_echoed_in_an_error() {
    let vocabulary = vocabulary();
    let mut failures = Vec::new();
    let mut indistinguishable = Vec::new();
    let mut rendered: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for payload in payloads() {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            Hostile::filled_with(&payload.text).sanitize_and_validate()
        }));
        let errors = match outcome {
            Err(_) => {
                failures.push(format!(
                    "{}: panicked on {:?}",
                    payload.origin, payload.text
                ));
                continue;
            }
            Ok(Ok(())) => continue,
            Ok(Err(errors)) => errors,
        };
        // Rendering is a pure function of the error list, and the derived `Debug` shows every
        // field of it, so lists with the same `Debug` text render alike: serializing each
        // distinct list once keeps this test fast (JSON escaping is slow in debug builds).
        let renderings = rendered
            .entry(format!("{errors:?}"))
            .or_insert_with(|| renderings(&errors));
        for needle in needles(&payload.text) {
            if vocabulary.contains(&needle.to_lowercase()) {
                indistinguishable.push(format!("{}: {needle:?}", payload.origin));
                continue;
            }
            for (rendering, text) in renderings.iter() {
                if text.contains(&needle) {
                    failures.push(format!(
                        "{}: {rendering} holds {needle:?}: {text:?}",
                        payload.origin
                    ));
                }
            }
        }
    }
    if !indistinguishable.is_empty() {
        eprintln!(
            "{} payload forms are words of the error vocabulary and were not searched for: {:?}",
            indistinguishable.len(),
            indistinguishable
        );
    }
    palisade_testkit::assert_none("panic or appear in an error", &failures);
}

#[derive(Sanitized)]
struct Labels {
    #[validate(length(max = 3), keys(length(max = 8)), each(length(max = 8)))]
    labels: BTreeMap<String, String>,
}

#[test]
fn map_keys_from_payloads_are_masked_in_paths() {
    // A map key is shown in a path only when it is short and plain (`[A-Za-z0-9_-]{1,64}`), so
    // that a client can find its own entry; any payload with another character is `[?]`, and
    // so is any key in the errors of its own rules.
    let plain = |key: &str| {
        !key.is_empty()
            && key.len() <= 64
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    let mut failures = Vec::new();
    for payload in payloads() {
        let mut value = Labels {
            labels: BTreeMap::from([(payload.text.clone(), "too long a value".to_owned())]),
        };
        let Err(errors) = value.sanitize_and_validate() else {
            failures.push(format!("{}: the over-long value passed", payload.origin));
            continue;
        };
        // A key that fails its own rule is masked whatever it holds; the value's error shows
        // the key when it is plain.
        let mut expected = Vec::new();
        if payload.text.chars().count() > 8 {
            expected.push("labels[?]".to_owned());
        }
        expected.push(if plain(&payload.text) {
            format!("labels[{}]", payload.text)
        } else {
            "labels[?]".to_owned()
        });
        let paths: Vec<String> = errors.iter().map(|error| error.path().to_owned()).collect();
        if paths != expected {
            failures.push(format!(
                "{}: paths {paths:?}, expected {expected:?}",
                payload.origin
            ));
        }
    }
    palisade_testkit::assert_none("map keys rendered wrongly", &failures);
}

#[derive(Sanitized)]
struct Stored {
    #[validate(length(max = 100_000))]
    value: String,
}

#[test]
fn a_field_without_sanitizers_keeps_every_payload_byte_for_byte() {
    let mut failures = Vec::new();
    for payload in payloads() {
        let mut stored = Stored {
            value: payload.text.clone(),
        };
        if let Err(errors) = stored.sanitize_and_validate() {
            failures.push(format!("{}: rejected: {errors}", payload.origin));
        }
        if stored.value != payload.text {
            failures.push(format!(
                "{}: changed from {:?} to {:?}",
                payload.origin, payload.text, stored.value
            ));
        }
    }
    palisade_testkit::assert_none("lost data in a field without sanitizers", &failures);
}
