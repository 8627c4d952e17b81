//! What validation reports and what it relies on (DESIGN.md G2, G3): the errors a
//! [`Sanitized`](crate::Sanitized) type collects, where in the input each one is, and the size
//! bounds the derive requires of types it cannot see into.
//!
//! ```
//! use palisade::Sanitized;
//! use palisade::validate::ValidationErrors;
//!
//! #[derive(Sanitized)]
//! struct Signup {
//!     #[validate(email, length(max = 254))]
//!     email: String,
//! }
//!
//! let mut signup = Signup { email: "not an address".into() };
//! let errors: ValidationErrors = signup.sanitize_and_validate().unwrap_err();
//! let first = errors.iter().next().unwrap();
//! assert_eq!((first.path(), first.code()), ("email", "email"));
//! ```

pub(crate) mod bounded;
mod errors;

pub use crate::sanitized::ProvidesContext;
pub use bounded::Bounded;
pub use errors::{FieldPath, Invalid, MAX_ERRORS, PathKey, ValidationError, ValidationErrors};
