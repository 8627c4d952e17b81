//! Passwords (feature `password`): Argon2id hashes in PHC strings with OWASP's parameters,
//! verification with rehash on login and a dummy hash for unknown accounts, and the policy of
//! `#[validate(password)]` through a derived request type, fed hostile input from the corpora.

use palisade::password::{
    HashError, Hasher, MAX_INPUT_BYTES, Password, PasswordHash, Verification,
};
use palisade::{Sanitized, secret::ExposeSecret};
use serde::Deserialize;
use serde_json::json;

const PASSPHRASE: &str = "correct horse battery staple";

#[derive(Debug, Deserialize, Sanitized)]
struct Signup {
    #[validate(email, length(max = 254))]
    email: String,
    #[validate(password(unlike = email))]
    password: Password,
}

fn signup(email: &str, password: &str) -> Signup {
    serde_json::from_value(json!({ "email": email, "password": password })).unwrap()
}

/// The codes of the errors of a sign-up, with their paths.
fn failures(signup: &Signup) -> Vec<(String, &'static str)> {
    signup
        .validate()
        .err()
        .map(|errors| {
            errors
                .iter()
                .map(|error| (error.path().to_owned(), error.code()))
                .collect()
        })
        .unwrap_or_default()
}

fn password_error(email: &str, password: &str) -> Option<&'static str> {
    match failures(&signup(email, password)).as_slice() {
        [] => None,
        [(path, code)] if path == "password" => Some(code),
        other => panic!("unexpected errors for a sign-up: {other:?}"),
    }
}

#[test]
fn a_hash_is_an_argon2id_phc_string_with_owasps_minimum() {
    let hasher = Hasher::default();
    let password = Password::from(PASSPHRASE);
    let first = hasher.hash(&password).unwrap();
    let second = hasher.hash(&password).unwrap();
    for hash in [&first, &second] {
        assert!(
            hash.as_phc().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            hash.as_phc()
        );
        assert!(!hash.as_phc().contains(PASSPHRASE));
    }
    // A fresh salt each time.
    assert_ne!(first.as_phc(), second.as_phc());
    let read = PasswordHash::parse(first.as_phc()).unwrap();
    assert_eq!(read.as_phc(), first.as_phc());
    assert_eq!(
        (read.memory_kib(), read.iterations(), read.parallelism()),
        (19_456, 2, 1)
    );
}

#[test]
fn the_right_password_verifies_and_a_wrong_one_does_not() {
    let hasher = Hasher::default();
    let stored = hasher.hash(&Password::from(PASSPHRASE)).unwrap();
    assert!(matches!(
        hasher.verify(&stored, &Password::from(PASSPHRASE)),
        Verification::Verified { rehash: None }
    ));
    for wrong in [
        "correct horse battery stapl",
        "Correct horse battery staple",
        "correct horse battery staple ",
        "",
    ] {
        assert!(matches!(
            hasher.verify(&stored, &Password::from(wrong)),
            Verification::Rejected
        ));
    }
    // A hash read back from storage verifies the same.
    let read = PasswordHash::parse(stored.as_phc()).unwrap();
    assert!(
        hasher
            .verify(&read, &Password::from(PASSPHRASE))
            .is_verified()
    );
}

#[test]
fn parse_refuses_anything_but_argon2id() {
    let own = Hasher::default().hash(&Password::from(PASSPHRASE)).unwrap();
    let rest = own.as_phc().strip_prefix("$argon2id$").unwrap();
    for refused in [
        String::new(),
        "garbage".to_owned(),
        "$".to_owned(),
        "$argon2id$".to_owned(),
        format!("$argon2i${rest}"),
        format!("$argon2d${rest}"),
        own.as_phc().replace("v=19", "v=16"),
        own.as_phc().rsplit_once('$').unwrap().0.to_owned(),
        format!("{}$", own.as_phc()),
        own.as_phc().replace("m=19456", "m=abc"),
        "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW".to_owned(),
        "$pbkdf2-sha256$29000$N2bMWStl7D2H0BrD2Ls3Zg$cWprnBLU2i6TxolBpOWJD8.pxjNiy7qwDFKYgHn/XZY"
            .to_owned(),
        "5f4dcc3b5aa765d61d8327deb882cf99".to_owned(),
    ] {
        assert_eq!(
            PasswordHash::parse(&refused).map(|hash| hash.as_phc().to_owned()),
            Err(HashError::Malformed),
            "{refused}"
        );
    }
}

