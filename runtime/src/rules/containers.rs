//! The container walkers of `each(...)`, `keys(...)`, `dive` and `#[clean(...)]`: how each
//! standard collection, pointer and map hands its elements, keys, nested values or strings to a
//! rule, with the path of each.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::hash::BuildHasher;
use std::rc::Rc;
use std::sync::Arc;

use super::{LengthUnit, text_length};
use crate::validate::{FieldPath, PathKey, ValidationErrors};

/// Collections whose elements `each(...)` checks, with the path of each element.
#[diagnostic::on_unimplemented(
    message = "`each` does not apply to `{Self}`",
    label = "this field is not a collection",
    note = "`each(...)` checks the elements of a `Vec`, `VecDeque`, array, slice, set, or the values of a map (`keys(...)` checks map keys), also inside an `Option`"
)]
pub trait Elements {
    /// The element type.
    type Item: ?Sized;
    /// Calls `check` on each element with its path.
    fn for_each_element(
        &self,
        path: &FieldPath<'_>,
        check: &mut dyn FnMut(&Self::Item, &FieldPath<'_>),
    );
}

macro_rules! sequence_elements {
    ($([$($generics:tt)*] $ty:ty),* $(,)?) => {$(
        impl<$($generics)*> Elements for $ty {
            type Item = T;
            fn for_each_element(
                &self,
                path: &FieldPath<'_>,
                check: &mut dyn FnMut(&T, &FieldPath<'_>),
            ) {
                for (index, item) in self.iter().enumerate() {
                    check(item, &path.index(index));
                }
            }
        }
    )*};
}
sequence_elements!(
    [T] Vec<T>,
    [T] VecDeque<T>,
    [T] LinkedList<T>,
    [T] BinaryHeap<T>,
    [T] [T],
    [T, const N: usize] [T; N],
    [T, S] HashSet<T, S>,
    [T] BTreeSet<T>,
);

/// Smart pointers have the elements of what they point to.
macro_rules! pointer_elements {
    ($($pointer:ident),*) => {$(
        impl<T: Elements + ?Sized> Elements for $pointer<T> {
            type Item = T::Item;
            fn for_each_element(
                &self,
                path: &FieldPath<'_>,
                check: &mut dyn FnMut(&Self::Item, &FieldPath<'_>),
            ) {
                (**self).for_each_element(path, check);
            }
        }
    )*};
}
pointer_elements!(Box, Arc, Rc);

impl<T: Elements + ToOwned + ?Sized> Elements for Cow<'_, T> {
    type Item = T::Item;
    fn for_each_element(
        &self,
        path: &FieldPath<'_>,
        check: &mut dyn FnMut(&Self::Item, &FieldPath<'_>),
    ) {
        (**self).for_each_element(path, check);
    }
}

impl<T: Elements> Elements for Option<T> {
    type Item = T::Item;
    fn for_each_element(
        &self,
        path: &FieldPath<'_>,
        check: &mut dyn FnMut(&Self::Item, &FieldPath<'_>),
    ) {
        if let Some(inner) = self {
            inner.for_each_element(path, check);
        }
    }
}

/// `each(...)`: runs the element rules on every element.
pub fn each<T: Elements + ?Sized>(
    value: &T,
    path: &FieldPath<'_>,
    check: &mut dyn FnMut(&T::Item, &FieldPath<'_>),
) {
    value.for_each_element(path, check);
}

/// Maps whose keys `keys(...)` checks.
#[diagnostic::on_unimplemented(
    message = "`keys` does not apply to `{Self}`",
    label = "this field is not a map",
    note = "`keys(...)` checks the keys of a `HashMap` or `BTreeMap`, also inside an `Option`"
)]
pub trait MapKeys {
    /// The key type.
    type Key;
    /// Calls `check` on each key with the entry's path, the key masked (`[?]`).
    fn for_each_key(&self, path: &FieldPath<'_>, check: &mut dyn FnMut(&Self::Key, &FieldPath<'_>));
}

impl<T: MapKeys> MapKeys for Option<T> {
    type Key = T::Key;
    fn for_each_key(
        &self,
        path: &FieldPath<'_>,
        check: &mut dyn FnMut(&Self::Key, &FieldPath<'_>),
    ) {
        if let Some(inner) = self {
            inner.for_each_key(path, check);
        }
    }
}

/// `keys(...)`: runs the key rules on every key of a map.
pub fn keys<T: MapKeys + ?Sized>(
    value: &T,
    path: &FieldPath<'_>,
    check: &mut dyn FnMut(&T::Key, &FieldPath<'_>),
) {
    value.for_each_key(path, check);
}

/// Values that `dive` descends into: a type that derives `Sanitized`, or an `Option`, `Box`,
/// sequence, array or map of them, validated under the context `C` of the enclosing type.
///
/// `#[derive(Sanitized)]` implements it: for every `C` when the type needs no context, and
/// for its own context type otherwise.
#[diagnostic::on_unimplemented(
    message = "`dive` needs `{Self}` to be a validated type with the context `{C}`",
    label = "not a `Sanitized` type, or a collection of one, with context `{C}`",
    note = "derive `Sanitized` on the nested type; a nested type with `#[validate(context = ...)]` needs the enclosing type to have the same context"
)]
pub trait Dive<C> {
    /// Sanitizes the nested values in place.
    fn dive_sanitize(&mut self);
    /// Validates the nested values under `path`.
    fn dive_validate(&self, context: &C, path: &FieldPath<'_>, errors: &mut ValidationErrors);
    /// Appends the doors inside the nested type, for the route report.
    fn dive_doors(doors: &mut crate::seal::Doors);
}

impl<C, T: Dive<C> + ?Sized> Dive<C> for Box<T> {
    fn dive_doors(doors: &mut crate::seal::Doors) {
        T::dive_doors(doors);
    }
    fn dive_sanitize(&mut self) {
        (**self).dive_sanitize();
    }
    fn dive_validate(&self, context: &C, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        (**self).dive_validate(context, path, errors);
    }
}

impl<C, T: Dive<C>> Dive<C> for Option<T> {
    fn dive_doors(doors: &mut crate::seal::Doors) {
        T::dive_doors(doors);
    }
    fn dive_sanitize(&mut self) {
        if let Some(inner) = self {
            inner.dive_sanitize();
        }
    }
    fn dive_validate(&self, context: &C, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        if let Some(inner) = self {
            inner.dive_validate(context, path, errors);
        }
    }
}

macro_rules! sequence_dive {
    ($([$($generics:tt)*] $ty:ty),* $(,)?) => {$(
        impl<C, $($generics)*> Dive<C> for $ty where T: Dive<C> {
            fn dive_doors(doors: &mut crate::seal::Doors) {
                T::dive_doors(doors);
            }
            fn dive_sanitize(&mut self) {
                for item in self.iter_mut() {
                    item.dive_sanitize();
                }
            }
            fn dive_validate(&self, context: &C, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
                for (index, item) in self.iter().enumerate() {
                    item.dive_validate(context, &path.index(index), errors);
                }
            }
        }
    )*};
}
sequence_dive!(
    [T] Vec<T>,
    [T] VecDeque<T>,
    [T] LinkedList<T>,
    [T] [T],
    [T, const N: usize] [T; N]
);

/// Text that `#[clean(...)]` rewrites: a `String`, or every `String` inside an `Option`,
/// sequence, array or the values of a map.
#[diagnostic::on_unimplemented(
    message = "`#[clean(...)]` does not apply to `{Self}`",
    label = "this field holds no `String` to rewrite",
    note = "text sanitizers apply to `String` and to `Option`, `Vec`, `VecDeque`, `LinkedList`, arrays, boxed slices and map values of `String`; `custom = path` takes any type"
)]
pub trait TextMut {
    /// Calls `rewrite` on every string.
    fn for_each_text(&mut self, rewrite: &mut dyn FnMut(&mut String));
}

impl TextMut for String {
    fn for_each_text(&mut self, rewrite: &mut dyn FnMut(&mut String)) {
        rewrite(self);
    }
}

impl<T: TextMut> TextMut for Option<T> {
    fn for_each_text(&mut self, rewrite: &mut dyn FnMut(&mut String)) {
        if let Some(inner) = self {
            inner.for_each_text(rewrite);
        }
    }
}

macro_rules! sequence_text {
    ($([$($generics:tt)*] $ty:ty),* $(,)?) => {$(
        impl<$($generics)*> TextMut for $ty where T: TextMut {
            fn for_each_text(&mut self, rewrite: &mut dyn FnMut(&mut String)) {
                for item in self.iter_mut() {
                    item.for_each_text(rewrite);
                }
            }
        }
    )*};
}
sequence_text!(
    [T] Vec<T>,
    [T] VecDeque<T>,
    [T] LinkedList<T>,
    [T] Box<[T]>,
    [T, const N: usize] [T; N]
);

/// The map impls of [`Elements`], [`MapKeys`], [`Dive`] and [`TextMut`], written once for both
/// standard maps: elements are the values, each with its key in the path.
macro_rules! map_impls {
    ($([$($hasher:tt)*] $map:ty),* $(,)?) => {$(
        impl<K: PathKey, V, $($hasher)*> Elements for $map {
            type Item = V;
            fn for_each_element(&self, path: &FieldPath<'_>, check: &mut dyn FnMut(&V, &FieldPath<'_>)) {
                for (key, value) in self {
                    check(value, &path.key(key));
                }
            }
        }

        impl<K: PathKey, V, $($hasher)*> MapKeys for $map {
            type Key = K;
            fn for_each_key(&self, path: &FieldPath<'_>, check: &mut dyn FnMut(&K, &FieldPath<'_>)) {
                for key in self.keys() {
                    check(key, &path.masked_key());
                }
            }
        }

        impl<C, K: PathKey, V: Dive<C>, $($hasher)*> Dive<C> for $map {
            fn dive_doors(doors: &mut crate::seal::Doors) {
                V::dive_doors(doors);
            }
            fn dive_sanitize(&mut self) {
                for value in self.values_mut() {
                    value.dive_sanitize();
                }
            }
            fn dive_validate(&self, context: &C, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
                for (key, value) in self {
                    value.dive_validate(context, &path.key(key), errors);
                }
            }
        }

        impl<K, V: TextMut, $($hasher)*> TextMut for $map {
            fn for_each_text(&mut self, rewrite: &mut dyn FnMut(&mut String)) {
                for value in self.values_mut() {
                    value.for_each_text(rewrite);
                }
            }
        }
    )*};
}
map_impls!([S: BuildHasher] HashMap<K, V, S>, [] BTreeMap<K, V>);

