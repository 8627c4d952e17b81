//! One signup form validated five ways: palisade's `Sanitized` (validation only, and sanitize
//! then validate), `validator` 0.21's derive, `garde` 0.23's derive, and a hand-written
//! function that makes palisade's checks with the same check functions and reports the same
//! errors.
//!
//! The form has an email, a URL, three bounded strings, a number range, a regex, a nested
//! address and a list of ten tags. See `benches/README.md` for the command, the results and
//! what differs between the crates.

use std::hint::black_box;
use std::sync::LazyLock;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use palisade::{
    Sanitized,
    validate::{FieldPath, ValidationErrors},
};
use regex::Regex;
use validator::{ValidateEmail, ValidateRegex};

/// The username pattern, shared by the hand-written function, validator and garde; palisade
/// compiles the same pattern from its attribute into a static of its own.
static USERNAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-z0-9_]+$").unwrap());

// ---------------------------------------------------------------------------------------------
// Inputs.

/// One form's values, turned into each crate's struct.
struct Form {
    email: &'static str,
    homepage: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    bio: &'static str,
    username: &'static str,
    age: u8,
    street: &'static str,
    city: &'static str,
    postal_code: &'static str,
    tags: [&'static str; 10],
}

/// Valid as it is: what the validate-only contenders get.
const VALID: Form = Form {
    email: "ada.lovelace@example.com",
    homepage: "https://example.com/~ada/profile?tab=about",
    first_name: "Ada",
    last_name: "Lovelace",
    bio: "Mathematician and writer, known for her notes on the Analytical Engine.",
    username: "ada_lovelace",
    age: 36,
    street: "12 St James's Square",
    city: "London",
    postal_code: "SW1Y 4JH",
    tags: [
        "math",
        "poetry",
        "engines",
        "computing",
        "notes",
        "bernoulli",
        "victorian",
        "london",
        "science",
        "history",
    ],
};

/// Valid once sanitized: padded, mixed case and doubled spaces, so every sanitizer rewrites.
const VALID_DIRTY: Form = Form {
    email: "  Ada.Lovelace@Example.COM ",
    homepage: " https://example.com/~ada/profile?tab=about\n",
    first_name: "  Ada ",
    last_name: "Lovelace  ",
    bio: "  Mathematician and writer, known for her notes on the Analytical Engine.  ",
    username: " Ada_Lovelace ",
    age: 36,
    street: "12  St James's   Square ",
    city: " London",
    postal_code: " sw1y 4jh ",
    tags: [
        " Math",
        "Poetry ",
        " Engines ",
        "Computing",
        " notes",
        "Bernoulli",
        " victorian ",
        "LONDON",
        "  science",
        "History  ",
    ],
};

/// Seven rules fail: email, URL, an empty first name, the username pattern, the age, the
/// nested city and the fifth tag's length.
const INVALID: Form = Form {
    email: "ada.lovelace@",
    homepage: "not a url",
    first_name: "",
    last_name: "Lovelace",
    bio: "Mathematician and writer, known for her notes on the Analytical Engine.",
    username: "ada lovelace!",
    age: 9,
    street: "12 St James's Square",
    city: "",
    postal_code: "SW1Y 4JH",
    tags: [
        "math",
        "poetry",
        "engines",
        "computing",
        "a tag that is far too long to be accepted here",
        "bernoulli",
        "victorian",
        "london",
        "science",
        "history",
    ],
};

/// The same seven failures, padded so that the sanitizers have work.
const INVALID_DIRTY: Form = Form {
    email: "  Ada.Lovelace@ ",
    homepage: " not a url ",
    first_name: "   ",
    last_name: "Lovelace  ",
    bio: "  Mathematician and writer, known for her notes on the Analytical Engine.  ",
    username: " Ada Lovelace! ",
    age: 9,
    street: "12  St James's   Square ",
    city: "  ",
    postal_code: " sw1y 4jh ",
    tags: [
        " Math",
        "Poetry ",
        " Engines ",
        "Computing",
        " A tag that is far too long to be accepted here ",
        "Bernoulli",
        " victorian ",
        "LONDON",
        "  science",
        "History  ",
    ],
};

/// Builds each crate's struct (same field names, same nesting) from a [`Form`].
macro_rules! from_form {
    ($signup:ident, $address:ident) => {
        impl From<&Form> for $signup {
            fn from(form: &Form) -> Self {
                $signup {
                    email: form.email.into(),
                    homepage: form.homepage.into(),
                    first_name: form.first_name.into(),
                    last_name: form.last_name.into(),
                    bio: form.bio.into(),
                    username: form.username.into(),
                    age: form.age,
                    address: $address {
                        street: form.street.into(),
                        city: form.city.into(),
                        postal_code: form.postal_code.into(),
                    },
                    tags: form.tags.iter().map(|&tag| tag.into()).collect(),
                }
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// palisade.

mod with_palisade {
    use palisade::Sanitized;

    #[derive(Clone, Sanitized)]
    pub struct Address {
        #[clean(collapse_whitespace)]
        #[validate(length(min = 1, max = 100))]
        pub street: String,
        #[clean(collapse_whitespace)]
        #[validate(length(min = 1, max = 64))]
        pub city: String,
        #[clean(trim, uppercase)]
        #[validate(length(min = 3, max = 10))]
        pub postal_code: String,
    }

    #[derive(Clone, Sanitized)]
    pub struct Signup {
        #[clean(trim, lowercase)]
        #[validate(email, length(max = 254))]
        pub email: String,
        #[clean(trim)]
        #[validate(url, length(max = 2048))]
        pub homepage: String,
        #[clean(collapse_whitespace)]
        #[validate(length(min = 1, max = 64))]
        pub first_name: String,
        #[clean(collapse_whitespace)]
        #[validate(length(min = 1, max = 64))]
        pub last_name: String,
        #[clean(trim)]
        #[validate(length(max = 500))]
        pub bio: String,
        #[clean(trim, lowercase)]
        #[validate(regex = "^[a-z0-9_]+$", length(min = 3, max = 32))]
        pub username: String,
        #[validate(range(min = 13, max = 130))]
        pub age: u8,
        #[validate(dive)]
        pub address: Address,
        #[clean(trim, lowercase)]
        #[validate(length(max = 10), each(length(min = 1, max = 32)))]
        pub tags: Vec<String>,
    }
}

use with_palisade::{Address, Signup};
from_form!(Signup, Address);

// ---------------------------------------------------------------------------------------------
// Hand-written: palisade's checks, in palisade's order, with the check functions palisade calls
// (`runtime/src/rules/`), reporting the same `ValidationErrors`.

fn chars_within(text: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&text.chars().count())
}

fn http_url(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
}

fn check_length(
    errors: &mut ValidationErrors,
    path: &FieldPath<'_>,
    text: &str,
    (min, max): (usize, usize),
    message: &'static str,
) {
    if !chars_within(text, min, max) {
        errors.push(path, "length", message);
    }
}

fn validate_address_by_hand(
    address: &Address,
    path: &FieldPath<'_>,
    errors: &mut ValidationErrors,
) {
    check_length(
        errors,
        &path.field("street"),
        &address.street,
        (1, 100),
        "must be between 1 and 100 characters long",
    );
    check_length(
        errors,
        &path.field("city"),
        &address.city,
        (1, 64),
        "must be between 1 and 64 characters long",
    );
    check_length(
        errors,
        &path.field("postal_code"),
        &address.postal_code,
        (3, 10),
        "must be between 3 and 10 characters long",
    );
}

/// palisade's `email` rule: validator's check, after the whole-address length, dot-atom and
/// whole-domain address literal checks that palisade adds (the same one-pass code).
fn email_by_hand(email: &str) -> bool {
    let address = email.as_bytes();
    let Some(at) = address.iter().rposition(|&b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&address[..at], &address[at + 1..]);
    let mut after_dot = true;
    for &byte in local {
        if byte == b'.' && after_dot {
            return false;
        }
        after_dot = byte == b'.';
    }
    let whole_literal = match domain.first() {
        Some(b'[') => domain.last() == Some(&b']'),
        _ => !domain.contains(&b'['),
    };
    address.len() <= 254 && !after_dot && whole_literal && email.validate_email()
}

fn validate_by_hand(signup: &Signup) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let root = FieldPath::ROOT;

    let path = root.field("email");
    if !email_by_hand(&signup.email) {
        errors.push(&path, "email", "must be a valid email address");
    }
    check_length(
        &mut errors,
        &path,
        &signup.email,
        (0, 254),
        "must be at most 254 characters long",
    );

    let path = root.field("homepage");
    if !http_url(&signup.homepage) {
        errors.push(&path, "url", "must be a valid http or https URL");
    }
    check_length(
        &mut errors,
        &path,
        &signup.homepage,
        (0, 2048),
        "must be at most 2048 characters long",
    );

    check_length(
        &mut errors,
        &root.field("first_name"),
        &signup.first_name,
        (1, 64),
        "must be between 1 and 64 characters long",
    );
    check_length(
        &mut errors,
        &root.field("last_name"),
        &signup.last_name,
        (1, 64),
        "must be between 1 and 64 characters long",
    );
    check_length(
        &mut errors,
        &root.field("bio"),
        &signup.bio,
        (0, 500),
        "must be at most 500 characters long",
    );

    let path = root.field("username");
    if !signup.username.as_str().validate_regex(&*USERNAME) {
        errors.push(&path, "regex", "must match the required pattern");
    }
    check_length(
        &mut errors,
        &path,
        &signup.username,
        (3, 32),
        "must be between 3 and 32 characters long",
    );

    if !(13..=130).contains(&signup.age) {
        errors.push(&root.field("age"), "range", "must be between 13 and 130");
    }

    validate_address_by_hand(&signup.address, &root.field("address"), &mut errors);

    let path = root.field("tags");
    if signup.tags.len() > 10 {
        // Like palisade, the elements of a list over its limit are not looked at.
        errors.push(&path, "length", "must have at most 10 items");
    } else {
        for (index, tag) in signup.tags.iter().enumerate() {
            check_length(
                &mut errors,
                &path.index(index),
                tag,
                (1, 32),
                "must be between 1 and 32 characters long",
            );
        }
    }

    errors.into_result()
}

/// palisade's sanitizers, in the order the attributes list them, then [`validate_by_hand`].
fn sanitize_and_validate_by_hand(signup: &mut Signup) -> Result<(), ValidationErrors> {
    use palisade::sanitize::{collapse_whitespace, lowercase, trim, uppercase};
    trim(&mut signup.email);
    lowercase(&mut signup.email);
    trim(&mut signup.homepage);
    collapse_whitespace(&mut signup.first_name);
    collapse_whitespace(&mut signup.last_name);
    trim(&mut signup.bio);
    trim(&mut signup.username);
    lowercase(&mut signup.username);
    collapse_whitespace(&mut signup.address.street);
    collapse_whitespace(&mut signup.address.city);
    trim(&mut signup.address.postal_code);
    uppercase(&mut signup.address.postal_code);
    for tag in &mut signup.tags {
        trim(tag);
        lowercase(tag);
    }
    validate_by_hand(signup)
}

// ---------------------------------------------------------------------------------------------
// validator 0.21: the same rules; its `url` does not check the scheme, and it has no rule for
// the elements of a `Vec<String>`, so a custom function checks the tags.

mod with_validator {
    use validator::{Validate, ValidationError};

    use super::{USERNAME, chars_within};

    #[derive(Validate)]
    pub struct Address {
        #[validate(length(min = 1, max = 100))]
        pub street: String,
        #[validate(length(min = 1, max = 64))]
        pub city: String,
        #[validate(length(min = 3, max = 10))]
        pub postal_code: String,
    }

    #[derive(Validate)]
    pub struct Signup {
        #[validate(email, length(max = 254))]
        pub email: String,
        #[validate(url, length(max = 2048))]
        pub homepage: String,
        #[validate(length(min = 1, max = 64))]
        pub first_name: String,
        #[validate(length(min = 1, max = 64))]
        pub last_name: String,
        #[validate(length(max = 500))]
        pub bio: String,
        #[validate(regex(path = *USERNAME), length(min = 3, max = 32))]
        pub username: String,
        #[validate(range(min = 13, max = 130))]
        pub age: u8,
        #[validate(nested)]
        pub address: Address,
        #[validate(length(max = 10), custom(function = tags))]
        pub tags: Vec<String>,
    }

    fn tags(tags: &[String]) -> Result<(), ValidationError> {
        if tags.iter().all(|tag| chars_within(tag, 1, 32)) {
            Ok(())
        } else {
            Err(ValidationError::new("length"))
        }
    }
}

from_form!(ValidatorSignup, ValidatorAddress);
use with_validator::{Address as ValidatorAddress, Signup as ValidatorSignup};

// ---------------------------------------------------------------------------------------------
// garde 0.23: the same rules, `chars` lengths; its `email` is its own parser (not
// `validator`'s) and its `url` does not check the scheme.

mod with_garde {
    use garde::Validate;

    use super::USERNAME;

    #[derive(Validate)]
    pub struct Address {
        #[garde(length(chars, min = 1, max = 100))]
        pub street: String,
        #[garde(length(chars, min = 1, max = 64))]
        pub city: String,
        #[garde(length(chars, min = 3, max = 10))]
        pub postal_code: String,
    }

    #[derive(Validate)]
    pub struct Signup {
        #[garde(email, length(chars, max = 254))]
        pub email: String,
        #[garde(url, length(chars, max = 2048))]
        pub homepage: String,
        #[garde(length(chars, min = 1, max = 64))]
        pub first_name: String,
        #[garde(length(chars, min = 1, max = 64))]
        pub last_name: String,
        #[garde(length(chars, max = 500))]
        pub bio: String,
        #[garde(pattern(USERNAME), length(chars, min = 3, max = 32))]
        pub username: String,
        #[garde(range(min = 13, max = 130))]
        pub age: u8,
        #[garde(dive)]
        pub address: Address,
        #[garde(length(max = 10), inner(length(chars, min = 1, max = 32)))]
        pub tags: Vec<String>,
    }
}

from_form!(GardeSignup, GardeAddress);
use with_garde::{Address as GardeAddress, Signup as GardeSignup};

// ---------------------------------------------------------------------------------------------
// Benchmarks.

fn failures(errors: &ValidationErrors) -> Vec<(String, &'static str)> {
    errors
        .iter()
        .map(|error| (error.path().to_owned(), error.code()))
        .collect()
}

/// Every contender accepts the valid forms, rejects the invalid ones, and the hand-written
/// function reports exactly what palisade reports (paths, codes and messages).
fn check_contenders() {
    use garde::Validate as _;
    use validator::Validate as _;

    for form in [&VALID, &VALID_DIRTY] {
        let mut signup = Signup::from(form);
        let mut by_hand = signup.clone();
        assert!(sanitize_and_validate_by_hand(&mut by_hand).is_ok());
        assert!(signup.sanitize_and_validate().is_ok());
    }
    assert!(validate_by_hand(&Signup::from(&VALID)).is_ok());
    assert!(Signup::from(&VALID).validate().is_ok());
    assert!(ValidatorSignup::from(&VALID).validate().is_ok());
    assert!(GardeSignup::from(&VALID).validate().is_ok());

    let expected = [
        ("email", "email"),
        ("homepage", "url"),
        ("first_name", "length"),
        ("username", "regex"),
        ("age", "range"),
        ("address.city", "length"),
        ("tags[4]", "length"),
    ]
    .map(|(path, code)| (path.to_owned(), code));
    let palisade = Signup::from(&INVALID).validate().unwrap_err();
    assert_eq!(failures(&palisade), expected);
    let by_hand = validate_by_hand(&Signup::from(&INVALID)).unwrap_err();
    assert_eq!(by_hand, palisade);
    let mut dirty = Signup::from(&INVALID_DIRTY);
    let mut dirty_by_hand = dirty.clone();
    let palisade = dirty.sanitize_and_validate().unwrap_err();
    assert_eq!(failures(&palisade), expected);
    assert_eq!(
        sanitize_and_validate_by_hand(&mut dirty_by_hand).unwrap_err(),
        palisade
    );

    let validator = ValidatorSignup::from(&INVALID).validate().unwrap_err();
    let mut fields: Vec<&str> = validator.errors().keys().map(AsRef::as_ref).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "address",
            "age",
            "email",
            "first_name",
            "homepage",
            "tags",
            "username"
        ]
    );
    let garde = GardeSignup::from(&INVALID).validate().unwrap_err();
    assert_eq!(garde.iter().count(), expected.len());
}

fn bench_form(c: &mut Criterion, group: &str, clean: &Form, dirty: &Form) {
    use garde::Validate as _;
    use validator::Validate as _;

    let signup = Signup::from(clean);
    let validator_signup = ValidatorSignup::from(clean);
    let garde_signup = GardeSignup::from(clean);
    let dirty = Signup::from(dirty);

    let mut group = c.benchmark_group(group);
    group.bench_function("hand_written", |b| {
        b.iter(|| validate_by_hand(black_box(&signup)));
    });
    group.bench_function("palisade_validate", |b| {
        b.iter(|| black_box(&signup).validate());
    });
    group.bench_function("validator", |b| {
        b.iter(|| black_box(&validator_signup).validate());
    });
    group.bench_function("garde", |b| {
        b.iter(|| black_box(&garde_signup).validate());
    });
    // Sanitizing rewrites the value, so each iteration gets a fresh clone of the dirty form;
    // the clone and the drops happen outside the timed part. Both contenders run the same way.
    group.bench_function("hand_written_sanitize_validate", |b| {
        b.iter_batched(
            || dirty.clone(),
            |mut signup| {
                let result = sanitize_and_validate_by_hand(&mut signup);
                (signup, result)
            },
            BatchSize::SmallInput,
        );
    });
    group.bench_function("palisade_sanitize_validate", |b| {
        b.iter_batched(
            || dirty.clone(),
            |mut signup| {
                let result = signup.sanitize_and_validate();
                (signup, result)
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

fn signup(c: &mut Criterion) {
    check_contenders();
    bench_form(c, "signup_valid", &VALID, &VALID_DIRTY);
    bench_form(c, "signup_invalid", &INVALID, &INVALID_DIRTY);
}

criterion_group!(benches, signup);
criterion_main!(benches);
