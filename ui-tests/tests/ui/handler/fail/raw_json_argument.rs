use palisade::public;

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Note {
    title: String,
}

#[public(reason = "anyone may write")]
async fn create(axum::Json(note): axum::Json<Note>) -> &'static str {
    let _ = note;
    "created"
}

fn main() {}
