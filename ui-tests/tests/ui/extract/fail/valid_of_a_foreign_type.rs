// A type of another crate cannot derive `Sanitized`; the error says to declare a type of one's
// own, and the router call adds only a short pointer back to it, not axum's `Handler` error.

use palisade::{Valid, public};

#[public(reason = "anyone may write")]
async fn create(body: Valid<axum::Json<serde_json::Value>>) -> &'static str {
    let _ = body;
    "created"
}

fn main() {
    let _ = palisade::Router::new().post("/notes", create);
}
