//! Sanitizers: in-place rewrites of text, applied before validation.
//!
//! `#[clean(...)]` applies these, in the order written, to a `String` field, to the
//! `String` inside an `Option`, and to every `String` of a `Vec`, `VecDeque`, `LinkedList`,
//! array, boxed slice or map values. They are plain functions on `&mut String`, so they can be called directly too, and
//! each leaves the string untouched (no allocation) when there is nothing to change.
//!
//! ```
//! let mut name = String::from("  Ada\u{202E}  Lovelace ");
//! palisade::sanitize::strip_invisible(&mut name);
//! palisade::sanitize::collapse_whitespace(&mut name);
//! assert_eq!(name, "Ada Lovelace");
//! ```

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick, is_nfkc_quick};

/// Removes leading and trailing Unicode white space.
pub fn trim(value: &mut String) {
    let end = value.trim_end().len();
    value.truncate(end);
    let start = value.len() - value.trim_start().len();
    if start > 0 {
        value.drain(..start);
    }
}

/// Lower-cases, with Unicode case mapping.
pub fn lowercase(value: &mut String) {
    recase(
        value,
        char::is_ascii_uppercase,
        char::to_lowercase,
        str::to_lowercase,
    );
}

/// Upper-cases, with Unicode case mapping.
pub fn uppercase(value: &mut String) {
    recase(
        value,
        char::is_ascii_lowercase,
        char::to_uppercase,
        str::to_uppercase,
    );
}

/// Rewrites `value` with `map` if some character changes under `map_char`: compared by
/// mapping, not by `is_uppercase`, so title-case letters such as `ǅ` count; ASCII is decided
/// without the Unicode tables.
fn recase<M: Iterator<Item = char>>(
    value: &mut String,
    ascii_changes: fn(&char) -> bool,
    map_char: fn(char) -> M,
    map: fn(&str) -> String,
) {
    let changes = |c: char| {
        if c.is_ascii() {
            ascii_changes(&c)
        } else {
            !map_char(c).eq([c])
        }
    };
    if value.chars().any(changes) {
        *value = map(value);
    }
}

/// Unicode normalization form C (canonical composition): one spelling for `é`, whether it
/// arrived precomposed or as `e` plus a combining accent.
pub fn nfc(value: &mut String) {
    if is_nfc_quick(value.chars()) != IsNormalized::Yes {
        *value = value.nfc().collect();
    }
}

/// Unicode normalization form KC (compatibility composition): also folds look-alikes such as
/// full-width letters (`ｐａｙｐａｌ`) and ligatures (`ﬁ`) into their plain form.
pub fn nfkc(value: &mut String) {
    if is_nfkc_quick(value.chars()) != IsNormalized::Yes {
        *value = value.nfkc().collect();
    }
}

/// Removes every control character (Unicode category Cc: C0, DEL and C1), line breaks and
/// tabs included.
pub fn strip_control(value: &mut String) {
    if value.chars().any(char::is_control) {
        value.retain(|c| !c.is_control());
    }
}

/// Removes every control character except line feed and tab; carriage returns are removed,
/// so `\r\n` line endings become `\n`.
pub fn strip_control_keep_newlines(value: &mut String) {
    let removed = |c: char| c.is_control() && c != '\n' && c != '\t';
    if value.chars().any(removed) {
        value.retain(|c| !removed(c));
    }
}

