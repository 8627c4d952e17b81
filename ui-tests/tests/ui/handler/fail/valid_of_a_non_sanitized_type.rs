use palisade::{Valid, public};

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Note {
    title: String,
}

#[public(reason = "anyone may write")]
async fn create(note: Valid<axum::Json<Note>>) -> &'static str {
    let _ = note;
    "created"
}

fn main() {
    let _ = palisade::Router::new().post("/notes", create);
}
