//! Behaviour of `#[derive(Sanitized)]`: every sanitizer and validator, paths that follow
//! serde's names, every error at once, and no rejected value in any error.

use std::collections::{BTreeMap, HashMap};

use palisade::{
    Sanitized,
    validate::{Invalid, ValidationErrors},
};
use serde::Deserialize;

fn failures(errors: &ValidationErrors) -> Vec<(String, &'static str)> {
    errors
        .iter()
        .map(|e| (e.path().to_owned(), e.code()))
        .collect()
}

fn codes_of<T: Sanitized<Context = ()>>(mut value: T) -> Vec<(String, &'static str)> {
    value
        .sanitize_and_validate()
        .err()
        .map(|errors| failures(&errors))
        .unwrap_or_default()
}

#[derive(Debug, Deserialize, Sanitized)]
#[serde(rename_all = "camelCase")]
struct Address {
    #[clean(trim)]
    #[validate(length(min = 1, max = 100))]
    street: String,
    #[clean(trim, uppercase)]
    #[validate(regex = r"^[0-9A-Z -]{3,10}$", length(max = 10))]
    zip_code: String,
}

fn reserved(name: &str) -> Result<(), Invalid> {
    if name.eq_ignore_ascii_case("admin") {
        return Err(Invalid::new("reserved", "this name is reserved"));
    }
    Ok(())
}

fn redact_digits(value: &mut String) {
    value.retain(|c| !c.is_ascii_digit());
}

#[derive(Debug, Deserialize, Sanitized)]
#[serde(rename_all = "camelCase")]
struct Signup {
    #[clean(trim, lowercase)]
    #[validate(email, length(max = 254))]
    email: String,
    #[validate(length(min = 12, max = 128))]
    password: palisade::SecretString,
    #[validate(must_match = password, length(max = 128))]
    password_confirmation: palisade::SecretString,
    #[clean(trim, collapse_whitespace, custom = redact_digits)]
    #[validate(length(min = 1, max = 64), custom = reserved)]
    display_name: String,
    #[validate(url(schemes = ["https"]), length(max = 2048))]
    homepage: Option<String>,
    #[validate(range(min = 13, max = 130))]
    age: u8,
    #[validate(dive)]
    address: Address,
    #[validate(length(max = 10), each(length(min = 1, max = 32)))]
    #[clean(trim, lowercase)]
    tags: Vec<String>,
    #[serde(rename = "plan")]
    #[validate(one_of = ["free", "pro"], length(max = 8))]
    tier: String,
    #[validate(required, ip(v4), length(max = 15))]
    last_ip: Option<String>,
    #[validate(skip(reason = "a boolean has no invalid value"))]
    newsletter: bool,
}

fn good_signup() -> Signup {
    Signup {
        email: "  Ada@Example.COM ".into(),
        password: "correct horse battery".into(),
        password_confirmation: "correct horse battery".into(),
        display_name: "  Ada   Lovelace ".into(),
        homepage: Some("https://ada.example".into()),
        age: 36,
        address: Address {
            street: " 12 Analytical Way ".into(),
            zip_code: "ab1 2cd".into(),
        },
        tags: vec![" Math ".into(), "ENGINES".into()],
        tier: "pro".into(),
        last_ip: Some("192.0.2.1".into()),
        newsletter: false,
    }
}

#[test]
fn valid_input_is_sanitized_in_place() {
    let mut signup = good_signup();
    signup.sanitize_and_validate().unwrap();
    assert_eq!(signup.email, "ada@example.com");
    assert_eq!(signup.display_name, "Ada Lovelace");
    assert_eq!(signup.address.street, "12 Analytical Way");
    assert_eq!(signup.address.zip_code, "AB1 2CD");
    assert_eq!(signup.tags, ["math", "engines"]);
}

