//! Decided handlers with every accepted argument, on the secure router.

use axum::Json;
use axum::extract::State;
use palisade::layers::RequestId;
use palisade::{PublicError, Router, Sanitized, Valid, public};

#[derive(Clone)]
struct AppState {
    greeting: &'static str,
}

#[derive(serde::Deserialize, Sanitized)]
struct NewNote {
    #[validate(length(min = 1, max = 100))]
    title: String,
}

#[derive(serde::Deserialize, Sanitized)]
struct NoteId {
    #[validate(range(min = 1))]
    id: u64,
}

#[derive(Debug, PublicError)]
enum NoteError {
    #[problem(status = 404, message = "there is no such note")]
    NotFound,
}

/// The health check.
#[public(reason = "health checks are open to load balancers")]
async fn healthz() -> &'static str {
    "ok"
}

#[public(reason = "the demo lets anyone write")]
async fn create(
    State(state): State<AppState>,
    id: axum::Extension<RequestId>,
    note: Valid<Json<NewNote>>,
) -> Result<Json<String>, NoteError> {
    let _ = id;
    Ok(Json(format!("{} {}", state.greeting, note.title)))
}

#[public(reason = "the demo lets anyone read")]
async fn show(id: Valid<axum::extract::Path<NoteId>>) -> Result<String, NoteError> {
    if id.id == 1 { Ok("first".into()) } else { Err(NoteError::NotFound) }
}

fn main() {
    let api = Router::new().post("/notes", create).get("/notes/{id}", show);
    let app = Router::new()
        .get("/healthz", healthz)
        .nest("/api", api)
        .with_state(AppState { greeting: "hi" })
        .into_make_service();
    drop(app);
}
