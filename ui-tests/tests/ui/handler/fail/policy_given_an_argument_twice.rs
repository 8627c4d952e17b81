use palisade::requires_auth;

include!("../principal.rs");

#[derive(Debug, serde::Deserialize, palisade::Sanitized)]
struct NoteId {
    #[validate(range(min = 1))]
    id: u64,
}

#[requires_auth(User, policy = same(note, note))]
async fn show(note: palisade::Valid<axum::extract::Path<NoteId>>) -> String {
    note.id.to_string()
}

fn main() {}