#[test]
fn every_error_is_reported_at_once_with_serde_paths() {
    let signup = Signup {
        email: "not-an-address".into(),
        password: "short".into(),
        password_confirmation: "different".into(),
        display_name: "admin".into(),
        homepage: Some("javascript:alert(1)".into()),
        age: 7,
        address: Address {
            street: "   ".into(),
            zip_code: "?!".into(),
        },
        tags: vec!["ok".into(), "  ".into()],
        tier: "gold".into(),
        last_ip: None,
        newsletter: true,
    };
    assert_eq!(
        codes_of(signup),
        [
            ("email".to_owned(), "email"),
            ("password".to_owned(), "length"),
            ("passwordConfirmation".to_owned(), "must_match"),
            ("displayName".to_owned(), "reserved"),
            ("homepage".to_owned(), "url"),
            ("age".to_owned(), "range"),
            ("address.street".to_owned(), "length"),
            ("address.zipCode".to_owned(), "regex"),
            ("tags[1]".to_owned(), "length"),
            ("plan".to_owned(), "one_of"),
            ("lastIp".to_owned(), "required"),
        ]
    );
}

#[test]
fn messages_say_what_is_wrong_without_the_value() {
    let mut signup = good_signup();
    signup.password = "canary1".into();
    signup.password_confirmation = "canary1".into();
    signup.age = 200;
    signup.tier = "canary".into();
    let errors = signup.sanitize_and_validate().unwrap_err();
    let messages: Vec<_> = errors
        .iter()
        .map(palisade::validate::ValidationError::message)
        .collect();
    assert_eq!(
        messages,
        [
            "must be between 12 and 128 characters long",
            "must be between 13 and 130",
            "must be one of \"free\", \"pro\"",
        ]
    );
    let json = serde_json::to_string(&errors).unwrap();
    assert!(!json.contains("canary"), "{json}");
    assert!(!errors.to_string().contains("canary"));
    assert!(!format!("{errors:?}").contains("canary"));
}

#[derive(Deserialize, Sanitized)]
struct Lengths {
    #[validate(length(max = 4, bytes))]
    bytes: String,
    #[validate(length(max = 4))]
    chars: String,
    #[validate(length(equal = 2))]
    pair: Vec<u8>,
}

#[test]
fn length_counts_chars_or_bytes() {
    let ok = Lengths {
        bytes: "abcd".into(),
        chars: "ééàà".into(),
        pair: vec![1, 2],
    };
    assert!(codes_of(ok).is_empty());
    let bad = Lengths {
        bytes: "éé€".into(),
        chars: "ééààx".into(),
        pair: vec![1],
    };
    assert_eq!(
        codes_of(bad),
        [
            ("bytes".to_owned(), "length"),
            ("chars".to_owned(), "length"),
            ("pair".to_owned(), "length")
        ]
    );
}

#[derive(Deserialize, Sanitized)]
struct Numbers {
    #[validate(range(exclusive_min = 0.0, max = 1.0))]
    ratio: f64,
    #[validate(range(min = -10, exclusive_max = 10))]
    offset: Option<i32>,
    #[validate(one_of = [1, 2, 3])]
    level: u8,
}

#[test]
fn ranges_are_inclusive_or_exclusive_and_refuse_nan() {
    let ok = Numbers {
        ratio: 1.0,
        offset: None,
        level: 3,
    };
    assert!(codes_of(ok).is_empty());
    for (ratio, offset, level) in [(0.0, Some(10), 4), (f64::NAN, Some(-11), 0)] {
        assert_eq!(
            codes_of(Numbers {
                ratio,
                offset,
                level
            }),
            [
                ("ratio".to_owned(), "range"),
                ("offset".to_owned(), "range"),
                ("level".to_owned(), "one_of")
            ]
        );
    }
}

#[derive(Deserialize, Sanitized)]
struct Maps {
    #[validate(length(max = 4), keys(length(max = 8)), each(length(max = 3)))]
    labels: BTreeMap<String, String>,
    #[validate(length(max = 2), keys(range(max = 9)), each(dive))]
    addresses: HashMap<u8, Address>,
}

