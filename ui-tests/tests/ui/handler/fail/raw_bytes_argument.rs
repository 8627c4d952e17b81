use palisade::public;

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Note {
    title: String,
}

#[public(reason = "anyone may write")]
async fn create(body: axum::body::Bytes) -> &'static str {
    let _ = body;
    "created"
}

fn main() {}
