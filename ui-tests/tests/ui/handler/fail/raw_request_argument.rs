use palisade::public;

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Note {
    title: String,
}

#[public(reason = "anyone may write")]
async fn create(request: axum::extract::Request) -> &'static str {
    let _ = request;
    "created"
}

fn main() {}
