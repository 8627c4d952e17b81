//! The `Sanitized` trait that `#[derive(Sanitized)]` implements.

use crate::seal::{SanitizedMark, SanitizedSeal, Seal, sanitized_doors_of};
use crate::validate::{FieldPath, ValidationErrors};

/// A request type whose every field is sanitized and validated.
///
/// Implemented by `#[derive(Sanitized)]` only (DESIGN.md G11): the derive refuses to compile a
/// type that leaves a field undecided or an input without an upper size bound (DESIGN.md G3),
/// and an impl written by hand does not compile. Validation first
/// applies the sanitizers in place, then checks every rule, and reports every failure at once.
///
/// ```
/// use palisade::Sanitized;
///
/// #[derive(Sanitized)]
/// struct Signup {
///     #[clean(trim, lowercase)]
///     #[validate(email, length(max = 254))]
///     email: String,
///     #[validate(range(min = 13, max = 130))]
///     age: u8,
/// }
///
/// let mut signup = Signup { email: "  Ada@Example.COM ".into(), age: 36 };
/// signup.sanitize_and_validate().unwrap();
/// assert_eq!(signup.email, "ada@example.com");
///
/// let mut young = Signup { email: "not an address".into(), age: 9 };
/// let errors = young.sanitize_and_validate().unwrap_err();
/// let codes: Vec<_> = errors.iter().map(|e| (e.path(), e.code())).collect();
/// assert_eq!(codes, [("email", "email"), ("age", "range")]);
/// ```
///
/// An impl by hand, which would let any input through unchecked, does not compile:
///
/// ```compile_fail,E0277
/// struct Anything(serde_json::Value);
///
/// impl palisade::Sanitized for Anything {
///     type Context = ();
///     fn sanitize(&mut self) {}
///     fn validate_into(
///         &self,
///         _: &(),
///         _: &palisade::validate::FieldPath<'_>,
///         _: &mut palisade::validate::ValidationErrors,
///     ) {
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a validated input type",
    label = "`{Self}` does not implement `Sanitized`",
    note = "if `{Self}` is a type of yours, add `#[derive(palisade::Sanitized)]` to it and give each field a rule; a type of another crate (such as `serde_json::Value`) cannot take the derive, so declare a struct of your own with the fields you accept"
)]
pub trait Sanitized: SanitizedSeal {
    /// The value that custom rules declared `with_context` receive; `()` unless the type says
    /// `#[validate(context = MyContext)]`.
    type Context;

    /// Applies every sanitizer in place, nested types included.
    fn sanitize(&mut self);

    /// Checks every rule against the value as it is, appending failures under `path`.
    ///
    /// This is the building block for nested types; most callers want
    /// [`sanitize_and_validate`](Self::sanitize_and_validate).
    fn validate_into(
        &self,
        context: &Self::Context,
        path: &FieldPath<'_>,
        errors: &mut ValidationErrors,
    );

    /// Checks every rule with the given context, without sanitizing.
    fn validate_with(&self, context: &Self::Context) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        self.validate_into(context, &FieldPath::ROOT, &mut errors);
        errors.into_result()
    }

    /// Checks every rule, without sanitizing.
    fn validate(&self) -> Result<(), ValidationErrors>
    where
        Self: Sanitized<Context = ()>,
    {
        self.validate_with(&())
    }

    /// Sanitizes, then checks every rule with the given context.
    fn sanitize_and_validate_with(
        &mut self,
        context: &Self::Context,
    ) -> Result<(), ValidationErrors> {
        self.sanitize();
        self.validate_with(context)
    }

    /// Sanitizes, then checks every rule.
    fn sanitize_and_validate(&mut self) -> Result<(), ValidationErrors>
    where
        Self: Sanitized<Context = ()>,
    {
        self.sanitize();
        self.validate_with(&())
    }
}

impl<T: Sanitized + ?Sized> SanitizedSeal for Box<T> {
    const SEAL: Seal<Self, SanitizedMark> = Seal::around(sanitized_doors_of::<T>);
}

impl<T: Sanitized + ?Sized> Sanitized for Box<T> {
    type Context = T::Context;

    fn sanitize(&mut self) {
        (**self).sanitize();
    }

    fn validate_into(
        &self,
        context: &Self::Context,
        path: &FieldPath<'_>,
        errors: &mut ValidationErrors,
    ) {
        (**self).validate_into(context, path, errors);
    }
}

/// Gives the validated extractors the context a type's custom rules need.
///
/// The application state implements it for each context type in use; the context `()` is
/// provided by every state.
///
/// ```
/// use std::sync::Arc;
/// use palisade::validate::ProvidesContext;
///
/// #[derive(Clone)]
/// struct Reserved(Arc<Vec<String>>);
///
/// #[derive(Clone)]
/// struct AppState { reserved: Reserved }
///
/// impl ProvidesContext<Reserved> for AppState {
///     fn validation_context(&self) -> Reserved {
///         self.reserved.clone()
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "the state `{Self}` does not provide the validation context `{C}`",
    label = "no context `{C}` for this state",
    note = "implement `palisade::validate::ProvidesContext<{C}>` for `{Self}`"
)]
pub trait ProvidesContext<C> {
    /// The context for one validation.
    fn validation_context(&self) -> C;
}

impl<S: ?Sized> ProvidesContext<()> for S {
    fn validation_context(&self) {}
}
