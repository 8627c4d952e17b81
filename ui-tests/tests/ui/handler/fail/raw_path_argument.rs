use palisade::public;

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Note {
    title: String,
}

#[public(reason = "anyone may write")]
async fn create(id: axum::extract::Path<u64>) -> &'static str {
    let _ = id;
    "created"
}

fn main() {}
