//! Size bounds the macro cannot see in a type's syntax (DESIGN.md G3).
//!
//! `#[derive(Sanitized)]` checks the bounds of strings, byte buffers, collections and maps it
//! recognises by their names. Any other type — an alias, a type of another crate, a type
//! parameter — must prove through these traits that it cannot grow without limit, so that an
//! unseen `type Bodies = Vec<String>` or a `serde_json::Value` fails to compile rather than
//! pass unchecked.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::ffi::{OsStr, OsString};
use std::marker::PhantomData;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::num::{
    NonZeroI8, NonZeroI16, NonZeroI32, NonZeroI64, NonZeroI128, NonZeroIsize, NonZeroU8,
    NonZeroU16, NonZeroU32, NonZeroU64, NonZeroU128, NonZeroUsize,
};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use crate::seal::{BoundedMark, BoundedSeal, Seal, bounded_doors_of};

/// A type whose values have an upper size that no input can exceed, so that a field of this
/// type needs no `length(max = ...)`.
///
/// Implemented for numbers, `bool`, `char`, IP and socket addresses, `Duration`, and for
/// `Option`, pointers, arrays and tuples of bounded types; `#[derive(Sanitized)]` implements it
/// for the types it derives, whose own fields are bounded. A type of your own that
/// deserializes into a fixed size (an enum of unit variants, a fixed-width identifier) says so
/// with a reason, which the route report shows beside the routes that take it (DESIGN.md G11):
///
/// ```
/// #[palisade::trusted(bounded, reason = "one of two unit variants")]
/// #[derive(serde::Deserialize)]
/// enum Role { Reader, Writer }
///
/// #[derive(palisade::Sanitized)]
/// struct Invite {
///     #[validate(skip(reason = "any role may be invited"))]
///     role: Role,
///     #[validate(email, length(max = 254))]
///     email: String,
/// }
/// ```
///
/// An impl by hand, which would let a growable type pass as bounded, does not compile:
///
/// ```compile_fail,E0277
/// struct Notes(Vec<String>);
///
/// impl palisade::validate::Bounded for Notes {}
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` may hold input of any size: palisade sees no upper size bound for it",
    label = "no size bound palisade can see",
    note = "write the type out where the macro can see it (`String`, `Vec<T>`, `HashMap<K, V>`, not an alias) and give it `length(max = ...)`; derive `Sanitized` on a nested type; mark a fixed-size type of your own `#[palisade::trusted(bounded, reason = \"...\")]`; or opt out with `unbounded(reason = \"...\")`"
)]
pub trait Bounded: BoundedSeal {}

macro_rules! bounded {
    ($($ty:ty),* $(,)?) => {$(
        impl BoundedSeal for $ty {
            const SEAL: Seal<Self, BoundedMark> = Seal::PALISADE;
        }
        impl Bounded for $ty {}
    )*};
}
bounded!(
    (),
    bool,
    char,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    f32,
    f64,
    NonZeroU8,
    NonZeroU16,
    NonZeroU32,
    NonZeroU64,
    NonZeroU128,
    NonZeroUsize,
    NonZeroI8,
    NonZeroI16,
    NonZeroI32,
    NonZeroI64,
    NonZeroI128,
    NonZeroIsize,
    IpAddr,
    Ipv4Addr,
    Ipv6Addr,
    SocketAddr,
    SocketAddrV4,
    SocketAddrV6,
    Duration,
);

impl<T: ?Sized> BoundedSeal for PhantomData<T> {
    const SEAL: Seal<Self, BoundedMark> = Seal::PALISADE;
}
impl<T: ?Sized> Bounded for PhantomData<T> {}

/// Bounded wrappers of one bounded type, whose doors are the wrapped type's.
macro_rules! bounded_wrappers {
    ($([$($generics:tt)*] $ty:ty),* $(,)?) => {$(
        impl<$($generics)*> BoundedSeal for $ty {
            const SEAL: Seal<Self, BoundedMark> = Seal::around(bounded_doors_of::<T>);
        }
        impl<$($generics)*> Bounded for $ty {}
    )*};
}
bounded_wrappers!(
    [T: Bounded] Option<T>,
    [T: Bounded + ?Sized] &T,
    [T: Bounded + ?Sized] Box<T>,
    [T: Bounded + ?Sized] Arc<T>,
    [T: Bounded + ?Sized] Rc<T>,
    [T: Bounded + ToOwned + ?Sized] Cow<'_, T>,
    [T: Bounded, const N: usize] [T; N],
);

macro_rules! bounded_tuples {
    ($(($($part:ident),+)),* $(,)?) => {$(
        impl<$($part: Bounded),+> BoundedSeal for ($($part,)+) {
            const SEAL: Seal<Self, BoundedMark> = {
                fn doors<$($part: Bounded),+>(doors: &mut crate::seal::Doors) {
                    $( bounded_doors_of::<$part>(doors); )+
                }
                Seal::around(doors::<$($part),+>)
            };
        }
        impl<$($part: Bounded),+> Bounded for ($($part,)+) {}
    )*};
}
bounded_tuples!(
    (A),
    (A, B),
    (A, B, C),
    (A, B, C, D),
    (A, B, C, D, E),
    (A, B, C, D, E, F),
    (A, B, C, D, E, F, G),
    (A, B, C, D, E, F, G, H),
);

/// A type that `length(max = ...)` bounds entirely: text and byte buffers, collections whose
/// items are [`Bounded`], and every [`Bounded`] type (where `length` then fails on its own).
/// A collection of strings is not: its strings need their own bound, which only a
/// written-out type can take (`each(length(max = ...))`).
#[diagnostic::on_unimplemented(
    message = "`length(max = ...)` does not bound everything inside `{Self}`",
    label = "its items have no size bound palisade can see",
    note = "write the collection type out where the macro can see it (`Vec<String>`, not an alias) and bound its items with `each(length(max = ...))`, or opt out with `unbounded(reason = \"...\")`"
)]
pub trait BoundedByLength {}

// A bounded value stays bounded under `length`, which then fails on its type alone (a
// number has no length): one error, not two.
impl<T: Bounded + ?Sized> BoundedByLength for T {}

macro_rules! bounded_by_length {
    ($([$($generics:tt)*] $ty:ty),* $(,)?) => {$( impl<$($generics)*> BoundedByLength for $ty {} )*};
}
bounded_by_length!(
    [] str,
    [] String,
    [] &str,
    [] Box<str>,
    [] Arc<str>,
    [] Rc<str>,
    [] Cow<'_, str>,
    [] OsStr,
    [] OsString,
    [] Path,
    [] PathBuf,
    [] crate::SecretString,
    [] bytes::Bytes,
    [] bytes::BytesMut,
    [T: Bounded] [T],
    [T: Bounded] Vec<T>,
    [T: Bounded] VecDeque<T>,
    [T: Bounded] LinkedList<T>,
    [T: Bounded] BinaryHeap<T>,
    [T: Bounded, S] HashSet<T, S>,
    [T: Bounded] BTreeSet<T>,
    [K: Bounded, V: Bounded, S] HashMap<K, V, S>,
    [K: Bounded, V: Bounded] BTreeMap<K, V>,
);

/// Compiles only where `T` is [`Bounded`]; the error lands on the field's type.
#[inline(always)]
pub const fn assert_bounded<T: Bounded + ?Sized>() {}

/// Compiles only where `T` is [`BoundedByLength`]; the error lands on the field's type.
#[inline(always)]
pub const fn assert_bounded_by_length<T: BoundedByLength + ?Sized>() {}
