//! The other derives named in the same `#[derive(...)]` list as this one. The compiler shows a
//! derive the attributes that follow its list, not its neighbours in the list, so a derive
//! that writes an impl a neighbour would write too (`Redact` writes `Debug`) reads the list
//! from the source text at its own name. Where that text cannot be read or is not the list
//! (code made by another macro), nothing is found and the compiler's own error stands.

use syn::Token;
use syn::punctuated::Punctuated;

/// The last segment of each other path in the list that names `own` at the call site.
pub fn neighbours(own: &str) -> Vec<String> {
    if !proc_macro::is_available() {
        return Vec::new();
    }
    let site = proc_macro::Span::call_site();
    let Ok(text) = std::fs::read_to_string(site.local_file().unwrap_or_default()) else {
        return Vec::new();
    };
    let (Some(start), Some(end)) = (
        offset(&text, site.start().line(), site.start().column()),
        offset(&text, site.end().line(), site.end().column()),
    ) else {
        return Vec::new();
    };
    list_around(&text, start..end).map_or_else(Vec::new, |list| {
        list.into_iter().filter(|name| name != own).collect()
    })
}

/// The byte offset of a 1-based line and column (counted in characters).
fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let rest = text.get(start..)?;
    let within = rest
        .char_indices()
        .map(|(index, _)| index)
        .chain(std::iter::once(rest.len()))
        .nth(column.checked_sub(1)?)?;
    Some(start + within)
}

/// The names in the `derive(...)` list around `range`, if `range` is a path in one.
fn list_around(text: &str, range: std::ops::Range<usize>) -> Option<Vec<String>> {
    let own: syn::Path = syn::parse_str(text.get(range.clone())?).ok()?;
    let before = text.get(..range.start)?;
    let open = before.rfind('(')?;
    if !before[..open].trim_end().ends_with("derive") {
        return None;
    }
    let close = range.end + text.get(range.end..)?.find(')')?;
    let list = syn::parse::Parser::parse_str(
        Punctuated::<syn::Path, Token![,]>::parse_terminated,
        &text[open + 1..close],
    )
    .ok()?;
    // The call site must be one of the list's paths, not text that merely sits in parentheses.
    list.iter().any(|path| *path == own).then(|| {
        list.iter()
            .filter_map(|path| Some(path.segments.last()?.ident.to_string()))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::list_around;

    fn at(text: &str, name: &str) -> Option<Vec<String>> {
        let start = text.find(name)?;
        list_around(text, start..start + name.len())
    }

    #[test]
    fn reads_the_list_around_the_name() {
        assert_eq!(
            at(
                "#[derive(Clone, std::fmt::Debug, Redact)]\nstruct A;",
                "Redact"
            ),
            Some(vec!["Clone".into(), "Debug".into(), "Redact".into()])
        );
        assert_eq!(
            at(
                "#[cfg_attr(test, derive(Debug,\n palisade::Redact,))]",
                "palisade::Redact"
            ),
            Some(vec!["Debug".into(), "Redact".into()])
        );
    }

    #[test]
    fn counts_lines_and_columns_from_one_in_characters() {
        let text = "ab\n\u{e9}x Redact\n";
        assert_eq!(super::offset(text, 1, 1), Some(0));
        assert_eq!(
            super::offset(text, 2, 4),
            Some(text.find("Redact").unwrap())
        );
        assert_eq!(super::offset(text, 9, 1), None);
    }

    #[test]
    fn finds_nothing_outside_a_derive_list() {
        assert_eq!(at("foo(Debug, Redact)", "Redact"), None);
        assert_eq!(at("#[derive(Debug)] // Redact)", "Redact"), None);
        assert_eq!(at("#[derive(Debug, Redact", "Redact"), None);
    }
}
