//! The `url` rule against the WHATWG URL parsing tests (`testkit/corpora/url/url/tests/
//! urltestdata.json`, web-platform-tests via servo/rust-url).
//!
//! A field holds an absolute URL, so there is never a base: a case that must fail to parse is
//! refused, with or without its base, and a case without a base that parses is accepted exactly
//! when its scheme is on the rule's list (`http` and `https` by default). Cases that only parse
//! against a base are relative references, and a link or redirect field must refuse them too.
//! A failure names the case by its index in the JSON array and its input.

use palisade::Sanitized;
use serde_json::Value;

const TESTS: &str = "url/url/tests/urltestdata.json";

#[derive(Sanitized)]
struct WebUrl {
    #[validate(url, length(max = 100_000))]
    url: String,
}

#[derive(Sanitized)]
struct HttpsUrl {
    #[validate(url(schemes = ["https"]), length(max = 100_000))]
    url: String,
}

/// A list without `http`, to show the list replaces the default rather than adding to it.
#[derive(Sanitized)]
struct OtherSchemes {
    #[validate(url(schemes = ["ws", "wss", "mailto", "file"]), length(max = 100_000))]
    url: String,
}

/// The schemes each variant accepts, and whether it accepts `input`.
type Variant = (&'static str, &'static [&'static str], fn(&str) -> bool);

const VARIANTS: &[Variant] = &[
    ("url", &["http", "https"], |input| {
        WebUrl { url: input.into() }.validate().is_ok()
    }),
    ("url(schemes = [\"https\"])", &["https"], |input| {
        HttpsUrl { url: input.into() }.validate().is_ok()
    }),
    (
        "url(schemes = [\"ws\", \"wss\", \"mailto\", \"file\"])",
        &["ws", "wss", "mailto", "file"],
        |input| OtherSchemes { url: input.into() }.validate().is_ok(),
    ),
];

/// One parse case; the array's strings are section comments and are not cases.
struct Case {
    index: usize,
    input: String,
    base: Option<String>,
    /// `None` when the input must fail to parse, else the `protocol` (`"https:"`).
    protocol: Option<String>,
}

impl std::fmt::Display for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "case [{}] input {:?}", self.index, self.input)?;
        if let Some(base) = &self.base {
            write!(f, " base {base:?}")?;
        }
        Ok(())
    }
}

fn cases() -> Vec<Case> {
    let text = palisade_testkit::corpus::text(TESTS);
    let entries: Vec<Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{TESTS}: {e}"));
    entries
        .iter()
        .enumerate()
        .filter_map(|(index, entry)| {
            let object = entry.as_object()?;
            let string = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
            let failure = object.get("failure").and_then(Value::as_bool) == Some(true);
            Some(Case {
                index,
                input: string("input").unwrap_or_else(|| panic!("[{index}] has no input")),
                base: string("base"),
                protocol: if failure {
                    None
                } else {
                    Some(string("protocol").unwrap_or_else(|| panic!("[{index}] no protocol")))
                },
            })
        })
        .collect()
}

fn assert_none(what: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} {what}:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

#[test]
fn the_corpus_is_complete() {
    let cases = cases();
    assert_eq!(cases.len(), 869, "urltestdata.json holds 869 parse cases");
    assert_eq!(cases.iter().filter(|c| c.protocol.is_none()).count(), 273);
}

#[test]
fn every_failure_case_is_rejected() {
    let mut failures = Vec::new();
    for case in cases().iter().filter(|case| case.protocol.is_none()) {
        for (rule, _, accepts) in VARIANTS {
            if accepts(&case.input) {
                failures.push(format!("{case}: must fail to parse, `{rule}` accepts it"));
            }
        }
    }
    assert_none("inputs that must not parse are accepted", &failures);
}

#[test]
fn absolute_urls_are_accepted_iff_their_scheme_is_listed() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases() {
        let (None, Some(protocol)) = (&case.base, &case.protocol) else {
            continue;
        };
        checked += 1;
        let scheme = protocol.strip_suffix(':').expect("a protocol ends in `:`");
        for (rule, schemes, accepts) in VARIANTS {
            let expected = schemes.contains(&scheme);
            if accepts(&case.input) != expected {
                failures.push(format!(
                    "{case}: scheme {scheme:?}, `{rule}` should {}",
                    if expected { "accept" } else { "reject" }
                ));
            }
        }
    }
    assert_eq!(checked, 328, "the cases without a base that parse");
    assert_none(
        "absolute URLs are judged against the wrong scheme list",
        &failures,
    );
}

#[test]
fn relative_references_are_rejected() {
    // A case that parses only against its base is relative when the base actually matters:
    // the input alone has no scheme. Those must never pass, whatever the list.
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases() {
        if case.base.is_none() || case.protocol.is_none() || has_scheme(&case.input) {
            continue;
        }
        checked += 1;
        for (rule, _, accepts) in VARIANTS {
            if accepts(&case.input) {
                failures.push(format!("{case}: relative, `{rule}` accepts it"));
            }
        }
    }
    assert!(
        checked > 100,
        "expected many relative references, saw {checked}"
    );
    assert_none("relative references are accepted", &failures);
}

/// Whether `input` starts with a scheme as the WHATWG parser reads one: after leading C0
/// controls and spaces, an ASCII letter, then letters, digits, `+`, `-` or `.`, then `:`,
/// with tabs and newlines ignored anywhere.
fn has_scheme(input: &str) -> bool {
    let cleaned: String = input
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some((scheme, _)) = cleaned.split_once(':') else {
        return false;
    };
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}