#[test]
fn maps_check_keys_and_values_and_never_echo_odd_keys() {
    let mut labels = BTreeMap::new();
    labels.insert("colour".to_owned(), "blue".to_owned());
    labels.insert("<script>alert(1)</script>".to_owned(), "x".to_owned());
    let mut addresses = HashMap::new();
    addresses.insert(
        12,
        Address {
            street: String::new(),
            zip_code: "12345".into(),
        },
    );
    let mut maps = Maps { labels, addresses };
    let got = maps
        .sanitize_and_validate()
        .err()
        .map(|errors| failures(&errors))
        .unwrap_or_default();
    // `each(dive)` runs the nested type's sanitizers too.
    assert_eq!(maps.addresses[&12].zip_code, "12345");
    maps.addresses.get_mut(&12).unwrap().street = "  Main St  ".into();
    maps.sanitize();
    assert_eq!(maps.addresses[&12].street, "Main St");
    assert_eq!(
        got,
        [
            ("labels[?]".to_owned(), "length"),
            ("labels[colour]".to_owned(), "length"),
            ("addresses[?]".to_owned(), "range"),
            ("addresses[12].street".to_owned(), "length"),
        ]
    );
}

#[derive(Deserialize, Sanitized)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Payment {
    CreditCard {
        #[clean(strip_control)]
        #[validate(length(min = 12, max = 19), contains = "4")]
        number: String,
    },
    BankTransfer {
        #[validate(length(max = 34), does_not_contain = " ")]
        iban: String,
    },
    Cash,
}

