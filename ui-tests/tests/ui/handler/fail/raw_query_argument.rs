use palisade::public;

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Note {
    title: String,
}

#[public(reason = "anyone may write")]
async fn create(query: axum::extract::Query<Note>) -> &'static str {
    let _ = query;
    "created"
}

fn main() {}
