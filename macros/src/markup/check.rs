//! Stage 2: the piece starts and ends in element content, opens no element whose text is not
//! HTML, and is closed where it opens a tag, an attribute value or a comment.

use syn::LitStr;

/// A piece that leaves the page in element content.
pub struct Checked {
    pub text: String,
    pub literal: LitStr,
}

/// Elements whose content is not parsed as HTML, where escaped text is not inert (scripts and
/// styles run it), is never parsed (`plaintext`, `xmp`), or where the tags of a later piece
/// would be read as text (`title`, `textarea`): text of the program's goes there only through
/// the page's own methods.
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
    "title",
    "textarea",
];

/// Where the scan is, in the HTML tokenizer's terms, simplified to what a piece may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Content,
    /// Inside a start or end tag, between attributes.
    Tag,
    /// After `=`, before a value.
    BeforeValue,
    /// In a quoted value.
    Quoted(char),
    /// In an unquoted value.
    Unquoted,
}

pub fn check(literal: &LitStr) -> syn::Result<Checked> {
    let text = literal.value();
    let error = |message: &str| Err(syn::Error::new(literal.span(), message.to_owned()));
    let chars: Vec<char> = text.chars().collect();
    let mut state = State::Content;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match state {
            State::Content if c == '<' => match next {
                Some('!' | '?') => {
                    return error(
                        "remove `<!` and `<?` from `markup!`: comments, declarations and processing instructions end in more ways than one (`--!>`, a bare `>`), so a piece holding one could leave the page inside a tag",
                    );
                }
                Some(letter) if letter.is_ascii_alphabetic() => {
                    let name = tag_name(&chars[i + 1..]);
                    if RAW_TEXT.contains(&name.as_str()) {
                        return error(&format!(
                            "remove `<{name}>` from `markup!`: scripts go in with `HtmlPage::script(nonce, ...)`, styles in a stylesheet; its content is not HTML text, so escaping cannot make what is added there safe"
                        ));
                    }
                    state = State::Tag;
                    i += 1 + name.len();
                    continue;
                }
                Some('/') => match chars.get(i + 2) {
                    Some(letter) if letter.is_ascii_alphabetic() => {
                        let name = tag_name(&chars[i + 2..]);
                        state = State::Tag;
                        i += 2 + name.len();
                        continue;
                    }
                    _ => {
                        return error(
                            "write `&lt;/` for a `</` that closes no tag in `markup!`: a browser reads it as a comment that ends at the next `>`",
                        );
                    }
                },
                // `a < b`: a `<` that opens nothing is text.
                _ => {}
            },
            State::Tag if c == '>' => state = State::Content,
            State::Tag if c == '=' => state = State::BeforeValue,
            State::Tag if matches!(c, '"' | '\'' | '<' | '`') => {
                return error(&format!(
                    "a `{c}` inside a tag in `markup!` stands outside an attribute value: write `name=\"value\"`, so the browser and palisade read the tag alike"
                ));
            }
            State::BeforeValue if c == '"' || c == '\'' => state = State::Quoted(c),
            State::BeforeValue if c.is_ascii_whitespace() => {}
            State::BeforeValue if c == '>' => state = State::Content,
            State::BeforeValue | State::Unquoted if matches!(c, '"' | '\'' | '<' | '=' | '`') => {
                return error(
                    "quote attribute values that hold `\"`, `'`, `<`, `=` or a backtick in `markup!`: `name=\"value\"`",
                );
            }
            State::BeforeValue => state = State::Unquoted,
            State::Unquoted if c.is_ascii_whitespace() => state = State::Tag,
            State::Unquoted if c == '>' => state = State::Content,
            State::Quoted(quote) if c == quote => state = State::Tag,
            _ => {}
        }
        i += 1;
    }
    match state {
        State::Content => Ok(Checked {
            text,
            literal: literal.clone(),
        }),
        _ => error(
            "close the tag in `markup!`: this piece ends inside a tag, so text added after it would land in an attribute, where escaping does not stop a `javascript:` URL or markup in `srcdoc`; write a link with `HtmlPage::link(&href, text)`",
        ),
    }
}

/// The lowercase name of the tag that `chars` starts with.
fn tag_name(chars: &[char]) -> String {
    chars
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '-')
        .collect::<String>()
        .to_ascii_lowercase()
}
