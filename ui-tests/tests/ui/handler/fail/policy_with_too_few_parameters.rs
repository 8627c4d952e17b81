// A policy that takes fewer parameters than the attribute gives it.

use palisade::requires_auth;

include!("../principal.rs");

#[derive(Debug, serde::Deserialize, palisade::Sanitized)]
struct NoteId {
    #[validate(range(min = 1))]
    id: u64,
}

fn owns_note(user: &User) -> bool {
    !user.roles.is_empty()
}

#[requires_auth(User, policy = owns_note(note))]
async fn show(note: palisade::Valid<axum::extract::Path<NoteId>>) -> String {
    note.id.to_string()
}

fn main() {}
