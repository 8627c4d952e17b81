//! Validation errors: where, what, and never the rejected value.

use std::fmt::{self, Write as _};

use serde::Serialize;

/// The location of a value inside a request type, built on the stack while validating.
///
/// Nothing is allocated while the input is valid: a path is rendered to a `String` only
/// when an error is recorded. Segments follow serde's names (`rename`, `rename_all`), so the
/// path is the one the client sent: `items[3].name`, `address.zip`.
///
/// ```
/// use palisade::validate::FieldPath;
///
/// let root = FieldPath::ROOT;
/// let items = root.field("items");
/// let third = items.index(3);
/// assert_eq!(third.field("name").to_string(), "items[3].name");
/// ```
#[derive(Clone, Copy)]
pub struct FieldPath<'a> {
    parent: Option<&'a FieldPath<'a>>,
    segment: Segment<'a>,
}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Root,
    Field(&'static str),
    Index(usize),
    Key(&'a dyn PathKey),
    MaskedKey,
}

impl<'a> FieldPath<'a> {
    /// The root of a request type; renders as the empty string.
    pub const ROOT: FieldPath<'static> = FieldPath {
        parent: None,
        segment: Segment::Root,
    };

    /// The named field `name` below this path.
    #[must_use]
    pub fn field(&'a self, name: &'static str) -> FieldPath<'a> {
        FieldPath {
            parent: Some(self),
            segment: Segment::Field(name),
        }
    }

    /// The element at `index` of the sequence at this path.
    #[must_use]
    pub fn index(&'a self, index: usize) -> FieldPath<'a> {
        FieldPath {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// The entry under `key` of the map at this path.
    ///
    /// Keys come from the client, so only a short key made of ASCII letters, digits, `_` and
    /// `-` is shown; any other key is rendered as `[?]` and never echoed.
    #[must_use]
    pub fn key(&'a self, key: &'a dyn PathKey) -> FieldPath<'a> {
        FieldPath {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    /// The entry of the map at this path whose key a key rule checks: rendered `[?]` whatever
    /// the key, since a key that fails its rules is a rejected value and never echoed.
    #[must_use]
    pub fn masked_key(&'a self) -> FieldPath<'a> {
        FieldPath {
            parent: Some(self),
            segment: Segment::MaskedKey,
        }
    }

    fn write_to(&self, out: &mut String) {
        if let Some(parent) = self.parent {
            parent.write_to(out);
        }
        match self.segment {
            Segment::Root => {}
            Segment::Field(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Segment::Index(index) => {
                let _ = write!(out, "[{index}]");
            }
            Segment::Key(key) => {
                out.push('[');
                key.write_key(out);
                out.push(']');
            }
            Segment::MaskedKey => out.push_str("[?]"),
        }
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.write_to(&mut out);
        f.write_str(&out)
    }
}

impl fmt::Debug for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FieldPath({self})")
    }
}

/// A map key that can appear in a [`FieldPath`].
pub trait PathKey {
    /// Writes the key as it should appear between brackets.
    fn write_key(&self, out: &mut String);
}

/// Longest map key shown in an error path; longer keys are masked.
const MAX_SHOWN_KEY: usize = 64;

impl PathKey for str {
    fn write_key(&self, out: &mut String) {
        let shown = !self.is_empty()
            && self.len() <= MAX_SHOWN_KEY
            && self
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        out.push_str(if shown { self } else { "?" });
    }
}

impl PathKey for String {
    fn write_key(&self, out: &mut String) {
        self.as_str().write_key(out);
    }
}

macro_rules! integer_path_keys {
    ($($ty:ty),*) => {$(
        impl PathKey for $ty {
            fn write_key(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
integer_path_keys!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, bool
);

/// A `char` key comes from the client like a string key, and is shown under the same rule.
impl PathKey for char {
    fn write_key(&self, out: &mut String) {
        self.encode_utf8(&mut [0; 4]).write_key(out);
    }
}

/// One failed rule: where it failed, a machine-readable code and a message for people.
///
/// It never holds the rejected value, so it is safe to send to the client and to log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ValidationError {
    path: String,
    code: &'static str,
    message: &'static str,
}

impl ValidationError {
    /// The path of the value that failed, as the client named it (`items[3].name`); empty
    /// for a rule on the whole type.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// A stable, machine-readable code: `length`, `email`, `range`, or a custom rule's code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// A message for people, which never contains the rejected value.
    pub fn message(&self) -> &'static str {
        self.message
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{} ({})", self.message, self.code)
        } else {
            write!(f, "{}: {} ({})", self.path, self.message, self.code)
        }
    }
}

/// The most failures one validation lists; a request with more gets the first ones and a
/// last entry with the code `too_many_errors`, so a hostile input cannot make the answer
/// grow with it.
pub const MAX_ERRORS: usize = 100;

/// Every rule that failed on one value, in the order the rules are declared, up to
/// [`MAX_ERRORS`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ValidationErrors {
    errors: Vec<ValidationError>,
}

impl ValidationErrors {
    /// An empty list.
    #[must_use]
    pub const fn new() -> Self {
        Self { errors: Vec::new() }
    }

    /// Records that the rule `code` failed at `path`; past [`MAX_ERRORS`] failures, only
    /// that there were more.
    pub fn push(&mut self, path: &FieldPath<'_>, code: &'static str, message: &'static str) {
        match self.errors.len() {
            listed if listed < MAX_ERRORS => {
                let mut rendered = String::new();
                path.write_to(&mut rendered);
                self.errors.push(ValidationError {
                    path: rendered,
                    code,
                    message,
                });
            }
            MAX_ERRORS => self.errors.push(ValidationError {
                path: String::new(),
                code: "too_many_errors",
                message: "more rules failed than are listed here",
            }),
            _ => {}
        }
    }

    /// Whether more rules failed than are listed (the last entry then says so).
    pub fn is_truncated(&self) -> bool {
        self.errors.len() > MAX_ERRORS
    }

    /// Records a failure reported by a custom rule.
    pub fn push_invalid(&mut self, path: &FieldPath<'_>, invalid: Invalid) {
        self.push(path, invalid.code, invalid.message);
    }

    /// Whether no rule failed.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// How many entries are listed: the failures, and the `too_many_errors` entry when
    /// there were more than [`MAX_ERRORS`].
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// The failures, in the order they were found.
    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.errors.iter()
    }

    /// `Ok(())` when empty, else `Err(self)`.
    pub fn into_result(self) -> Result<(), Self> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a ValidationError;
    type IntoIter = std::slice::Iter<'a, ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.iter()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// The failure a custom rule returns: a code and a message, both static, so a custom rule
/// cannot put the rejected value into an error by accident.
///
/// ```
/// use palisade::validate::Invalid;
///
/// fn not_reserved(name: &str) -> Result<(), Invalid> {
///     if name.eq_ignore_ascii_case("admin") {
///         return Err(Invalid::new("reserved", "this name is reserved"));
///     }
///     Ok(())
/// }
/// assert!(not_reserved("admin").is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invalid {
    code: &'static str,
    message: &'static str,
}

impl Invalid {
    /// A failure with a machine-readable `code` and a `message` for people.
    #[must_use]
    pub const fn new(code: &'static str, message: &'static str) -> Self {
        Self { code, message }
    }

    /// The machine-readable code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message for people.
    pub fn message(&self) -> &'static str {
        self.message
    }
}
