//! The seal on palisade's guarantee traits (DESIGN.md G11): only palisade's derives and
//! attributes, palisade itself, and the reasoned door `#[palisade::trusted(...)]` implement
//! them.
//!
//! Each guarantee trait (`Sanitized`, `Redact`, `PublicError`, `SafeResponse`, `Bounded`, the
//! handler markers) has a hidden seal as its supertrait. An `impl Sanitized for X {}` written by
//! hand lacks the seal, and the compiler's error names the derive to use. The seal holds a
//! [`Seal`] constant, made for its type and its trait, that only deprecated constructors make:
//! the macros allow them where they write one, and a hand-written one is warned about by the
//! compiler (an error under `-D warnings`) and found by searching for `__private`; another
//! impl's seal, copied, has another type. (A constant that never evaluates, `todo!()`, passes
//! `cargo check` and fails the build where the route report reads it.) A door opened with
//! `trusted` carries its reason, and the route report lists it beside every route that takes
//! or returns the type.

use std::marker::PhantomData;

use serde::Serialize;

/// Which promise a [`Door`] stands in for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DoorKind {
    /// A handler argument that carries no unchecked request data.
    Input,
    /// A handler return type that cannot send internals to the client.
    Response,
    /// A type whose values have an upper size that no input can exceed.
    Bounded,
}

impl DoorKind {
    /// The word of `#[palisade::trusted(...)]` that opens it.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            DoorKind::Input => "input",
            DoorKind::Response => "response",
            DoorKind::Bounded => "bounded",
        }
    }
}

/// A type declared trusted with `#[palisade::trusted(...)]`, and why: shown in the route report
/// beside the routes that use it (DESIGN.md G11).
///
/// ```
/// use axum::Json;
/// use palisade::router::DoorKind;
/// use palisade::{Router, Sanitized, Valid, public};
///
/// /// A ticket number: a `u32` on the wire, so it cannot grow.
/// #[palisade::trusted(bounded, reason = "a u32 on the wire")]
/// #[derive(serde::Deserialize)]
/// struct Ticket(u32);
///
/// #[derive(serde::Deserialize, Sanitized)]
/// struct Lookup {
///     #[validate(skip(reason = "any ticket may be looked up"))]
///     ticket: Ticket,
/// }
///
/// #[public(reason = "tickets are public")]
/// async fn look_up(lookup: Valid<Json<Lookup>>) -> String {
///     lookup.ticket.0.to_string()
/// }
///
/// let report = Router::<()>::new().post("/tickets", look_up).route_report();
/// let door = &report.0[0].doors[0];
/// assert_eq!(door.kind, DoorKind::Bounded);
/// assert!(door.type_name.ends_with("Ticket"));
/// assert_eq!(door.reason, "a u32 on the wire");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Door {
    /// The promise the type is trusted to keep.
    pub kind: DoorKind,
    /// The type, as the compiler names it.
    pub type_name: &'static str,
    /// Why it is trusted, as the attribute says.
    pub reason: &'static str,
}

/// The doors found inside a type, each once; a type met again is not entered again, so that
/// a recursive type (a tree of nodes) ends.
#[doc(hidden)]
#[derive(Default)]
pub struct Doors {
    found: Vec<Door>,
    entered: Vec<fn(&mut Doors)>,
}

impl Doors {
    /// The doors found, in the order found.
    #[must_use]
    pub fn into_vec(self) -> Vec<Door> {
        self.found
    }
}

/// How an impl of a guarantee trait came to be: written by palisade, or by the reasoned door.
/// Not a public API.
///
/// It is made for one type `T` and one seal trait `K` (a marker such as [`SanitizedMark`]):
/// the constant of another impl, copied, has another type and does not compile.
#[doc(hidden)]
pub struct Seal<T: ?Sized, K> {
    /// The door this impl is, if it is one.
    door: Option<Opened>,
    /// The doors inside the type (the bounded fields of a `Sanitized` type, say).
    inner: fn(&mut Doors),
    /// The type and the trait it seals.
    owner: PhantomData<Owner<T, K>>,
}

/// What a [`Seal`] is made for: a type and a seal trait (a function of `&T`, so that an
/// unsized or unsendable `T` makes no difference to the seal).
type Owner<T, K> = (fn(&T), K);

impl<T: ?Sized, K> Clone for Seal<T, K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized, K> Copy for Seal<T, K> {}

