#![deny(warnings, unused_qualifications, unused_results, missing_docs)]
//! Generated code stays quiet under a user's strict lints.

use palisade::Sanitized;
use serde::Deserialize;

/// A request body.
#[derive(Debug, Deserialize, Sanitized)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewNote {
    /// The title.
    #[clean(trim)]
    #[validate(length(min = 1, max = 200))]
    pub note_title: String,
    /// Tags.
    #[validate(length(max = 10), each(length(max = 32)))]
    pub tags: Vec<String>,
    /// Priority.
    #[validate(range(min = 1, max = 5))]
    pub priority: Option<u8>,
}

fn main() {
    let mut note = NewNote { note_title: "x".into(), tags: Vec::new(), priority: None };
    note.sanitize_and_validate().unwrap();
}
