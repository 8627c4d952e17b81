// A policy that answers something else than `bool`: the error gives the whole signature.

use palisade::requires_auth;

include!("../principal.rs");

#[derive(Debug, serde::Deserialize, palisade::Sanitized)]
struct NoteId {
    #[validate(range(min = 1))]
    id: u64,
}

fn owns_note(user: &User, note: &palisade::Valid<axum::extract::Path<NoteId>>) -> Option<bool> {
    Some(user.roles.len() as u64 == note.id)
}

#[requires_auth(User, policy = owns_note(note))]
async fn show(note: palisade::Valid<axum::extract::Path<NoteId>>) -> String {
    note.id.to_string()
}

fn main() {}
