//! The first step of moving an application: decided handlers still go on axum's own router,
//! with palisade's stack put on it, before the router itself is swapped.

use axum::Json;
use axum::extract::State;
use axum::routing::{get, post};
use palisade::layers::SecureDefaults;
use palisade::{Sanitized, Valid, public};

#[derive(serde::Deserialize, Sanitized)]
struct NewNote {
    #[clean(trim)]
    #[validate(length(min = 1, max = 200))]
    title: String,
}

#[public(reason = "anyone may read the greeting")]
async fn greet(State(greeting): State<&'static str>) -> &'static str {
    greeting
}

#[public(reason = "anyone may leave a note")]
async fn leave(note: Valid<Json<NewNote>>) -> String {
    note.into_inner().title
}

async fn legacy() -> &'static str {
    "not decided yet: still axum's alone"
}

fn main() {
    let router = axum::Router::new()
        .route("/greeting", get(greet))
        .route("/notes", post(leave))
        .route("/legacy", get(legacy))
        .with_state("hello");
    let app = SecureDefaults::new().apply(router);
    let _ = app.into_make_service();
}
