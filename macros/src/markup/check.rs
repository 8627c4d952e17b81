//! Stage 2: the piece starts and ends in element content, opens no element whose text is not
//! HTML, and is closed where it opens a tag, an attribute value or a comment.

use syn::LitStr;

/// A piece that leaves the page in element content.
pub struct Checked {
    pub text: String,
    pub literal: LitStr,
}

/// Elements whose content is not parsed as HTML, where escaped text is not inert (scripts and
/// styles run it) or is never parsed (`plaintext`, `xmp`): text of the program's goes there only
/// through `HtmlPage::script`.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "xmp",
    "plaintext",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "template",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Content,
    Tag,
    Value(char),
    Comment,
}

pub fn check(literal: &LitStr) -> syn::Result<Checked> {
    let text = literal.value();
    let error = |message: String| Err(syn::Error::new(literal.span(), message));
    let mut state = State::Content;
    let mut rest = text.as_str();
    while let Some(c) = rest.chars().next() {
        match state {
            State::Content if rest.starts_with("<!--") => {
                state = State::Comment;
                rest = &rest[4..];
                continue;
            }
            State::Content if c == '<' => {
                let name: String = rest[1..]
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                if RAW_TEXT.contains(&name.as_str()) {
                    return error(format!(
                        "remove `<{name}>` from `markup!`: scripts go in with `HtmlPage::script(nonce, ...)`, styles in a stylesheet; its content is not HTML text, so escaping cannot make what is added there safe"
                    ));
                }
                state = State::Tag;
            }
            State::Tag if c == '"' || c == '\'' => state = State::Value(c),
            State::Tag if c == '>' => state = State::Content,
            State::Value(quote) if c == quote => state = State::Tag,
            State::Comment if rest.starts_with("-->") => {
                state = State::Content;
                rest = &rest[3..];
                continue;
            }
            _ => {}
        }
        rest = &rest[c.len_utf8()..];
    }
    match state {
        State::Content => Ok(Checked {
            text,
            literal: literal.clone(),
        }),
        State::Tag | State::Value(_) => error(
            "close the tag in `markup!`: this piece ends inside a tag, so text added after it would land in an attribute, where escaping does not stop a `javascript:` URL or markup in `srcdoc`; write a link with `HtmlPage::link(&href, text)`".to_owned(),
        ),
        State::Comment => error(
            "close the comment in `markup!` (`-->`): text added inside a comment can end it"
                .to_owned(),
        ),
    }
}
