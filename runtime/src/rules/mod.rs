//! The checks behind `#[validate(...)]`, called by the code that `#[derive(Sanitized)]`
//! generates.
//!
//! Each rule is a function bounded on a trait that says which field types the rule fits, with
//! a `#[diagnostic::on_unimplemented]` message, so that `#[validate(email)]` on a `u32` fails to
//! compile with an error on the field's type. Where the `validator` crate has the check
//! (email, IP, credit card, non-control characters, contains, regex) it is called; URLs are
//! parsed with the WHATWG parser of the `url` crate.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use regex::Regex;
use validator::{
    ValidateContains, ValidateDoesNotContain, ValidateEmail, ValidateIp,
    ValidateNonControlCharacter, ValidateRegex,
};

use crate::validate::Invalid;

mod containers;
pub use containers::*;

/// A value that is text, or an optional text (`None` passes every text rule).
pub trait Text {
    /// The text, or `None` for an absent optional value.
    fn text(&self) -> Option<&str>;
}

impl Text for str {
    #[inline]
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Text for String {
    #[inline]
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Text for Cow<'_, str> {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Text for Box<str> {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Text for Arc<str> {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Text for Rc<str> {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Text for crate::SecretString {
    #[inline]
    fn text(&self) -> Option<&str> {
        Some(crate::secret::ExposeSecret::expose_secret(self))
    }
}

impl<T: Text + ?Sized> Text for &T {
    fn text(&self) -> Option<&str> {
        (**self).text()
    }
}

impl<T: Text> Text for Option<T> {
    fn text(&self) -> Option<&str> {
        self.as_ref().and_then(Text::text)
    }
}

/// Declares one marker trait per text rule, each with its own compile error, implemented for
/// every [`Text`] type.
macro_rules! text_rules {
    ($($(#[$doc:meta])* $rule:ident => $message:literal;)*) => {$(
        $(#[$doc])*
        #[diagnostic::on_unimplemented(
            message = $message,
            label = "this field is not text",
            note = "text rules apply to `String`, `&str`, `Cow<str>`, `Box<str>`, `Arc<str>` and `Option` of those; for a collection of text, put the rule in `each(...)`"
        )]
        pub trait $rule: Text {}

        #[diagnostic::do_not_recommend]
        impl<T: Text + ?Sized> $rule for T {}
    )*};
}

text_rules! {
    /// Types that `email` applies to.
    EmailRule => "`email` does not apply to `{Self}`";
    /// Types that `url` applies to.
    UrlRule => "`url` does not apply to `{Self}`";
    /// Types that `ip` applies to.
    IpRule => "`ip` does not apply to `{Self}`";
    /// Types that `regex` applies to.
    RegexRule => "`regex` does not apply to `{Self}`";
    /// Types that `contains` and `does_not_contain` apply to.
    ContainsRule => "`contains` and `does_not_contain` do not apply to `{Self}`";
    /// Types that `credit_card` applies to.
    CreditCardRule => "`credit_card` does not apply to `{Self}`";
    /// Types that `non_control_character` applies to.
    NonControlRule => "`non_control_character` does not apply to `{Self}`";
}

/// `email`: an address as the HTML standard's `<input type=email>` accepts it (no quoted local
/// parts, no comments, no white space), checked by the `validator` crate, with three rules of
/// palisade's on top, each closing a hole that the isemail corpus showed in validator 0.21:
///
/// - the whole address is at most 254 bytes (RFC 5321's path limit less its brackets);
/// - the local part is an RFC 5322 dot-atom: no dot at its start or end, no two dots together;
/// - an address literal is the whole domain (`a@[192.0.2.1]`): validator matches one anchored
///   only at its end, so `a@x\r\nBcc: victim[1.2.3.4]` passed, a mail header injection.
///
/// The domain is judged as UTS #46 maps it to ASCII (`sanitize::email_domain`, which the rule
/// runs on its field first, so the mapped form is what is stored); an address with an
/// invisible or control character, or a domain that does not map, is refused.
pub fn email<T: EmailRule + ?Sized>(value: &T) -> bool {
    value.text().is_none_or(|text| {
        crate::sanitize::mapped_email(text).is_some_and(|mapped| {
            email_shape(mapped.as_bytes()) && mapped.as_str().validate_email()
        })
    })
}

/// Palisade's rules on top of validator's email check, in one pass over the bytes.
fn email_shape(address: &[u8]) -> bool {
    let Some(at) = address.iter().rposition(|&b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&address[..at], &address[at + 1..]);
    // A dot may not start or end the local part, nor follow another dot.
    let mut after_dot = true;
    for &byte in local {
        if byte == b'.' && after_dot {
            return false;
        }
        after_dot = byte == b'.';
    }
    let whole_literal = match domain.first() {
        Some(b'[') => domain.last() == Some(&b']'),
        _ => !domain.contains(&b'['),
    };
    address.len() <= MAX_EMAIL_BYTES && !after_dot && whole_literal
}

/// The longest address: RFC 5321 limits a path to 256 octets, brackets included.
const MAX_EMAIL_BYTES: usize = 254;

/// `url`: an absolute URL that the WHATWG parser accepts, whose scheme is in `schemes`.
pub fn url<T: UrlRule + ?Sized>(value: &T, schemes: &[&str]) -> bool {
    value.text().is_none_or(|text| {
        url::Url::parse(text).is_ok_and(|parsed| schemes.iter().any(|s| *s == parsed.scheme()))
    })
}

/// Which IP versions `ip` accepts.
#[derive(Clone, Copy, Debug)]
pub enum IpVersion {
    /// IPv4 or IPv6.
    Any,
    /// IPv4 only.
    V4,
    /// IPv6 only.
    V6,
}

/// `ip`: an IP address in its textual form.
pub fn ip<T: IpRule + ?Sized>(value: &T, version: IpVersion) -> bool {
    value.text().is_none_or(|text| match version {
        IpVersion::Any => text.validate_ip(),
        IpVersion::V4 => text.validate_ipv4(),
        IpVersion::V6 => text.validate_ipv6(),
    })
}

/// `regex`: the pattern matches somewhere in the text (anchor it with `^…$` to match all).
///
/// The pattern was compiled when the macro ran, so it is always `Some`; were it ever `None`,
/// the rule fails closed rather than panicking.
pub fn regex<T: RegexRule + ?Sized>(value: &T, pattern: Option<&Regex>) -> bool {
    value
        .text()
        .is_none_or(|text| pattern.is_some_and(|pattern| text.validate_regex(pattern)))
}

/// `contains`: the text contains `needle`.
pub fn contains<T: ContainsRule + ?Sized>(value: &T, needle: &str) -> bool {
    value
        .text()
        .is_none_or(|text| text.validate_contains(needle))
}

/// `does_not_contain`: the text does not contain `needle`.
pub fn does_not_contain<T: ContainsRule + ?Sized>(value: &T, needle: &str) -> bool {
    value
        .text()
        .is_none_or(|text| text.validate_does_not_contain(needle))
}

/// `credit_card`: a card number with a valid Luhn checksum and a known issuer's format.
#[cfg(feature = "card")]
pub fn credit_card<T: CreditCardRule + ?Sized>(value: &T) -> bool {
    use validator::ValidateCreditCard;
    value.text().is_none_or(|text| text.validate_credit_card())
}

/// `non_control_character`: no control character (Unicode category Cc) anywhere.
pub fn non_control_character<T: NonControlRule + ?Sized>(value: &T) -> bool {
    value
        .text()
        .is_none_or(|text| text.validate_non_control_character())
}

/// What `length` counts in text; collections always count their items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LengthUnit {
    /// Unicode scalar values (`char`s): what a person counts as characters, roughly.
    Chars,
    /// UTF-8 bytes: what storage and wire limits count.
    Bytes,
}

