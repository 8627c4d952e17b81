use palisade::requires_auth;

include!("../principal.rs");

#[derive(Debug, serde::Deserialize, palisade::Sanitized)]
struct NoteId {
    #[validate(range(min = 1))]
    id: u64,
}

/// An async policy, written without `.await` in the attribute.
async fn owns_note(user: &User, note: &palisade::Valid<axum::extract::Path<NoteId>>) -> bool {
    !user.roles.is_empty() && note.id > 0
}

#[requires_auth(User, policy = owns_note(note))]
async fn show(note: palisade::Valid<axum::extract::Path<NoteId>>) -> String {
    note.id.to_string()
}

fn main() {}
