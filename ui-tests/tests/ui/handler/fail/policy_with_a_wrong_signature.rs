use palisade::requires_auth;

include!("../principal.rs");

#[derive(Debug, serde::Deserialize, palisade::Sanitized)]
struct NoteId {
    #[validate(range(min = 1))]
    id: u64,
}

/// Takes the note id by value and answers a string: not a policy.
fn owns_note(user: User, note: u64) -> String {
    let _ = (user, note);
    String::new()
}

#[requires_auth(User, policy = owns_note(note))]
async fn show(note: palisade::Valid<axum::extract::Path<NoteId>>) -> String {
    note.id.to_string()
}

fn main() {}
