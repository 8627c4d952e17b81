//! What the derives' generated code asks of secret fields: that a field with a sensitive name
//! holds a secret type, and how a field marked `#[redact(expose, reason = "...")]` serializes.

use secrecy::zeroize::Zeroize;
use serde::{Serialize, Serializer};

use super::{ExposeSecret as _, SecretBox};

/// Secret types: palisade's and `secrecy`'s boxes, also inside an `Option`, a pointer or a
/// `Vec`. A field whose name is sensitive may hold one without `#[redact]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a secret type",
    label = "this field has a sensitive name",
    note = "mark the field `#[redact]`, make it a secret type (`palisade::SecretString`), or opt out with `#[redact(no, reason = \"...\")]`"
)]
pub trait SecretType {}

impl<S: Zeroize + ?Sized> SecretType for SecretBox<S> {}
impl<S: Zeroize + ?Sized> SecretType for secrecy::SecretBox<S> {}
impl<T: SecretType> SecretType for Option<T> {}
impl<T: SecretType + ?Sized> SecretType for Box<T> {}
impl<T: SecretType + ?Sized> SecretType for std::sync::Arc<T> {}
impl<T: SecretType + ?Sized> SecretType for std::rc::Rc<T> {}
impl<T: SecretType> SecretType for Vec<T> {}

/// The exposed secret of a field marked `#[redact(expose, reason = "...")]`, for the
/// generated `Serialize`.
#[diagnostic::on_unimplemented(
    message = "`expose` applies to secret types, and `{Self}` is not one",
    label = "not a secret type",
    note = "`#[redact(expose, reason = \"...\")]` serializes a `palisade::SecretBox` or `SecretString` (also in an `Option`); a field that is not secret needs no `expose`"
)]
pub trait ExposeForSerialize {
    /// Serializes the secret itself.
    fn serialize_exposed<Ser: Serializer>(&self, serializer: Ser) -> Result<Ser::Ok, Ser::Error>;
}

impl<S: Zeroize + Serialize + ?Sized> ExposeForSerialize for SecretBox<S> {
    fn serialize_exposed<Ser: Serializer>(&self, serializer: Ser) -> Result<Ser::Ok, Ser::Error> {
        self.expose_secret().serialize(serializer)
    }
}

impl<T: ExposeForSerialize> ExposeForSerialize for Option<T> {
    fn serialize_exposed<Ser: Serializer>(&self, serializer: Ser) -> Result<Ser::Ok, Ser::Error> {
        match self {
            Some(secret) => serializer.serialize_some(&Exposed(secret)),
            None => serializer.serialize_none(),
        }
    }
}

/// Serializes a secret field through its opt-in.
pub struct Exposed<'a, T: ?Sized>(pub &'a T);

impl<T: ExposeForSerialize + ?Sized> Serialize for Exposed<'_, T> {
    fn serialize<Ser: Serializer>(&self, serializer: Ser) -> Result<Ser::Ok, Ser::Error> {
        self.0.serialize_exposed(serializer)
    }
}