/// The doors of a type that holds none.
#[doc(hidden)]
pub fn no_doors(_: &mut Doors) {}

/// A door as a seal holds it: its kind, its reason, and the function naming its type (the
/// name is only known at run time).
type Opened = (DoorKind, &'static str, fn() -> &'static str);

impl<T: ?Sized, K> Seal<T, K> {
    /// palisade's own impls: no door.
    pub(crate) const PALISADE: Self = Seal {
        door: None,
        inner: no_doors,
        owner: PhantomData,
    };

    /// palisade's own impl over types that may hold doors (`Box<T>`, `(A, B)`,
    /// `Valid<Json<T>>`, …): `inner` appends theirs.
    pub(crate) const fn around(inner: fn(&mut Doors)) -> Self {
        Seal {
            door: None,
            inner,
            owner: PhantomData,
        }
    }

    /// What palisade's derives and attributes write, with the doors of the type's parts.
    #[deprecated(
        note = "only palisade's derives and attributes implement its guarantee traits: an impl by hand skips their checks. Use the derive or attribute the error named, or `#[palisade::trusted(input | response | bounded, reason = \"...\")]`"
    )]
    #[must_use]
    pub const fn derived(inner: fn(&mut Doors)) -> Self {
        Seal {
            door: None,
            inner,
            owner: PhantomData,
        }
    }

    /// What `#[palisade::trusted(...)]` writes: a door, with its reason.
    #[deprecated(
        note = "only palisade's derives and attributes implement its guarantee traits: write `#[palisade::trusted(input | response | bounded, reason = \"...\")]` on the type instead"
    )]
    #[must_use]
    pub const fn trusted(kind: DoorKind, reason: &'static str, name: fn() -> &'static str) -> Self {
        Seal {
            door: Some((kind, reason, name)),
            inner: no_doors,
            owner: PhantomData,
        }
    }

    /// Appends the door this impl is, then the doors inside it.
    pub fn doors(self, doors: &mut Doors) {
        if let Some((kind, reason, name)) = self.door {
            let door = Door {
                kind,
                type_name: name(),
                reason,
            };
            if !doors.found.contains(&door) {
                doors.found.push(door);
            }
        }
        let inner = self.inner;
        if doors
            .entered
            .iter()
            .any(|entered| std::ptr::fn_addr_eq(*entered, inner))
        {
            return;
        }
        doors.entered.push(inner);
        inner(doors);
    }
}

/// Appends the doors of `T`'s `Bounded` impl.
pub(crate) fn bounded_doors_of<T: BoundedSeal + ?Sized>(doors: &mut Doors) {
    T::SEAL.doors(doors);
}

/// Appends the doors of `T`'s `Sanitized` impl.
pub(crate) fn sanitized_doors_of<T: SanitizedSeal + ?Sized>(doors: &mut Doors) {
    T::SEAL.doors(doors);
}

/// Appends the doors of `T`'s `SafeResponse` impl.
#[cfg(feature = "axum")]
pub(crate) fn response_doors_of<T: SafeResponseSeal + ?Sized>(doors: &mut Doors) {
    T::SEAL.doors(doors);
}

