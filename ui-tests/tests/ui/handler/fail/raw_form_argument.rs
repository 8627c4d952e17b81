use palisade::public;

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Note {
    title: String,
}

#[public(reason = "anyone may write")]
async fn create(form: axum::Form<Note>) -> &'static str {
    let _ = form;
    "created"
}

fn main() {}
