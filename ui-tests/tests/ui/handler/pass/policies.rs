use palisade::requires_auth;

include!("../principal.rs");

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use palisade::auth::ProvidesAuth;
use palisade::jwt::{Algorithm, JwtSettings};
use palisade::{Router, Valid};

#[derive(Clone)]
struct AppState {
    jwt: Arc<JwtSettings>,
    owners: Arc<HashMap<u64, String>>,
}

impl ProvidesAuth for AppState {
    fn jwt_settings(&self) -> Option<&JwtSettings> {
        Some(&self.jwt)
    }
}

#[derive(Debug, serde::Deserialize, palisade::Sanitized)]
struct NoteId {
    #[validate(range(min = 1))]
    id: u64,
}

#[derive(Debug, serde::Deserialize, palisade::Sanitized)]
struct Edit {
    #[validate(length(max = 200))]
    title: String,
}

/// A sync policy on one argument.
fn is_even(user: &User, note: &Valid<Path<NoteId>>) -> bool {
    !user.roles.is_empty() && note.id % 2 == 0
}

/// An async policy on the state and two arguments.
async fn owns(
    user: &User,
    state: &State<AppState>,
    note: &Valid<Path<NoteId>>,
    edit: &Valid<Json<Edit>>,
) -> bool {
    !edit.title.is_empty() && state.owners.get(&note.id).is_some_and(|owner| owner.len() == user.roles.len())
}

#[requires_auth(User, role = Role::Reader, policy = is_even(note))]
async fn show(note: Valid<Path<NoteId>>) -> String {
    note.id.to_string()
}

#[requires_auth(User, policy = owns(state, note, edit).await, deny = 403)]
async fn edit_note(
    state: State<AppState>,
    note: Valid<Path<NoteId>>,
    edit: Valid<Json<Edit>>,
) -> String {
    format!("{} {} {}", state.owners.len(), note.id, edit.title)
}

fn main() {
    let jwt = JwtSettings::builder()
        .hmac(Algorithm::HS256, "k1", b"0123456789abcdef0123456789abcdef")
        .issuer("https://auth.example.com")
        .audience("notes")
        .build()
        .unwrap();
    let app = Router::new()
        .get("/notes/{id}", show)
        .put("/notes/{id}", edit_note)
        .with_state(AppState {
            jwt: Arc::new(jwt),
            owners: Arc::new(HashMap::new()),
        })
        .into_make_service();
    drop(app);
}
