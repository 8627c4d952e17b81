use axum::extract::{Path, Query};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use palisade::{Sanitized, Valid};
use serde::Deserialize;

#[derive(Deserialize, Sanitized)]
struct NewNote {
    #[clean(trim)]
    #[validate(length(min = 1, max = 200))]
    title: String,
}

#[derive(Deserialize, Sanitized)]
struct Search {
    #[validate(length(max = 100))]
    q: String,
}

#[derive(Deserialize, Sanitized)]
struct NoteId {
    #[validate(range(min = 1))]
    id: u64,
}

async fn create(note: Valid<Json<NewNote>>) -> String {
    note.into_inner().title
}

async fn create_from_form(note: Valid<Form<NewNote>>) -> String {
    note.title.clone()
}

async fn search(query: Valid<Query<Search>>) -> String {
    query.q.clone()
}

async fn show(id: Valid<Path<NoteId>>, query: Valid<Query<Search>>) -> String {
    format!("{} {}", id.id, query.q)
}

fn main() {
    let _app: Router = Router::new()
        .route("/notes", post(create).get(search))
        .route("/form", post(create_from_form))
        .route("/notes/{id}", get(show));
}