#[test]
fn parameters_below_owasps_minimum_are_refused() {
    for (m, t, p) in [
        (19_455, 2, 1),
        (19_456, 1, 1),
        (19_456, 2, 0),
        (4_096, 1, 1),
    ] {
        assert_eq!(
            Hasher::new(m, t, p).map(|_| ()),
            Err(HashError::BelowMinimum),
            "m={m}, t={t}, p={p}"
        );
    }
    // Argon2 needs 8 KiB of memory per lane.
    assert_eq!(
        Hasher::new(19_456, 2, 4_096).map(|_| ()),
        Err(HashError::Unsupported)
    );
    let stronger = Hasher::new(65_536, 3, 2).unwrap();
    assert_eq!(
        (
            stronger.memory_kib(),
            stronger.iterations(),
            stronger.parallelism()
        ),
        (65_536, 3, 2)
    );
    assert!(HashError::BelowMinimum.to_string().contains("OWASP"));
}

#[test]
fn a_weaker_hash_is_replaced_on_login() {
    let password = Password::from(PASSPHRASE);
    let old = Hasher::default().hash(&password).unwrap();
    let hasher = Hasher::new(32_768, 2, 1).unwrap();
    let Verification::Verified {
        rehash: Some(newer),
    } = hasher.verify(&old, &password)
    else {
        panic!("a right password on a weaker hash is valid, with a new hash");
    };
    assert!(
        newer
            .as_phc()
            .starts_with("$argon2id$v=19$m=32768,t=2,p=1$"),
        "{}",
        newer.as_phc()
    );
    // The new hash is the hasher's own: no further rehash.
    assert!(matches!(
        hasher.verify(&newer, &password),
        Verification::Verified { rehash: None }
    ));
    let own = hasher.hash(&password).unwrap();
    assert!(matches!(
        hasher.verify(&own, &password),
        Verification::Verified { rehash: None }
    ));
    // A wrong password on a weak hash gets no new hash.
    assert!(matches!(
        hasher.verify(&old, &Password::from("wrong horse battery staple")),
        Verification::Rejected
    ));
    // A stronger hash than the hasher's is kept.
    assert!(matches!(
        Hasher::default().verify(&own, &password),
        Verification::Verified { rehash: None }
    ));
}

#[test]
fn an_unknown_account_is_invalid_after_a_real_verification() {
    let hasher = Hasher::new(32_768, 3, 1).unwrap();
    let password = Password::from(PASSPHRASE);
    assert!(matches!(
        hasher.verify_or_dummy(None, &password),
        Verification::Rejected
    ));
    // The dummy is a well-formed Argon2id hash with the hasher's parameters, so verifying
    // against it costs what verifying against a stored hash costs; it is made once.
    let dummy = hasher.dummy_hash();
    assert!(std::ptr::eq(dummy, hasher.dummy_hash()));
    assert!(
        dummy
            .as_phc()
            .starts_with("$argon2id$v=19$m=32768,t=3,p=1$"),
        "{}",
        dummy.as_phc()
    );
    let read = PasswordHash::parse(dummy.as_phc()).unwrap();
    assert_eq!(
        (read.memory_kib(), read.iterations(), read.parallelism()),
        (
            hasher.memory_kib(),
            hasher.iterations(),
            hasher.parallelism()
        )
    );
    assert_eq!(
        dummy.as_phc().len(),
        hasher.hash(&password).unwrap().as_phc().len()
    );
    // Another hasher, another dummy.
    assert_ne!(
        Hasher::new(32_768, 3, 1).unwrap().dummy_hash().as_phc(),
        dummy.as_phc()
    );
    let stored = hasher.hash(&password).unwrap();
    assert!(
        hasher
            .verify_or_dummy(Some(&stored), &password)
            .is_verified()
    );
    assert!(matches!(
        hasher.verify_or_dummy(Some(&stored), &Password::from("wrong")),
        Verification::Rejected
    ));
}