#[derive(Deserialize, Sanitized)]
enum Shape {
    Circle(#[validate(range(min = 0.0))] f64),
    Rect(
        #[validate(range(min = 0.0))] f64,
        #[validate(range(min = 0.0))] f64,
    ),
}

#[test]
fn enums_follow_serde_tagging() {
    assert_eq!(
        codes_of(Payment::CreditCard {
            number: "1111\u{7}".into()
        }),
        [
            ("number".to_owned(), "length"),
            ("number".to_owned(), "contains")
        ]
    );
    assert_eq!(
        codes_of(Payment::BankTransfer {
            iban: "DE00 1234".into()
        }),
        [("iban".to_owned(), "does_not_contain")]
    );
    assert!(codes_of(Payment::Cash).is_empty());
    assert_eq!(
        codes_of(Shape::Circle(-1.0)),
        [("Circle".to_owned(), "range")]
    );
    assert_eq!(
        codes_of(Shape::Rect(1.0, -1.0)),
        [("Rect[1]".to_owned(), "range")]
    );
}

#[derive(Deserialize, Sanitized)]
struct Email(
    #[clean(trim, lowercase)]
    #[validate(email, length(max = 254))]
    String,
);

#[derive(Deserialize, Sanitized)]
struct Invite {
    #[validate(dive, length(max = 3))]
    to: Vec<Email>,
    #[serde(flatten)]
    #[validate(dive)]
    from: Sender,
}

#[derive(Deserialize, Sanitized)]
struct Sender {
    #[validate(length(min = 1, max = 40), non_control_character)]
    sender_name: String,
}

#[test]
fn newtypes_are_transparent_and_flatten_keeps_the_parent_path() {
    let mut invite = Invite {
        to: vec![Email(" A@B.EXAMPLE ".into()), Email("nope".into())],
        from: Sender {
            sender_name: "bad\u{1b}name".into(),
        },
    };
    let errors = invite.sanitize_and_validate().unwrap_err();
    assert_eq!(invite.to[0].0, "a@b.example");
    assert_eq!(
        failures(&errors),
        [
            ("to[1]".to_owned(), "email"),
            ("sender_name".to_owned(), "non_control_character")
        ]
    );
}

struct Blocklist(Vec<&'static str>);

fn not_blocked(value: &str, blocklist: &Blocklist) -> Result<(), Invalid> {
    if blocklist.0.contains(&value) {
        return Err(Invalid::new("blocked", "this value is not allowed"));
    }
    Ok(())
}

fn dates_in_order(range: &Period) -> Result<(), Invalid> {
    if range.from > range.to {
        return Err(Invalid::new("order", "`from` must not be after `to`"));
    }
    Ok(())
}

#[derive(Deserialize, Sanitized)]
#[validate(context = Blocklist, custom = dates_in_order)]
struct Period {
    #[validate(range(max = 100))]
    from: u32,
    #[validate(range(max = 100))]
    to: u32,
    #[validate(length(max = 10), custom(function = not_blocked, with_context))]
    label: String,
}

#[test]
fn custom_rules_get_the_context_and_see_the_whole_type() {
    let blocklist = Blocklist(vec!["spam"]);
    let ok = Period {
        from: 1,
        to: 2,
        label: "fine".into(),
    };
    assert!(ok.validate_with(&blocklist).is_ok());
    let bad = Period {
        from: 5,
        to: 2,
        label: "spam".into(),
    };
    let errors = bad.validate_with(&blocklist).unwrap_err();
    assert_eq!(
        failures(&errors),
        [("label".to_owned(), "blocked"), (String::new(), "order")]
    );
}

#[derive(Deserialize, Sanitized)]
struct Hostile {
    #[clean(nfkc, strip_invisible, strip_control, trim)]
    #[validate(length(min = 1, max = 64), regex = "^[a-z0-9_]+$")]
    username: String,
    #[clean(nfc)]
    #[validate(length(max = 64))]
    name: String,
    #[clean(escape_html)]
    #[validate(length(max = 256))]
    comment: String,
    #[clean(html)]
    #[validate(length(max = 4096))]
    body: String,
    #[clean(strip_control(keep_newlines))]
    #[validate(length(max = 256))]
    note: String,
}

#[test]
fn hostile_unicode_is_normalized_and_stripped() {
    let mut input = Hostile {
        // full-width letters, a right-to-left override, a zero-width space, a tag character
        username: " ａｄｍｉｎ\u{202E}\u{200B}_\u{E0041}1\u{0} ".into(),
        name: "Cafe\u{301}".into(),
        comment: "<b onclick=\"x\">'hi'</b>".into(),
        body:
            "<p onclick=\"steal()\">hi<script>alert(1)</script><a href=\"javascript:x\">l</a></p>"
                .into(),
        note: "line one\r\nline two\u{1b}[2J".into(),
    };
    input.sanitize_and_validate().unwrap();
    assert_eq!(input.username, "admin_1");
    assert_eq!(input.name, "Caf\u{e9}");
    assert_eq!(
        input.comment,
        "&lt;b onclick=&quot;x&quot;&gt;&#x27;hi&#x27;&lt;/b&gt;"
    );
    assert_eq!(input.body, "<p>hi<a rel=\"noopener noreferrer\">l</a></p>");
    assert_eq!(input.note, "line one\nline two[2J");
}

#[test]
fn look_alikes_are_refused_without_nfkc() {
    #[derive(Deserialize, Sanitized)]
    struct Plain {
        #[validate(length(max = 64), regex = "^[a-z0-9_]+$")]
        username: String,
    }
    assert_eq!(
        codes_of(Plain {
            username: "ａｄｍｉｎ".into()
        }),
        [("username".to_owned(), "regex")]
    );
}

#[test]
fn validation_is_idempotent_after_sanitizing() {
    let mut signup = good_signup();
    signup.sanitize_and_validate().unwrap();
    let email = signup.email.clone();
    signup.sanitize_and_validate().unwrap();
    assert_eq!(signup.email, email);
}

#[derive(Sanitized)]
struct Crowd {
    #[validate(length(max = 10), each(length(min = 2, max = 3)))]
    names: Vec<String>,
    #[validate(length(max = 500), each(length(min = 2, max = 3)))]
    many: Vec<String>,
}

#[test]
fn an_oversized_collection_fails_once_and_the_error_list_is_capped() {
    let hostile = Crowd {
        names: vec!["x".to_owned(); 100_000],
        many: Vec::new(),
    };
    assert_eq!(codes_of(hostile), [("names".to_owned(), "length")]);

    let within = Crowd {
        names: Vec::new(),
        many: vec!["x".to_owned(); 500],
    };
    let errors = within.validate().unwrap_err();
    assert_eq!(errors.len(), palisade::validate::MAX_ERRORS + 1);
    assert!(errors.is_truncated());
    let last = errors.iter().last().unwrap();
    assert_eq!((last.path(), last.code()), ("", "too_many_errors"));
    assert_eq!(errors.iter().nth(99).unwrap().path(), "many[99]");
}

#[derive(Sanitized)]
struct Comment {
    #[clean(html)]
    #[validate(length(min = 1, max = 1000))]
    body: String,
    #[clean(html)]
    #[validate(length(max = 3), each(length(max = 100, bytes)))]
    replies: Vec<String>,
}

#[test]
fn html_parses_only_text_within_its_limit_and_escapes_the_rest() {
    let mut comment = Comment {
        body: "<b>hi</b><script>alert(1)</script>".into(),
        replies: vec!["<i onclick=\"x()\">ok</i>".into()],
    };
    assert!(comment.sanitize_and_validate().is_ok());
    assert_eq!(comment.body, "<b>hi</b>");
    assert_eq!(comment.replies[0], "<i>ok</i>");

    // Deep nesting costs the HTML parser quadratic time: text over the limit is escaped
    // instead of parsed, which leaves it inert, and refused as too long.
    let mut hostile = Comment {
        body: "<div>".repeat(40_000),
        replies: vec![format!("{}<script>x</script>", "<div>".repeat(20))],
    };
    let errors = hostile.sanitize_and_validate().unwrap_err();
    assert_eq!(
        failures(&errors),
        [
            ("body".to_owned(), "length"),
            ("replies[0]".to_owned(), "length")
        ]
    );
    assert!(hostile.body.starts_with("&lt;div&gt;&lt;div&gt;"));
    assert!(!hostile.replies[0].contains('<'));
}

const MAX_NAME: usize = 8;

#[derive(Sanitized)]
struct Pointers {
    #[validate(length(max = 3))]
    boxed: Box<str>,
    #[validate(length(min = 1, max = MAX_NAME))]
    constant: String,
    #[validate(length(max = 4, bytes))]
    path: std::path::PathBuf,
    #[validate(length(max = 2), each(length(max = 2)))]
    shared: std::rc::Rc<Vec<String>>,
    #[validate(length(max = 2), each(length(max = 1)))]
    #[allow(clippy::linkedlist)] // the rules must reach every standard collection
    history: std::collections::LinkedList<String>,
}

#[test]
fn pointers_and_os_strings_are_measured_like_what_they_hold() {
    let ok = Pointers {
        boxed: "abc".into(),
        constant: "a".into(),
        path: "/tmp".into(),
        shared: std::rc::Rc::new(vec!["ab".into()]),
        history: ["a".to_owned()].into_iter().collect(),
    };
    assert!(ok.validate().is_ok());
    let bad = Pointers {
        boxed: "ééèè".into(),
        constant: String::new(),
        path: "/tmp/x".into(),
        shared: std::rc::Rc::new(vec!["ab".into(), "abc".into()]),
        history: ["ab".to_owned()].into_iter().collect(),
    };
    let errors = bad.validate().unwrap_err();
    assert_eq!(
        failures(&errors),
        [
            ("boxed".to_owned(), "length"),
            ("constant".to_owned(), "length"),
            ("path".to_owned(), "length"),
            ("shared[1]".to_owned(), "length"),
            ("history[0]".to_owned(), "length"),
        ]
    );
    let messages: Vec<_> = errors
        .iter()
        .map(palisade::validate::ValidationError::message)
        .collect();
    // A bound given as a constant has no value when the macro runs: the message names none
    // rather than half of them.
    assert_eq!(
        messages[..3],
        [
            "must be at most 3 characters long",
            "must have an allowed length",
            "must be at most 4 bytes long",
        ]
    );
}

#[derive(Sanitized)]
struct Initials {
    #[validate(length(max = 3), keys(one_of = ['a', 'b']), each(range(max = 1)))]
    counts: BTreeMap<char, u8>,
}

#[test]
fn char_keys_are_shown_only_when_harmless_and_never_in_their_own_errors() {
    let counts = BTreeMap::from([('<', 0), ('z', 2)]);
    assert_eq!(
        codes_of(Initials { counts }),
        [
            ("counts[?]".to_owned(), "one_of"),
            ("counts[?]".to_owned(), "one_of"),
            ("counts[z]".to_owned(), "range"),
        ]
    );
}

#[derive(Deserialize, Sanitized)]
enum Contact {
    Email(#[validate(email, length(max = 254))] String),
    #[serde(untagged)]
    Other {
        #[validate(length(min = 1, max = 20))]
        handle: String,
    },
}

#[test]
fn untagged_variants_add_no_path_segment() {
    assert_eq!(
        codes_of(Contact::Email("nope".into())),
        [("Email".to_owned(), "email")]
    );
    assert_eq!(
        codes_of(Contact::Other {
            handle: String::new()
        }),
        [("handle".to_owned(), "length")]
    );
}

#[derive(Sanitized)]
#[validate(context = Blocklist)]
struct Profile {
    #[validate(length(max = 10), custom(function = not_blocked, with_context))]
    nickname: String,
    #[validate(dive)]
    address: Address,
}

#[test]
fn a_type_with_a_context_dives_into_types_that_need_none() {
    let mut profile = Profile {
        nickname: "spam".into(),
        address: Address {
            street: "  ".into(),
            zip_code: " ab1 ".into(),
        },
    };
    let errors = profile
        .sanitize_and_validate_with(&Blocklist(vec!["spam"]))
        .unwrap_err();
    assert_eq!(profile.address.zip_code, "AB1");
    assert_eq!(
        failures(&errors),
        [
            ("nickname".to_owned(), "blocked"),
            ("address.street".to_owned(), "length")
        ]
    );
}

#[derive(Deserialize, Sanitized)]
struct Row(
    #[serde(skip)]
    #[validate(skip(reason = "set by the server, not read from the input"))]
    u64,
    #[validate(length(max = 3))] String,
    #[validate(range(max = 9))] u8,
);

#[test]
fn tuple_paths_count_only_the_fields_serde_reads() {
    let row: Row = serde_json::from_str(r#"["abcd", 10]"#).unwrap();
    assert_eq!(
        codes_of(row),
        [("[0]".to_owned(), "length"), ("[1]".to_owned(), "range")]
    );
}

#[derive(Sanitized)]
struct Thread {
    #[clean(trim)]
    #[validate(each(length(max = 5)), length(max = 2))]
    posts: Vec<String>,
    #[validate(dive, length(max = 2))]
    replies: Option<Vec<Address>>,
}

fn unfinished_address() -> Address {
    Address {
        street: " ".into(),
        zip_code: " x ".into(),
    }
}

#[test]
fn a_collection_over_its_limit_is_neither_rewritten_nor_looked_into() {
    // Over the limit: one error per collection, written after the rules that come first, and
    // no work done on the items (`dive` is written before `length` here on purpose).
    let mut thread = Thread {
        posts: vec![" a ".into(); 3],
        replies: Some(vec![
            unfinished_address(),
            unfinished_address(),
            unfinished_address(),
        ]),
    };
    let errors = thread.sanitize_and_validate().unwrap_err();
    assert_eq!(
        failures(&errors),
        [
            ("posts".to_owned(), "length"),
            ("replies".to_owned(), "length")
        ]
    );
    assert_eq!(thread.posts[0], " a ");
    assert_eq!(thread.replies.as_ref().unwrap()[0].zip_code, " x ");

    // Within the limit: the items are sanitized and validated.
    let mut thread = Thread {
        posts: vec![" a ".into(), " too long ".into()],
        replies: Some(vec![unfinished_address()]),
    };
    let errors = thread.sanitize_and_validate().unwrap_err();
    assert_eq!(thread.posts, ["a", "too long"]);
    assert_eq!(thread.replies.as_ref().unwrap()[0].zip_code, "X");
    assert_eq!(
        failures(&errors),
        [
            ("posts[1]".to_owned(), "length"),
            ("replies[0].street".to_owned(), "length"),
            ("replies[0].zipCode".to_owned(), "regex"),
        ]
    );
}
