//! Test helpers shared by palisade's test crates: the public attack corpora under
//! `testkit/corpora/` ([`corpus`]), and a checker that parses HTML with html5ever, as a browser
//! would, and names every part of it that could run script ([`html`]); a real `redis-server`
//! on a free loopback port ([`redis_server`]); the JWT fixture of the tests ([`jwt`]).
//!
//! ```
//! use palisade_testkit::{corpus, html};
//!
//! let payloads = corpus::payloads("xss");
//! let flagged = payloads.iter().filter(|p| !html::unsafe_parts(&p.text).is_empty()).count();
//! assert!(flagged > 0);
//! ```

#![forbid(unsafe_code)]

pub mod corpus;
pub mod html;
pub mod jwt;
pub mod redis_server;
pub mod types;

use std::fmt::Write as _;

/// Fails with every collected failure (the first hundred), so that one run shows them all
/// instead of stopping at the first; does nothing when there is none.
///
/// ```
/// palisade_testkit::assert_none("are refused", &[]);
/// ```
///
/// ```should_panic
/// palisade_testkit::assert_none("are refused", &["xss/a.txt:1: element <script>".to_owned()]);
/// ```
///
/// # Panics
///
/// When `failures` is not empty, with `what` and the failures in the message.
pub fn assert_none(what: &str, failures: &[String]) {
    if failures.is_empty() {
        return;
    }
    let mut report = format!("{} payloads: {what}\n", failures.len());
    for failure in failures.iter().take(100) {
        let _ = writeln!(report, "  {failure}");
    }
    panic!("{report}");
}

/// The value of the cookie `name` among `Set-Cookie` header values, if one sets it to a
/// non-empty value.
///
/// ```
/// let lines = ["theme=dark; Path=/", "__Host-session=ab12; Path=/; Secure; HttpOnly"];
/// assert_eq!(palisade_testkit::set_cookie_value(lines, "__Host-session").as_deref(), Some("ab12"));
/// assert_eq!(palisade_testkit::set_cookie_value(["__Host-session=; Max-Age=0"], "__Host-session"), None);
/// ```
pub fn set_cookie_value<'a>(
    set_cookies: impl IntoIterator<Item = &'a str>,
    name: &str,
) -> Option<String> {
    set_cookies
        .into_iter()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix('='))
        .map(|rest| rest.split(';').next().unwrap_or("").to_owned())
        .filter(|value| !value.is_empty())
}
