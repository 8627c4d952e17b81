//! The `html` and `escape_html` sanitizers against the XSS payloads of `PayloadsAllTheThings`
//! (`shared/corpora/xss/`, MIT).
//!
//! The sanitizer's output is not trusted as ammonia built it: it is re-parsed with html5ever,
//! the parser a browser-grade consumer would use, because mutation XSS lives exactly in the gap
//! between the tree a sanitizer saw and the tree the serialized text parses back to.
//!
//! Each line is one payload, read as bytes with every `\r` removed (so CRLF line ends, should a
//! file gain them, do not turn into payload bytes) and decoded as lossy UTF-8: every file is
//! UTF-8 today, and a byte that is not would become U+FFFD, which cannot hide markup. Empty
//! lines are not payloads, and `LICENSE` files are not payload files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use html5ever::tendril::TendrilSink as _;
use html5ever::{Attribute, ParseOpts, QualName, local_name, ns, parse_fragment};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpora/xss");

/// One payload and where it came from, so a failure names `file:line`.
struct Payload {
    origin: String,
    text: String,
}

fn payloads() -> Vec<Payload> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(CORPUS)
        .unwrap_or_else(|e| panic!("cannot read {CORPUS}: {e}"))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_file() && !is_licence(path))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no payload files in {CORPUS}");
    let mut payloads = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = file.file_name().expect("file name").to_string_lossy();
        for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
            let line: Vec<u8> = line.iter().copied().filter(|&b| b != b'\r').collect();
            if line.is_empty() {
                continue;
            }
            payloads.push(Payload {
                origin: format!("xss/{name}:{}", index + 1),
                text: String::from_utf8_lossy(&line).into_owned(),
            });
        }
    }
    payloads
}

fn is_licence(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.starts_with("LICENSE"))
}

/// Parses `html` as the children of a `<body>`, as a page that embeds the sanitized text
/// would, with scripting enabled (the default, and what browsers do: it makes `<noscript>`
/// content raw text, a classic mutation-XSS vector).
fn parse_body_fragment(html: &str) -> RcDom {
    parse_fragment(
        RcDom::default(),
        ParseOpts::default(),
        QualName::new(None, ns!(html), local_name!("body")),
        Vec::new(),
        false,
    )
    .one(html)
}

/// The `<html>` element that fragment parsing puts the fragment's nodes under.
fn fragment_root(dom: &RcDom) -> Handle {
    let children = dom.document.children.borrow();
    assert_eq!(children.len(), 1, "a fragment parse has exactly one root");
    children[0].clone()
}

/// Elements that run script, load active or framed content, change how the rest of the page
/// is parsed or resolved, or submit data: none may survive sanitizing. `svg` and `math` are
/// also caught by the namespace check, which covers every foreign element.
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "param",
    "base",
    "link",
    "meta",
    "svg",
    "math",
    "template",
    "form",
    "input",
    "button",
    "select",
    "option",
    "textarea",
    "isindex",
    "keygen",
    "noscript",
    "noembed",
    "noframes",
    "xmp",
    "plaintext",
    "listing",
    "title",
    "portal",
    "fencedframe",
    "bgsound",
    "marquee",
    "video",
    "audio",
    "source",
    "track",
    "head",
    "body",
    "html",
];

/// Attributes whose value is a URL, or a list of URLs, that a browser fetches or navigates to.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "background",
    "poster",
    "cite",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "data",
    "codebase",
    "classid",
    "archive",
    "usemap",
    "manifest",
    "icon",
    "profile",
    "ping",
    "srcset",
    "imagesrcset",
    "itemtype",
];

/// Schemes that run script or carry inline active content.
const DANGEROUS_SCHEMES: &[&str] = &["javascript:", "vbscript:", "data:"];

/// Whether a URL, as a browser's URL parser would read it, has a dangerous scheme. The WHATWG
/// parser drops leading C0 controls and spaces and every tab and newline, and schemes are
/// case-insensitive; removing every white space and control character is stricter still.
fn has_dangerous_scheme(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect();
    DANGEROUS_SCHEMES
        .iter()
        .any(|scheme| squeezed.starts_with(scheme))
}

/// `srcset` and `ping` hold several URLs; each candidate is checked on its own.
fn urls_of(attribute: &str, value: &str) -> Vec<String> {
    match attribute {
        "srcset" | "imagesrcset" => value
            .split(',')
            .map(|candidate| {
                candidate
                    .trim()
                    .split(char::is_whitespace)
                    .next()
                    .unwrap_or("")
                    .to_owned()
            })
            .collect(),
        "ping" => value.split_whitespace().map(str::to_owned).collect(),
        _ => vec![value.to_owned()],
    }
}

