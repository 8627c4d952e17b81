//! Request types defined in another crate than the one that uses them, so that the tests can
//! show the derive's checks see through a crate boundary (a nested type without `dive` is
//! refused whatever crate it comes from).

use palisade::Sanitized;

/// A postal address, as an application's shared types crate would define it.
///
/// ```
/// use palisade::Sanitized;
///
/// let mut address = palisade_testkit::types::PostalAddress { street: " 1 Main St ".into() };
/// address.sanitize_and_validate().unwrap();
/// assert_eq!(address.street, "1 Main St");
/// ```
#[derive(Debug, serde::Deserialize, Sanitized)]
pub struct PostalAddress {
    /// The street line.
    #[clean(trim, strip_control)]
    #[validate(length(min = 1, max = 100))]
    pub street: String,
}
