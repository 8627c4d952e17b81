//! `{field}` templates: a public error's `message = "..."` and `#[redact(display = "...")]`.
//! `{name}` (or `{0}`) shows a field, `{{` and `}}` are braces; there are no format options.

/// A piece of a template: text, with its braces unescaped, or what a `{field}` resolved to.
pub enum Piece<F> {
    Text(String),
    Field(F),
}

/// What is wrong with a template.
pub enum TemplateError<E> {
    /// A `{` with no `}`.
    Unclosed,
    /// A `}` that closes nothing.
    Unmatched,
    /// What resolving a field name refused.
    Field(E),
}

impl<E> TemplateError<E> {
    /// The message of a brace error, naming the template as `place` ("the message",
    /// "`display`"); a field error says itself.
    pub fn into_message(self, place: &str) -> E
    where
        E: From<String>,
    {
        match self {
            Self::Unclosed => format!("unclosed `{{` in {place}: write `{{{{` for a brace").into(),
            Self::Unmatched => {
                format!("unmatched `}}` in {place}: write `}}}}` for a brace").into()
            }
            Self::Field(error) => error,
        }
    }
}

/// The message of a placeholder that names no field: `place` names the template, `owner` what
/// has the fields ("variant", "type").
pub fn no_field(place: &str, owner: &str, name: &str) -> String {
    format!(
        "{place} names no field of this {owner}: there is no field `{name}` (write `{{field}}`, no format options)"
    )
}

/// The pieces of `text`, each `{name}` resolved by `field` in order of appearance, so that the
/// first mistake is the one reported.
pub fn parse<F, E>(
    text: &str,
    mut field: impl FnMut(&str) -> Result<F, E>,
) -> Result<Vec<Piece<F>>, TemplateError<E>> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '{' if rest.starts_with('{') => {
                rest = &rest[1..];
                literal.push('{');
            }
            '}' if rest.starts_with('}') => {
                rest = &rest[1..];
                literal.push('}');
            }
            '{' => {
                let end = rest.find('}').ok_or(TemplateError::Unclosed)?;
                let resolved = field(rest[..end].trim()).map_err(TemplateError::Field)?;
                rest = &rest[end + 1..];
                if !literal.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Field(resolved));
            }
            '}' => return Err(TemplateError::Unmatched),
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    Ok(pieces)
}

/// The `format!` string of `pieces`: text with its braces escaped again, `{}` per field.
pub fn format_string<F>(pieces: &[Piece<F>]) -> String {
    pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.replace('{', "{{").replace('}', "}}"),
            Piece::Field(_) => "{}".to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Piece, TemplateError, format_string, parse};

    fn names(text: &str) -> Result<Vec<String>, String> {
        let pieces = parse(text, |name| {
            if name == "nope" {
                Err(format!("no {name}"))
            } else {
                Ok(name.to_owned())
            }
        })
        .map_err(|error| error.into_message("`t`"))?;
        Ok(pieces
            .into_iter()
            .map(|piece| match piece {
                Piece::Text(text) => format!("text:{text}"),
                Piece::Field(name) => format!("field:{name}"),
            })
            .collect())
    }

    #[test]
    fn fields_and_escaped_braces() {
        assert_eq!(
            names("a {{b}} { c }d").unwrap(),
            ["text:a {b} ", "field:c", "text:d"]
        );
        assert_eq!(names("").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn the_first_mistake_is_reported() {
        assert_eq!(names("{nope} {").unwrap_err(), "no nope");
        assert!(
            names("{a} { ")
                .unwrap_err()
                .starts_with("unclosed `{` in `t`")
        );
        assert!(
            names("a } b")
                .unwrap_err()
                .starts_with("unmatched `}` in `t`")
        );
    }

    #[test]
    fn format_string_escapes_the_text_again() {
        let pieces = parse("{{{x}}}", |name| Ok::<_, ()>(name.to_owned()))
            .ok()
            .unwrap();
        assert_eq!(format_string(&pieces), "{{{}}}");
        assert!(matches!(
            parse("}", |_| Ok::<(), ()>(())),
            Err(TemplateError::Unmatched)
        ));
    }
}