/// Types that `length` applies to: text counts in chars or bytes, collections count items.
#[diagnostic::on_unimplemented(
    message = "`length` does not apply to `{Self}`",
    label = "this field has no length",
    note = "`length` applies to text (`String`, `&str`, …), collections (`Vec`, `VecDeque`, sets, maps, arrays, slices) and `Option` of those; for numbers use `range`"
)]
pub trait LengthRule {
    /// The length in `unit`, or `None` for an absent optional value.
    fn length(&self, unit: LengthUnit) -> Option<usize>;
}

// Inlined across the crate boundary so that the unit, a constant at every call site, folds
// away; the benches measured the out-of-line call at 4 % of a whole validation.
#[inline]
fn text_length(text: &str, unit: LengthUnit) -> usize {
    match unit {
        LengthUnit::Chars => text.chars().count(),
        LengthUnit::Bytes => text.len(),
    }
}

macro_rules! text_length {
    ($($ty:ty),*) => {$(
        impl LengthRule for $ty {
            #[inline]
            fn length(&self, unit: LengthUnit) -> Option<usize> {
                Some(text_length(self, unit))
            }
        }
    )*};
}
text_length!(str, String);

/// OS strings and paths count their bytes as the platform encodes them, and their characters
/// as far as they are Unicode (each unpaired part counting as one replacement character).
macro_rules! os_text_length {
    ($($ty:ty),*) => {$(
        impl LengthRule for $ty {
            fn length(&self, unit: LengthUnit) -> Option<usize> {
                let text: &OsStr = self.as_ref();
                Some(match unit {
                    LengthUnit::Bytes => text.as_encoded_bytes().len(),
                    LengthUnit::Chars => text.to_string_lossy().chars().count(),
                })
            }
        }
    )*};
}
os_text_length!(OsStr, OsString, Path, PathBuf);

