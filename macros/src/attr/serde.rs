//! The names serde gives fields and variants on the wire, so that validation paths are the
//! ones the client sent. Only what affects deserialization is read; anything serde itself
//! would refuse is left for serde to report.

use syn::{Attribute, LitStr, Token};

/// serde's `rename_all` conventions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl RenameRule {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "lowercase" => Self::Lower,
            "UPPERCASE" => Self::Upper,
            "PascalCase" => Self::Pascal,
            "camelCase" => Self::Camel,
            "snake_case" => Self::Snake,
            "SCREAMING_SNAKE_CASE" => Self::ScreamingSnake,
            "kebab-case" => Self::Kebab,
            "SCREAMING-KEBAB-CASE" => Self::ScreamingKebab,
            _ => return None,
        })
    }

    /// Renames a field written in snake case.
    pub fn apply_to_field(self, field: &str) -> String {
        match self {
            Self::Lower | Self::Snake => field.to_owned(),
            Self::Upper | Self::ScreamingSnake => field.to_ascii_uppercase(),
            Self::Pascal => {
                let mut out = String::new();
                let mut capitalize = true;
                for c in field.chars() {
                    if c == '_' {
                        capitalize = true;
                    } else if capitalize {
                        out.push(c.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        out.push(c);
                    }
                }
                out
            }
            Self::Camel => {
                let pascal = Self::Pascal.apply_to_field(field);
                lower_first(&pascal)
            }
            Self::Kebab => field.replace('_', "-"),
            Self::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }

    /// Renames a variant written in Pascal case.
    pub fn apply_to_variant(self, variant: &str) -> String {
        match self {
            Self::Pascal => variant.to_owned(),
            Self::Lower => variant.to_ascii_lowercase(),
            Self::Upper => variant.to_ascii_uppercase(),
            Self::Camel => lower_first(variant),
            Self::Snake => {
                let mut out = String::new();
                for (i, c) in variant.char_indices() {
                    if i > 0 && c.is_uppercase() {
                        out.push('_');
                    }
                    out.push(c.to_ascii_lowercase());
                }
                out
            }
            Self::ScreamingSnake => Self::Snake.apply_to_variant(variant).to_ascii_uppercase(),
            Self::Kebab => Self::Snake.apply_to_variant(variant).replace('_', "-"),
            Self::ScreamingKebab => Self::ScreamingSnake
                .apply_to_variant(variant)
                .replace('_', "-"),
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// How an enum appears on the wire.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Tagging {
    #[default]
    External,
    Internal,
    Adjacent {
        content: String,
    },
    Untagged,
}

/// What serde's attributes on a container, variant or field say about names.
#[derive(Clone, Debug, Default)]
#[allow(clippy::struct_excessive_bools)] // one flag per bare-word serde attribute
pub struct SerdeAttrs {
    pub rename: Option<String>,
    pub rename_all: Option<RenameRule>,
    pub rename_all_fields: Option<RenameRule>,
    pub tag: Option<String>,
    pub content: Option<String>,
    pub untagged: bool,
    pub transparent: bool,
    pub flatten: bool,
    /// `skip` or `skip_deserializing`: the field is not read from the input.
    pub skip_deserializing: bool,
    /// `skip` or `skip_serializing`: the field is not written.
    pub skip_serializing: bool,
    /// `alias = "name"`, each one.
    pub aliases: Vec<String>,
    /// `skip_serializing_if = "path"`.
    pub skip_serializing_if: Option<syn::ExprPath>,
    /// The first key that changes how a value is written in a way `#[derive(Redact)]` does
    /// not follow (`with`, `serialize_with`, `getter`, `into`, `remote`).
    pub custom_serialize: Option<String>,
}

/// Which of serde's two names an attribute gives.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Deserialize,
    Serialize,
}

impl SerdeAttrs {
    /// Reads every `#[serde(...)]` attribute in `attrs`, with the deserialize-side names.
    pub fn read(attrs: &[Attribute]) -> Self {
        Self::read_side(attrs, Side::Deserialize)
    }

    /// Reads every `#[serde(...)]` attribute in `attrs`, with the names of `side`.
    pub fn read_side(attrs: &[Attribute], side: Side) -> Self {
        let mut out = Self::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
            // serde reports its own syntax errors; a malformed attribute only loses names here.
            let _ = attr.parse_nested_meta(|meta| {
                let key = meta.path.get_ident().map(ToString::to_string);
                match key.as_deref() {
                    // rename = "name" | rename(deserialize = "name", serialize = "...")
                    Some("rename") => out.rename = side_value(&meta, side)?.or(out.rename.take()),
                    // rename_all = "camelCase" | rename_all(deserialize = "camelCase")
                    Some("rename_all") => {
                        if let Some(rule) = side_value(&meta, side)? {
                            out.rename_all = RenameRule::from_name(&rule);
                        }
                    }
                    // rename_all_fields = "camelCase" | rename_all_fields(deserialize = "...")
                    Some("rename_all_fields") => {
                        if let Some(rule) = side_value(&meta, side)? {
                            out.rename_all_fields = RenameRule::from_name(&rule);
                        }
                    }
                    // alias = "name"
                    Some("alias") => out.aliases.push(meta.value()?.parse::<LitStr>()?.value()),
                    // tag = "type"
                    Some("tag") => out.tag = Some(meta.value()?.parse::<LitStr>()?.value()),
                    // content = "data"
                    Some("content") => {
                        out.content = Some(meta.value()?.parse::<LitStr>()?.value());
                    }
                    // untagged
                    Some("untagged") => out.untagged = true,
                    // transparent
                    Some("transparent") => out.transparent = true,
                    // flatten
                    Some("flatten") => out.flatten = true,
                    // skip | skip_deserializing | skip_serializing
                    Some("skip") => {
                        out.skip_deserializing = true;
                        out.skip_serializing = true;
                    }
                    Some("skip_deserializing") => out.skip_deserializing = true,
                    Some("skip_serializing") => out.skip_serializing = true,
                    // skip_serializing_if = "path"
                    Some("skip_serializing_if") => {
                        out.skip_serializing_if =
                            Some(meta.value()?.parse::<LitStr>()?.parse::<syn::ExprPath>()?);
                    }
                    Some(key @ ("with" | "serialize_with" | "getter" | "into" | "remote")) => {
                        out.custom_serialize.get_or_insert_with(|| key.to_owned());
                        skip_value(&meta)?;
                    }
                    // every other serde key: consume its value, if any
                    _ => skip_value(&meta)?,
                }
                Ok(())
            });
        }
        out
    }

    /// Every name serde reads or writes for a field of Rust name `name`: its own, its renames
    /// on both sides, and its aliases.
    pub fn all_names(attrs: &[Attribute], name: &str) -> Vec<String> {
        let read = Self::read_side(attrs, Side::Deserialize);
        let written = Self::read_side(attrs, Side::Serialize);
        let mut names = vec![name.to_owned()];
        names.extend(read.rename);
        names.extend(written.rename);
        names.extend(read.aliases);
        names
    }

    /// The enum's tagging.
    pub fn tagging(&self) -> Tagging {
        match (&self.tag, &self.content, self.untagged) {
            (_, _, true) => Tagging::Untagged,
            (Some(_), Some(content), false) => Tagging::Adjacent {
                content: content.clone(),
            },
            (Some(_), None, false) => Tagging::Internal,
            (None, _, false) => Tagging::External,
        }
    }
}

/// The string of `key = "s"`, or `side`'s of `key(deserialize = "s", serialize = "...")`.
fn side_value(meta: &syn::meta::ParseNestedMeta<'_>, side: Side) -> syn::Result<Option<String>> {
    if meta.input.peek(Token![=]) {
        return Ok(Some(meta.value()?.parse::<LitStr>()?.value()));
    }
    let mut found = None;
    meta.parse_nested_meta(|inner| {
        let value = inner.value()?.parse::<LitStr>()?.value();
        let wanted = match side {
            Side::Deserialize => "deserialize",
            Side::Serialize => "serialize",
        };
        if inner.path.is_ident(wanted) {
            found = Some(value);
        }
        Ok(())
    })?;
    Ok(found)
}

/// Consumes the value of a key that is not read: `= expr` or `(...)`.
pub fn skip_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<proc_macro2::Group>()?;
    }
    Ok(())
}

/// The name of a Rust identifier as serde sees it (`r#type` is `type`).
pub fn unraw(ident: &syn::Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#")
        .map_or_else(|| name.clone(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::RenameRule::*;

    #[test]
    fn field_rules_match_serde() {
        assert_eq!(Camel.apply_to_field("zip_code"), "zipCode");
        assert_eq!(Pascal.apply_to_field("zip_code"), "ZipCode");
        assert_eq!(Kebab.apply_to_field("zip_code"), "zip-code");
        assert_eq!(ScreamingKebab.apply_to_field("zip_code"), "ZIP-CODE");
        assert_eq!(ScreamingSnake.apply_to_field("zip_code"), "ZIP_CODE");
    }

    #[test]
    fn variant_rules_match_serde() {
        assert_eq!(Snake.apply_to_variant("CreditCard"), "credit_card");
        assert_eq!(Camel.apply_to_variant("CreditCard"), "creditCard");
        assert_eq!(Kebab.apply_to_variant("CreditCard"), "credit-card");
        assert_eq!(Lower.apply_to_variant("CreditCard"), "creditcard");
    }
}