/// Characters that change how text is displayed without being seen: bidirectional controls
/// (the "Trojan Source" overrides and isolates), zero-width characters, invisible operators,
/// tag characters, fillers that render as blanks, and other format controls.
const INVISIBLE: &[(char, char)] = &[
    ('\u{00AD}', '\u{00AD}'),   // soft hyphen
    ('\u{034F}', '\u{034F}'),   // combining grapheme joiner
    ('\u{061C}', '\u{061C}'),   // arabic letter mark
    ('\u{115F}', '\u{1160}'),   // hangul choseong and jungseong fillers
    ('\u{17B4}', '\u{17B5}'),   // khmer inherent vowels
    ('\u{180B}', '\u{180F}'),   // mongolian variation selectors and vowel separator
    ('\u{200B}', '\u{200F}'),   // zero-width space, non-joiner, joiner, LRM, RLM
    ('\u{202A}', '\u{202E}'),   // bidi embeddings and overrides
    ('\u{2060}', '\u{2064}'),   // word joiner and invisible operators
    ('\u{2066}', '\u{206F}'),   // bidi isolates and deprecated format characters
    ('\u{3164}', '\u{3164}'),   // hangul filler
    ('\u{FE00}', '\u{FE0F}'),   // variation selectors
    ('\u{FEFF}', '\u{FEFF}'),   // zero-width no-break space (byte order mark)
    ('\u{FFA0}', '\u{FFA0}'),   // halfwidth hangul filler
    ('\u{FFF9}', '\u{FFFB}'),   // interlinear annotation controls
    ('\u{1D173}', '\u{1D17A}'), // musical symbol format controls
    ('\u{E0000}', '\u{E007F}'), // tag characters
    ('\u{E0100}', '\u{E01EF}'), // variation selectors supplement
];

/// Whether `c` is one of the invisible or bidirectional-control characters that
/// [`strip_invisible`] removes.
pub fn is_invisible(c: char) -> bool {
    INVISIBLE
        .iter()
        .any(|&(low, high)| (low..=high).contains(&c))
}

/// Removes bidirectional controls and invisible characters (zero-width characters, tag
/// characters, fillers, variation selectors), the material of spoofed names and
/// "Trojan Source" text. Emoji sequences that use the zero-width joiner or a variation
/// selector fall apart into their visible parts.
pub fn strip_invisible(value: &mut String) {
    if value.chars().any(is_invisible) {
        value.retain(|c| !is_invisible(c));
    }
}

/// Maps the domain of an email address as UTS #46 (IDNA) does, to its ASCII form: full-width
/// letters, ideographic and full-width dots (`。`, `．`), case, and the Unicode and punycode
/// spellings of one domain become one address, so that one mailbox is one account. The
/// `email` rule runs it on its field before every rule, and stores what it gives. An address
/// with an invisible or control character, or a domain that does not map, is left as it is,
/// and the `email` rule refuses it.
///
/// ```
/// let mut address = String::from("ada@ＥＸＡＭＰＬＥ。com");
/// palisade::sanitize::email_domain(&mut address);
/// assert_eq!(address, "ada@example.com");
/// let mut address = String::from("ada@bücher.de");
/// palisade::sanitize::email_domain(&mut address);
/// assert_eq!(address, "ada@xn--bcher-kva.de");
/// ```
pub fn email_domain(value: &mut String) {
    if let Some(mapped) = mapped_email(value)
        && mapped != *value
    {
        *value = mapped;
    }
}

/// The address with its domain mapped to ASCII by UTS #46; `None` where it has an invisible
/// or control character, no `@`, or a domain that does not map. An address literal
/// (`[192.0.2.1]`) stays as it is.
pub(crate) fn mapped_email(address: &str) -> Option<String> {
    if address.chars().any(|c| is_invisible(c) || c.is_control()) {
        return None;
    }
    let (local, domain) = address.rsplit_once('@')?;
    if domain.starts_with('[') {
        return Some(address.to_owned());
    }
    let ascii = idna::domain_to_ascii(domain).ok()?;
    (!ascii.is_empty()).then(|| format!("{local}@{ascii}"))
}

/// Trims and replaces every run of Unicode white space with one ASCII space.
pub fn collapse_whitespace(value: &mut String) {
    let mut previous_space = true;
    let clean = value.chars().all(|c| {
        let ok = if c.is_whitespace() {
            c == ' ' && !previous_space
        } else {
            true
        };
        previous_space = c.is_whitespace();
        ok
    }) && !value.ends_with(char::is_whitespace);
    if !clean {
        *value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'` as character references, so the text displays as
/// written when placed in HTML content or a quoted attribute.
pub fn escape_html(value: &mut String) {
    if !value.contains(['&', '<', '>', '"', '\'']) {
        return;
    }
    let mut escaped = String::with_capacity(value.len() + value.len() / 4);
    for c in value.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#x27;"),
            other => escaped.push(other),
        }
    }
    *value = escaped;
}