/// Applies the text sanitizer `rewrite` to every string of `value`.
pub fn sanitize_text<T: TextMut + ?Sized>(value: &mut T, mut rewrite: fn(&mut String)) {
    value.for_each_text(&mut rewrite);
}

/// A field with the `email` rule, for the mapping of its domain: rewritten where it holds
/// `String`s ([`MapEmailText`]), judged as mapped but kept as it is otherwise (`&str`,
/// `Arc<str>`: [`KeepEmailText`]), chosen by autoref.
#[doc(hidden)]
pub struct EmailField<'a, T: ?Sized>(pub &'a mut T);

/// The mapping of a field that holds `String`s.
#[doc(hidden)]
pub trait MapEmailText {
    /// Maps the domains, in place.
    fn map_email(self);
}

impl<T: TextMut + ?Sized> MapEmailText for &mut EmailField<'_, T> {
    fn map_email(self) {
        sanitize_text(self.0, crate::sanitize::email_domain);
    }
}

/// The mapping of a field that holds no `String` to rewrite: none.
#[doc(hidden)]
pub trait KeepEmailText {
    /// Leaves the value as it is.
    fn map_email(self);
}

impl<T: ?Sized> KeepEmailText for &EmailField<'_, T> {
    fn map_email(self) {}
}

/// Applies `rewrite`, a sanitizer whose cost grows faster than its input (the HTML parser),
/// only to strings within `limit` in `unit`; a longer string is escaped instead, which costs
/// linear time, leaves it harmless, and leaves it too long, so that validation refuses it.
pub fn sanitize_text_within<T: TextMut + ?Sized>(
    value: &mut T,
    rewrite: fn(&mut String),
    unit: LengthUnit,
    limit: usize,
) {
    value.for_each_text(&mut |text: &mut String| {
        if text_length(text, unit) > limit {
            crate::sanitize::escape_html(text);
        } else {
            rewrite(text);
        }
    });
}