/// Declares the hidden seal of a guarantee trait, with the message of a hand-written impl.
macro_rules! seal {
    ($(#[doc = $doc:literal])* $name:ident / $mark:ident, $message:literal, $note:literal) => {
        $(#[doc = $doc])*
        #[doc(hidden)]
        #[diagnostic::on_unimplemented(message = $message, label = "implemented by hand", note = $note)]
        pub trait $name {
            /// How the impl came to be.
            const SEAL: Seal<Self, $mark>;
        }

        #[doc = concat!("The trait a [`Seal`] of `", stringify!($name), "` is made for.")]
        #[doc(hidden)]
        pub enum $mark {}
    };
}

seal!(
    /// The seal of `Sanitized`.
    SanitizedSeal / SanitizedMark,
    "`{Self}` implements `Sanitized` by hand: use `#[derive(palisade::Sanitized)]`",
    "the derive gives each field its rules and checks its size bounds; an impl by hand would let any input through `Valid` unchecked"
);
seal!(
    /// The seal of `Redact`.
    RedactSeal / RedactMark,
    "`{Self}` implements `Redact` by hand: use `#[derive(palisade::Redact)]`",
    "the derive writes `Debug` and `Serialize` from each field's `#[redact]` mark; an impl by hand masks nothing"
);
seal!(
    /// The seal of `PublicError`.
    PublicErrorSeal / PublicErrorMark,
    "`{Self}` implements `PublicError` by hand: use `#[derive(palisade::PublicError)]`",
    "the derive decides per variant what the client sees and logs the rest; an impl by hand can send internals"
);
seal!(
    /// The seal of `SafeResponse`.
    SafeResponseSeal / SafeResponseMark,
    "`{Self}` implements `SafeResponse` by hand: mark the type `#[palisade::trusted(response, reason = \"...\")]` instead",
    "an impl by hand would let any body reach the client unseen; the reason shows in the route report beside every route that returns the type"
);
seal!(
    /// The seal of `ResponseBody`.
    ResponseBodySeal / ResponseBodyMark,
    "`{Self}` is marked a response body by hand: derive `palisade::Redact` on it instead",
    "an impl by hand would send its fields unchecked; the derive applies the rule of sensitive names"
);
seal!(
    /// The seal of the handler argument marker.
    TrustedInputSeal / TrustedInputMark,
    "`{Self}` is marked a trusted handler argument by hand: mark it `#[palisade::trusted(input, reason = \"...\")]` instead",
    "an impl by hand would let unchecked request data in unseen; the reason shows in the route report beside every route that takes the type"
);
seal!(
    /// The seal of the access decision marker.
    AccessDecidedSeal / AccessDecidedMark,
    "`{Self}` is marked decided by hand: add `#[requires_auth(...)]` or `#[public(reason = \"...\")]` to the handler instead",
    "only those attributes decide who may call a handler, and the route report shows what they decided"
);
seal!(
    /// The seal of `Bounded`.
    BoundedSeal / BoundedMark,
    "`{Self}` implements `Bounded` by hand: mark a fixed-size type `#[palisade::trusted(bounded, reason = \"...\")]` instead",
    "an impl by hand would let a growable type pass the size rule unseen; a nested request type derives `Sanitized` instead"
);

/// Probes a type for its seal without requiring one, so that a missing seal is reported once,
/// by the check made for it, and not again by the route report (autoref specialization: the
/// impl on `&Probe<T>` applies where `T` is sealed, the one on `Probe<T>` everywhere).
#[doc(hidden)]
pub struct Probe<T: ?Sized>(std::marker::PhantomData<T>);

impl<T: ?Sized> Probe<T> {
    /// The probe of `T`.
    #[must_use]
    pub const fn new() -> Self {
        Self(std::marker::PhantomData)
    }
}

impl<T: ?Sized> Default for Probe<T> {
    fn default() -> Self {
        Self::new()
    }
}

macro_rules! probe {
    ($sealed:ident, $unsealed:ident, $seal:ident, $method:ident) => {
        #[doc(hidden)]
        pub trait $sealed {
            /// The doors of the probed type.
            fn $method(&self, doors: &mut Doors);
        }
        impl<T: $seal + ?Sized> $sealed for &Probe<T> {
            fn $method(&self, doors: &mut Doors) {
                T::SEAL.doors(doors);
            }
        }
        #[doc(hidden)]
        pub trait $unsealed {
            /// No doors: the type is not sealed, and its check says so.
            fn $method(&self, doors: &mut Doors);
        }
        impl<T: ?Sized> $unsealed for Probe<T> {
            fn $method(&self, _: &mut Doors) {}
        }
    };
}

probe!(InputDoors, NoInputDoors, TrustedInputSeal, input_doors);
probe!(
    ResponseDoors,
    NoResponseDoors,
    SafeResponseSeal,
    response_doors
);
probe!(BoundedDoors, NoBoundedDoors, BoundedSeal, bounded_doors);
probe!(
    SanitizedDoors,
    NoSanitizedDoors,
    SanitizedSeal,
    sanitized_doors
);

/// What a nesting probe finds where no `Sanitized` type is.
#[doc(hidden)]
pub struct NoNestedRules;

/// Declares a nesting probe: what it finds where a `Sanitized` type is (`$found`, through
/// `$nested` on `&Probe<T>`), where none is (`NoNestedRules`, through `$absent` on `Probe<T>`),
/// and the requirement that it found none, with its message (required by a function of its own,
/// written out of the macro so that the error shows it plainly).
macro_rules! nesting_probe {
    (
        $(#[doc = $doc:literal])*
        $found:ident, $nested:ident, $absent:ident, $method:ident, $decided:ident,
        $message:literal, $label:literal, $note:literal $(,)?
    ) => {
        $(#[doc = $doc])*
        #[doc(hidden)]
        pub struct $found;

        /// The probe's answer where the type holds a `Sanitized` type.
        #[doc(hidden)]
        pub trait $nested {
            /// A `Sanitized` type whose rules would not run.
            fn $method(&self) -> $found {
                $found
            }
        }
        impl<T: HoldsSanitized + ?Sized> $nested for &Probe<T> {}

        /// The probe's answer for every other type.
        #[doc(hidden)]
        pub trait $absent {
            /// No `Sanitized` type there.
            fn $method(&self) -> NoNestedRules {
                NoNestedRules
            }
        }
        impl<T: ?Sized> $absent for Probe<T> {}

        /// Holds where the probe found no `Sanitized` type.
        #[doc(hidden)]
        #[diagnostic::on_unimplemented(message = $message, label = $label, note = $note)]
        pub trait $decided {}
        // Not offered as a fix: the answer comes from the probe, not from the user.
        #[diagnostic::do_not_recommend]
        impl $decided for NoNestedRules {}
    };
}

nesting_probe!(
    /// What the probe finds in a field without `dive`: a `Sanitized` type, whose rules would
    /// not run.
    SanitizedTypeWithoutDive,
    NestedSanitized,
    NotNested,
    dive_decision,
    DiveDecided,
    "this field holds a `Sanitized` type whose rules would not run: add `#[validate(dive)]`",
    "a nested `Sanitized` type: `dive` runs its sanitizers and rules",
    "`dive` reaches through `Option`, `Box`, collections and maps (or use `each(dive)` beside other element rules); behind `Arc`, `Rc` or `Cow` a value cannot be sanitized in place, so hold it by value or in a `Box`; `skip(reason = \"...\")` leaves the whole field unchecked, with its reason",
);

nesting_probe!(
    /// What the probe finds at a place no `dive` reaches (a tuple element, a map key): a
    /// `Sanitized` type, whose rules would not run.
    SanitizedTypeOutOfReach,
    OutOfReachSanitized,
    NotOutOfReach,
    reach_decision,
    ReachDecided,
    "a `Sanitized` type in a tuple or as a map key is out of `dive`'s reach: its rules would not run",
    "no rule reaches this `Sanitized` type",
    "tuple elements and map keys take no `dive`: put the value in a struct field of its own with `#[validate(dive)]` (a struct in place of the tuple), or key the map by a string checked with `keys(...)`",
);

/// Compiles only where the probe found no nested `Sanitized` type without `dive`; the error
/// lands on the field's type.
#[doc(hidden)]
pub fn require_dive_decided<R: DiveDecided>(_: R) {}

/// Compiles only where the probe found no `Sanitized` type out of `dive`'s reach; the error
/// lands on the tuple element or map key.
#[doc(hidden)]
pub fn require_reach_decided<R: ReachDecided>(_: R) {}

/// A type that is `Sanitized` or holds one where `dive` reaches: through `Option`, the smart
/// pointers, collections, arrays and map values. The macro looks through these where it sees
/// them written out; this finds them behind a type alias.
#[doc(hidden)]
pub trait HoldsSanitized {}
impl<T: crate::Sanitized + ?Sized> HoldsSanitized for T {}

macro_rules! holds_through {
    ($([$($generics:tt)*] $ty:ty),* $(,)?) => {$(
        impl<$($generics)*> HoldsSanitized for $ty {}
    )*};
}

holds_through!(
    [T: HoldsSanitized] Option<T>,
    [T: HoldsSanitized + ?Sized] std::sync::Arc<T>,
    [T: HoldsSanitized + ?Sized] std::rc::Rc<T>,
    [T: HoldsSanitized + ToOwned + ?Sized] std::borrow::Cow<'_, T>,
    [T: HoldsSanitized] Vec<T>,
    [T: HoldsSanitized] [T],
    [T: HoldsSanitized, const N: usize] [T; N],
    [T: HoldsSanitized] std::collections::VecDeque<T>,
    [T: HoldsSanitized] std::collections::LinkedList<T>,
    [T: HoldsSanitized] std::collections::BinaryHeap<T>,
    [T: HoldsSanitized, H] std::collections::HashSet<T, H>,
    [T: HoldsSanitized] std::collections::BTreeSet<T>,
    [K, V: HoldsSanitized, H] std::collections::HashMap<K, V, H>,
    [K, V: HoldsSanitized] std::collections::BTreeMap<K, V>,
);