/// Rich text: keeps only ammonia's default allow-list of tags, attributes and URL schemes
/// (no scripts, no event handlers, no `javascript:` URLs, `rel="noopener noreferrer"` on
/// links) and re-serializes the result as well-formed HTML.
///
/// Parsing costs more than linear time on deeply nested markup (tens of thousands of `<div>`
/// take seconds), so `#[clean(html)]` requires the text's `length(max = ...)` and runs this
/// only on text within it, escaping longer text instead. Called directly, give it bounded
/// input.
#[cfg(feature = "html")]
pub fn html(value: &mut String) {
    use std::sync::LazyLock;
    static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(ammonia::Builder::default);
    *value = CLEANER.clean(value).to_string();
}

/// Rich text with a small allow-list, for user content such as notes and comments: paragraphs,
/// line breaks, emphasis (`b`, `strong`, `i`, `em`, `u`, `s`), lists, quotes, code, headings
/// `h3` to `h6`, and links (`http`, `https` and `mailto` only, with `rel="noopener noreferrer
/// nofollow"`). Everything else is dropped, text kept. Give it bounded input, as [`html`].
#[cfg(feature = "html")]
pub fn basic_html(value: &mut String) {
    use std::collections::HashSet;
    use std::sync::LazyLock;
    static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut builder = ammonia::Builder::empty();
        builder
            .tags(HashSet::from([
                "p",
                "br",
                "b",
                "strong",
                "i",
                "em",
                "u",
                "s",
                "ul",
                "ol",
                "li",
                "blockquote",
                "code",
                "pre",
                "h3",
                "h4",
                "h5",
                "h6",
                "a",
            ]))
            .tag_attributes(std::collections::HashMap::from([(
                "a",
                HashSet::from(["href"]),
            )]))
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .link_rel(Some("noopener noreferrer nofollow"))
            .strip_comments(true);
        builder
    });
    *value = CLEANER.clean(value).to_string();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Unicode scalar value.
    fn every_char() -> impl Iterator<Item = char> {
        (0..=u32::from(char::MAX)).filter_map(char::from_u32)
    }

    const MARKUP: [char; 5] = ['<', '>', '&', '"', '\''];

    fn markup_count(text: &str) -> [usize; 5] {
        MARKUP.map(|m| text.chars().filter(|&c| c == m).count())
    }

    /// What `#[derive(Sanitized)]` lets follow `html` or `escape_html` (its `check_order`):
    /// for every character, `trim` leaves everything inside the text as it was.
    #[test]
    fn the_sanitizer_allowed_after_markup_touches_only_the_ends() {
        for c in every_char() {
            let inside = format!("<a href=\"x{c}y\">&amp;{c}'</a>");
            let mut output = format!("{c}{inside}{c}");
            trim(&mut output);
            assert!(output.contains(&inside), "{c:?}");
        }
    }

    /// The witnesses, from the Unicode data, that the sanitizers refused after `html` and
    /// `escape_html` can change what checked markup means.
    #[test]
    fn sanitizers_refused_after_markup_each_have_a_witness() {
        let rewritten = |sanitizer: fn(&mut String), text: String| {
            let mut output = text;
            sanitizer(&mut output);
            output
        };
        // NFKC makes markup characters of look-alikes.
        let nfkc_makes: Vec<char> = every_char()
            .filter(|c| !MARKUP.contains(c))
            .filter(|c| rewritten(nfkc, c.to_string()).contains(MARKUP))
            .collect();
        for look_alike in ['\u{FF1C}', '\u{FE64}', '\u{FF1E}', '\u{FE65}', '\u{FF06}'] {
            assert!(nfkc_makes.contains(&look_alike), "{look_alike:?}");
        }
        // NFC joins a combining mark onto a markup character, which is then gone.
        let nfc_eats: Vec<char> = every_char()
            .filter(|&c| markup_count(&rewritten(nfc, format!("<b>{c}"))) != [1, 1, 0, 0, 0])
            .collect();
        assert!(nfc_eats.contains(&'\u{0338}'), "{nfc_eats:?}");
        // Case mappings make ASCII letters, which a URL scheme is made of, of other letters.
        for (name, case) in [
            ("lowercase", lowercase as fn(&mut String)),
            ("uppercase", uppercase),
        ] {
            let makes_ascii = every_char().filter(|c| !c.is_ascii()).any(|c| {
                rewritten(case, c.to_string())
                    .chars()
                    .any(|o| o.is_ascii_alphabetic())
            });
            assert!(makes_ascii, "{name}");
        }
        assert_eq!(rewritten(uppercase, "\u{17F}".to_owned()), "S");
        // Collapsing makes a space a browser strips of one it keeps in a URL.
        let mut spaced = "<a href=\"\u{3000}javascript:x\">".to_owned();
        collapse_whitespace(&mut spaced);
        assert_eq!(spaced, "<a href=\" javascript:x\">");
        // Stripping joins what a check saw apart.
        for (name, strip) in [
            ("strip_invisible", strip_invisible as fn(&mut String)),
            ("strip_control", strip_control),
        ] {
            let joins =
                every_char().any(|c| rewritten(strip, format!("java{c}script:")) == "javascript:");
            assert!(joins, "{name}");
        }
    }

    #[cfg(feature = "html")]
    #[test]
    fn basic_html_keeps_a_small_allow_list() {
        let mut text = String::from(
            "<p onclick=\"x()\">Hi <b>there</b> <img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">x</a> <a href=\"https://example.com\" target=_blank>ok</a><script>alert(1)</script></p><table><tr><td>cell</td></tr></table>",
        );
        basic_html(&mut text);
        assert_eq!(
            text,
            "<p>Hi <b>there</b> <a rel=\"noopener noreferrer nofollow\">x</a> <a href=\"https://example.com\" rel=\"noopener noreferrer nofollow\">ok</a></p>cell"
        );
    }

    fn run(f: fn(&mut String), input: &str) -> String {
        let mut s = input.to_owned();
        f(&mut s);
        s
    }

    #[test]
    fn trim_removes_unicode_white_space_at_both_ends() {
        assert_eq!(run(trim, "\u{3000}\t a b \n\u{A0}"), "a b");
        assert_eq!(run(trim, "ab"), "ab");
        assert_eq!(run(trim, "   "), "");
    }

    #[test]
    fn collapse_whitespace_leaves_clean_text_alone() {
        assert_eq!(run(collapse_whitespace, "a b c"), "a b c");
        assert_eq!(
            run(collapse_whitespace, " a\u{2003}\u{2003}b\n\nc "),
            "a b c"
        );
        assert_eq!(run(collapse_whitespace, "a  b"), "a b");
        assert_eq!(run(collapse_whitespace, "a\tb"), "a b");
        assert_eq!(run(collapse_whitespace, ""), "");
    }

    #[test]
    fn case_mapping_is_unicode_aware() {
        assert_eq!(run(lowercase, "ÀDA"), "àda");
        assert_eq!(run(uppercase, "straße"), "STRASSE");
        assert_eq!(run(lowercase, "\u{1C5}ungla"), "\u{1C6}ungla");
        assert_eq!(run(uppercase, "\u{1C5}UNGLA"), "\u{1C4}UNGLA");
    }

    #[test]
    fn control_characters_are_removed() {
        assert_eq!(run(strip_control, "a\u{0}b\u{1b}[31mc\u{85}\n"), "ab[31mc");
        assert_eq!(
            run(strip_control_keep_newlines, "a\r\nb\tc\u{7}"),
            "a\nb\tc"
        );
    }

    #[test]
    fn escape_html_escapes_the_five_characters() {
        assert_eq!(
            run(escape_html, r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;"
        );
    }
}