#[test]
fn debug_shows_no_secret() {
    let password = Password::from(PASSPHRASE);
    assert_eq!(format!("{password:?}"), "[REDACTED]");
    let hash = Hasher::default().hash(&password).unwrap();
    let shown = format!("{hash:?} {hash:#?}");
    for part in hash.as_phc().split('$').filter(|part| part.len() > 16) {
        assert!(!shown.contains(part), "{shown}");
    }
    assert!(shown.contains("19456"), "{shown}");
    let signup = signup("ada@example.com", PASSPHRASE);
    let shown = format!("{signup:?}");
    assert!(!shown.contains("horse"), "{shown}");
    assert!(shown.contains("[REDACTED]"), "{shown}");
    let verification = Hasher::default().verify(&hash, &password);
    assert!(!format!("{verification:?}").contains("horse"));
}

#[test]
fn the_policy_reports_each_failure_with_its_code() {
    let email = "ada.lovelace@example.com";
    assert_eq!(password_error(email, PASSPHRASE), None);
    assert_eq!(password_error(email, "Tr0ub4dor&3 is long enough"), None);
    assert_eq!(password_error(email, "hunter2"), Some("password_too_short"));
    assert_eq!(
        password_error(email, "ab cd ef gh"),
        Some("password_too_short")
    );
    assert_eq!(
        password_error(email, &"xk7 ".repeat(40)),
        Some("password_too_long")
    );
    for common in [
        "Password1234!",
        "qwertyuiop123",
        "111111111111",
        "iloveyou2024!",
        "P@ssw0rd2024!",
        "abcabcabcabc",
        "1234567890ab",
    ] {
        assert_eq!(
            password_error(email, common),
            Some("password_common"),
            "{common}"
        );
    }
    for like in [
        "ada.lovelace@example.com",
        "ADA.LOVELACE@EXAMPLE.COM",
        "Ada.Lovelace",
        "adalovelace1815!",
        "lovelace-password",
    ] {
        assert_eq!(
            password_error(email, like),
            Some("password_like_account"),
            "{like}"
        );
    }
    // Messages are fixed: the password is never in an error.
    let errors = signup(email, "iloveyou2024!").validate().unwrap_err();
    let error = errors.iter().next().unwrap();
    assert_eq!(error.path(), "password");
    assert!(!error.message().to_lowercase().contains("iloveyou"));
    assert!(!errors.to_string().contains("2024"));
}

#[test]
fn input_over_the_limit_never_reaches_the_policy() {
    let huge = "a".repeat(MAX_INPUT_BYTES + 1);
    let error =
        serde_json::from_value::<Signup>(json!({ "email": "a@example.com", "password": huge }))
            .unwrap_err()
            .to_string();
    assert!(error.contains("at most 4096 bytes"), "{error}");
    assert!(!error.contains("aaaa"), "{error}");
    let error =
        serde_json::from_value::<Signup>(json!({ "email": "a@example.com", "password": 482_913 }))
            .unwrap_err()
            .to_string();
    assert!(!error.contains("482913"), "{error}");
    let at_limit = "a".repeat(MAX_INPUT_BYTES);
    let signup = signup("a@example.com", &at_limit);
    assert_eq!(signup.password.expose_secret().len(), MAX_INPUT_BYTES);
    assert_eq!(
        failures(&signup),
        [("password".to_owned(), "password_too_long")]
    );
}

#[test]
fn hostile_passwords_from_the_corpora_never_panic_the_policy() {
    let file = format!("{}/sqli/Auth_Bypass.txt", palisade_testkit::corpus::CORPORA);
    let text = std::fs::read(&file).unwrap();
    let lines: Vec<String> = String::from_utf8_lossy(&text)
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(lines.len() > 50, "{file} has {} lines", lines.len());
    let known = [
        "password_too_short",
        "password_too_long",
        "password_common",
        "password_like_account",
    ];
    for line in &lines {
        for padded in [line.clone(), format!("{line}{line}{line}{line}")] {
            for email in ["ada@example.com", line.as_str()] {
                let value = signup(email, &padded);
                for (path, code) in failures(&value) {
                    assert!(
                        path == "email" || (path == "password" && known.contains(&code)),
                        "{path}: {code}"
                    );
                }
                let _ = value.password.check_policy(Some(line));
            }
        }
    }
}
