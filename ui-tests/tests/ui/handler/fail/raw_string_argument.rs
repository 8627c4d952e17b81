use palisade::public;

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Note {
    title: String,
}

#[public(reason = "anyone may write")]
async fn create(body: String) -> &'static str {
    let _ = body;
    "created"
}

fn main() {}