impl LengthRule for crate::SecretString {
    #[inline]
    fn length(&self, unit: LengthUnit) -> Option<usize> {
        Some(text_length(
            crate::secret::ExposeSecret::expose_secret(self),
            unit,
        ))
    }
}

/// Smart pointers have the length of what they point to.
macro_rules! pointer_length {
    ($($pointer:ident),*) => {$(
        impl<T: LengthRule + ?Sized> LengthRule for $pointer<T> {
            #[inline]
            fn length(&self, unit: LengthUnit) -> Option<usize> {
                (**self).length(unit)
            }
        }
    )*};
}
pointer_length!(Box, Arc, Rc);

impl<T: LengthRule + ToOwned + ?Sized> LengthRule for Cow<'_, T> {
    #[inline]
    fn length(&self, unit: LengthUnit) -> Option<usize> {
        (**self).length(unit)
    }
}

macro_rules! collection_length {
    ($([$($generics:tt)*] $ty:ty),* $(,)?) => {$(
        impl<$($generics)*> LengthRule for $ty {
            #[inline]
            fn length(&self, _unit: LengthUnit) -> Option<usize> {
                Some(self.len())
            }
        }
    )*};
}
collection_length!(
    [T] Vec<T>,
    [T] VecDeque<T>,
    [T] LinkedList<T>,
    [T] BinaryHeap<T>,
    [T] [T],
    [T, const N: usize] [T; N],
    [T, S] HashSet<T, S>,
    [T] BTreeSet<T>,
    [] bytes::Bytes,
    [] bytes::BytesMut,
    [K, V, S] HashMap<K, V, S>,
    [K, V] BTreeMap<K, V>,
);

impl<T: LengthRule + ?Sized> LengthRule for &T {
    fn length(&self, unit: LengthUnit) -> Option<usize> {
        (**self).length(unit)
    }
}

impl<T: LengthRule> LengthRule for Option<T> {
    fn length(&self, unit: LengthUnit) -> Option<usize> {
        self.as_ref().and_then(|value| value.length(unit))
    }
}

/// `length`: within `min..=max`, or exactly `equal`.
pub fn length<T: LengthRule + ?Sized>(
    value: &T,
    unit: LengthUnit,
    min: Option<usize>,
    max: Option<usize>,
    equal: Option<usize>,
) -> bool {
    value.length(unit).is_none_or(|len| {
        min.is_none_or(|min| len >= min)
            && max.is_none_or(|max| len <= max)
            && equal.is_none_or(|equal| len == equal)
    })
}

/// Types that `range` applies to: numbers and `Option` of numbers.
#[diagnostic::on_unimplemented(
    message = "`range` does not apply to `{Self}`",
    label = "this field is not a number",
    note = "`range` applies to integers, floats and `Option` of those; for text and collections use `length`"
)]
pub trait RangeRule {
    /// The number compared with the bounds.
    type Bound: PartialOrd;
    /// The number, or `None` for an absent optional value.
    fn number(&self) -> Option<&Self::Bound>;
}

macro_rules! numbers {
    ($($ty:ty),*) => {$(
        impl RangeRule for $ty {
            type Bound = $ty;
            fn number(&self) -> Option<&$ty> {
                Some(self)
            }
        }
    )*};
}
numbers!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64
);

impl<T: RangeRule> RangeRule for Option<T> {
    type Bound = T::Bound;
    fn number(&self) -> Option<&T::Bound> {
        self.as_ref().and_then(RangeRule::number)
    }
}

