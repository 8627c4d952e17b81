use palisade::public;

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Note {
    title: String,
}

#[public(reason = "anyone may write")]
async fn create(headers: axum::http::HeaderMap) -> &'static str {
    let _ = headers;
    "created"
}

fn main() {}