fn check_attributes(element: &str, attrs: &[Attribute], problems: &mut Vec<String>) {
    for attr in attrs {
        let name = attr.name.local.to_string().to_ascii_lowercase();
        let value: &str = &attr.value;
        if name.starts_with("on") {
            problems.push(format!("event handler attribute `{name}` on <{element}>"));
        }
        // `srcdoc` is a whole document; `style` can carry `expression()` or script URLs in
        // legacy engines, and ammonia's allow-list never keeps it.
        if name == "srcdoc" || name == "style" {
            problems.push(format!("attribute `{name}` on <{element}>"));
        }
        if URL_ATTRIBUTES.contains(&name.as_str())
            && urls_of(&name, value)
                .iter()
                .any(|url| has_dangerous_scheme(url))
        {
            problems.push(format!("script URL in `{name}` on <{element}>: {value:?}"));
        }
    }
}

/// Every reason the parsed tree under `node` is unsafe.
fn walk(node: &Handle, problems: &mut Vec<String>) {
    if let NodeData::Element {
        name,
        attrs,
        template_contents,
        ..
    } = &node.data
    {
        let element = name.local.to_string().to_ascii_lowercase();
        if name.ns != ns!(html) {
            problems.push(format!("foreign element <{element}> in {:?}", name.ns));
        }
        if FORBIDDEN_ELEMENTS.contains(&element.as_str()) {
            problems.push(format!("element <{element}>"));
        }
        check_attributes(&element, &attrs.borrow(), problems);
        if let Some(contents) = template_contents.borrow().as_ref() {
            walk(contents, problems);
        }
    }
    for child in node.children.borrow().iter() {
        walk(child, problems);
    }
}

/// Why the sanitized `html` is unsafe once parsed; empty when it is safe.
fn unsafe_parts(html: &str) -> Vec<String> {
    let dom = parse_body_fragment(html);
    let root = fragment_root(&dom);
    let mut problems = Vec::new();
    // A `<html onload=…>` start tag in body content adds its attributes to the root element
    // instead of creating one, so the root's attributes are checked too.
    if let NodeData::Element { attrs, .. } = &root.data {
        check_attributes("html (fragment root)", &attrs.borrow(), &mut problems);
    }
    for child in root.children.borrow().iter() {
        walk(child, &mut problems);
    }
    problems
}

fn sanitized(input: &str, sanitizer: fn(&mut String)) -> String {
    let mut value = input.to_owned();
    sanitizer(&mut value);
    value
}

/// Fails with every collected problem, so one run shows them all.
fn assert_none(what: &str, failures: &[String]) {
    if failures.is_empty() {
        return;
    }
    let mut report = format!("{} payloads: {what}\n", failures.len());
    for failure in failures.iter().take(100) {
        let _ = writeln!(report, "  {failure}");
    }
    panic!("{report}");
}

#[test]
fn the_corpus_is_there() {
    // Guards against the other tests passing vacuously on a missing or emptied corpus.
    assert!(payloads().len() > 600, "expected the ~700 XSS payloads");
}

#[test]
fn html_output_parses_to_no_script_capable_markup() {
    let mut failures = Vec::new();
    for payload in payloads() {
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
    for payload in payloads() {
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
fn the_checker_sees_what_it_must_refuse() {
    // The walk above passing means nothing if it cannot see an attack: each of these raw,
    // unsanitized snippets must be reported.
    for attack in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=' jAvA&#x09;sCrIpT:alert(1)'>x</a>",
        "<a href='&#1;data:text/html,x'>x</a>",
        "<img srcset='a.png 1x, vbscript:x 2x'>",
        "<iframe srcdoc='&lt;script&gt;'></iframe>",
        "<svg><a xlink:href='javascript:alert(1)'>x</a></svg>",
        "<html onload=alert(1)>",
        "<template><img src=x onerror=alert(1)></template>",
        "<noscript><p title='</noscript><img src=x onerror=alert(1)>'>",
        "<form><button formaction='javascript:alert(1)'>x</button></form>",
        "<p style='background:url(javascript:alert(1))'>x</p>",
    ] {
        assert!(
            !unsafe_parts(attack).is_empty(),
            "the checker misses {attack:?}"
        );
    }
    assert!(unsafe_parts("<a href='https://example.com/?q=javascript:'>x</a>").is_empty());
    // Unsanitized, most of the corpus must be flagged (432 of 713 lines when written; the rest
    // are script fragments without markup, such as `';alert(1)//`).
    let raw_flagged = payloads()
        .iter()
        .filter(|payload| !unsafe_parts(&payload.text).is_empty())
        .count();
    assert!(
        raw_flagged >= 400,
        "only {raw_flagged} raw payloads flagged"
    );
}

#[test]
fn escaped_text_parses_back_to_one_identical_text_node() {
    let mut failures = Vec::new();
    let mut skipped_nul = Vec::new();
    for payload in payloads() {
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
