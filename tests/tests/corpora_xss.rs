//! The `html` and `escape_html` sanitizers against the XSS payloads of `PayloadsAllTheThings`
//! (`testkit/corpora/xss/`, MIT).
//!
//! The sanitizer's output is not trusted as ammonia built it: it is re-parsed with html5ever
//! by `palisade_testkit::html`, because mutation XSS lives exactly in the gap between the tree
//! a sanitizer saw and the tree the serialized text parses back to. The checker's own tests,
//! which prove it sees what it must refuse, live beside it in `testkit`.
//!
//! Payloads are read by `palisade_testkit::corpus`: one a line, `\r` removed, lossy UTF-8, no
//! empty lines, no `LICENSE` files.

use markup5ever_rcdom::NodeData;
use palisade_testkit::assert_none;
use palisade_testkit::corpus::payloads;
use palisade_testkit::html::{fragment_root, parse_body_fragment, unsafe_parts};

fn sanitized(input: &str, sanitizer: fn(&mut String)) -> String {
    let mut value = input.to_owned();
    sanitizer(&mut value);
    value
}

#[test]
fn the_corpus_is_there() {
    // Guards against the other tests passing vacuously on a missing or emptied corpus.
    assert!(
        payloads("xss").len() > 600,
        "expected the ~700 XSS payloads"
    );
}

#[test]
fn html_output_parses_to_no_script_capable_markup() {
    let mut failures = Vec::new();
    for payload in payloads("xss") {
        let clean = sanitized(&payload.text, palisade::sanitize::html);
        for problem in unsafe_parts(&clean) {
            failures.push(format!(
                "{}: {problem}\n    input:  {:?}\n    output: {clean:?}",
                payload.origin, payload.text
            ));
        }
    }
    assert_none("unsafe after the html sanitizer", &failures);
}

#[test]
fn html_sanitizing_is_idempotent() {
    let mut failures = Vec::new();
    for payload in payloads("xss") {
        let once = sanitized(&payload.text, palisade::sanitize::html);
        let twice = sanitized(&once, palisade::sanitize::html);
        if once != twice {
            failures.push(format!(
                "{}\n    input: {:?}\n    once:  {once:?}\n    twice: {twice:?}",
                payload.origin, payload.text
            ));
        }
    }
    assert_none("change when sanitized a second time", &failures);
}

#[test]
fn escaped_text_parses_back_to_one_identical_text_node() {
    let mut failures = Vec::new();
    let mut skipped_nul = Vec::new();
    for payload in payloads("xss") {
        // The HTML parser drops U+0000 in body text (a parse error, "ignore the token"), so no
        // escaping can make a NUL survive a parse: such lines are set aside and counted, not
        // compared. A lone CR would become LF for the same kind of reason, but every `\r` was
        // removed on reading, so none remains to compare.
        if payload.text.contains('\0') {
            skipped_nul.push(payload.origin);
            continue;
        }
        let escaped = sanitized(&payload.text, palisade::sanitize::escape_html);
        let dom = parse_body_fragment(&escaped);
        let root = fragment_root(&dom);
        let children = root.children.borrow();
        let texts: Vec<String> = children
            .iter()
            .map(|child| match &child.data {
                NodeData::Text { contents } => contents.borrow().to_string(),
                other => format!("<non-text node {other:?}>"),
            })
            .collect();
        let expected: Vec<String> = if payload.text.is_empty() {
            Vec::new()
        } else {
            vec![payload.text.clone()]
        };
        if texts != expected {
            failures.push(format!(
                "{}\n    input:   {:?}\n    escaped: {escaped:?}\n    parsed:  {texts:?}",
                payload.origin, payload.text
            ));
        }
    }
    if !skipped_nul.is_empty() {
        eprintln!(
            "{} payloads hold NUL and were not compared: {skipped_nul:?}",
            skipped_nul.len()
        );
    }
    assert_none(
        "do not parse back to themselves after escape_html",
        &failures,
    );
}

#[test]
fn escaped_empty_text_parses_to_no_node() {
    let dom = parse_body_fragment(&sanitized("", palisade::sanitize::escape_html));
    assert!(fragment_root(&dom).children.borrow().is_empty());
}