/// `range`: `min <= value <= max`, with `exclusive_min < value < exclusive_max`. A float NaN is
/// never in range.
pub fn range<T: RangeRule + ?Sized>(
    value: &T,
    min: Option<T::Bound>,
    max: Option<T::Bound>,
    exclusive_min: Option<T::Bound>,
    exclusive_max: Option<T::Bound>,
) -> bool {
    value.number().is_none_or(|n| {
        min.is_none_or(|min| *n >= min)
            && max.is_none_or(|max| *n <= max)
            && exclusive_min.is_none_or(|min| *n > min)
            && exclusive_max.is_none_or(|max| *n < max)
    })
}

/// Types that `required` applies to.
#[diagnostic::on_unimplemented(
    message = "`required` does not apply to `{Self}`",
    label = "this field is not an `Option`",
    note = "`required` checks that an `Option` is `Some`; a field of another type is always present"
)]
pub trait RequiredRule {
    /// Whether a value is present.
    fn is_present(&self) -> bool;
}

impl<T> RequiredRule for Option<T> {
    fn is_present(&self) -> bool {
        self.is_some()
    }
}

/// `required`: the `Option` is `Some`.
pub fn required<T: RequiredRule + ?Sized>(value: &T) -> bool {
    value.is_present()
}

/// Types that `one_of` applies to, compared with allowed values of type `A`.
#[diagnostic::on_unimplemented(
    message = "`one_of` does not apply to `{Self}` with these values",
    label = "the allowed values do not fit this field",
    note = "`one_of` compares text with string literals and integers or `char`s with literals of the same type"
)]
pub trait OneOfRule<A> {
    /// Whether the value is among `allowed` (an absent optional value is).
    fn is_one_of(&self, allowed: &[A]) -> bool;
}

impl<T: Text + ?Sized> OneOfRule<&str> for T {
    fn is_one_of(&self, allowed: &[&str]) -> bool {
        self.text().is_none_or(|text| allowed.contains(&text))
    }
}

macro_rules! one_of_numbers {
    ($($ty:ty),*) => {$(
        impl OneOfRule<$ty> for $ty {
            fn is_one_of(&self, allowed: &[$ty]) -> bool {
                allowed.contains(self)
            }
        }
        impl OneOfRule<$ty> for Option<$ty> {
            fn is_one_of(&self, allowed: &[$ty]) -> bool {
                self.is_none_or(|value| allowed.contains(&value))
            }
        }
    )*};
}
one_of_numbers!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, char
);

/// `one_of`: the value is in the allow-list.
pub fn one_of<T: OneOfRule<A> + ?Sized, A>(value: &T, allowed: &[A]) -> bool {
    value.is_one_of(allowed)
}

/// `must_match`: the field equals the other field.
pub fn must_match<A: PartialEq<B> + ?Sized, B: ?Sized>(value: &A, other: &B) -> bool {
    value == other
}

/// Types that `password` applies to: `palisade::password::Password` (feature `password`), also
/// in an `Option`.
#[diagnostic::on_unimplemented(
    message = "`password` does not apply to `{Self}`",
    label = "not a `palisade::password::Password`",
    note = "make the field a `palisade::password::Password` (feature `password`): it is masked in every channel, zeroized when dropped, refused over 4096 bytes when deserialized, and the policy checks it"
)]
pub trait PasswordRule {
    /// The password policy's verdict, `account` being the text the password must not be like.
    fn check_password(&self, account: Option<&str>) -> Result<(), Invalid>;
}

impl<T: PasswordRule> PasswordRule for Option<T> {
    fn check_password(&self, account: Option<&str>) -> Result<(), Invalid> {
        self.as_ref()
            .map_or(Ok(()), |password| password.check_password(account))
    }
}

/// Types that `password(unlike = ...)` compares a password with: text, also in an `Option`
/// (`None` compares with nothing).
#[diagnostic::on_unimplemented(
    message = "`unlike` names a field of type `{Self}`, which is not text",
    label = "not text",
    note = "`password(unlike = field)` compares the password with an account's text, such as an email address or a user name (`String`, `Option<String>`, ...)"
)]
pub trait UnlikeRule: Text {}

#[diagnostic::do_not_recommend]
impl<T: Text + ?Sized> UnlikeRule for T {}

/// `password`: the password policy of `palisade::password` (length, no common password).
pub fn password<T: PasswordRule + ?Sized>(value: &T) -> Result<(), Invalid> {
    value.check_password(None)
}

/// `password(unlike = field)`: the password policy, and the password is not like the account
/// text `account`.
pub fn password_unlike<T: PasswordRule + ?Sized, U: UnlikeRule + ?Sized>(
    value: &T,
    account: &U,
) -> Result<(), Invalid> {
    value.check_password(account.text())
}
