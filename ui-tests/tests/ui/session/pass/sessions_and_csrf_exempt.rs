use palisade::requires_auth;

include!("../../handler/principal.rs");

use std::time::Duration;

use axum::http::StatusCode;
use palisade::auth::ProvidesAuth;
use palisade::session::{
    MemoryStore, SameSite, Session, SessionEnded, SessionSettings, StoreError,
};
use palisade::{csrf_exempt, PublicError, Router};

#[derive(Clone)]
struct AppState {
    sessions: SessionSettings,
}

impl ProvidesAuth for AppState {
    fn session_settings(&self) -> Option<&SessionSettings> {
        Some(&self.sessions)
    }
}

#[derive(Debug, PublicError)]
enum Failure {
    #[problem(status = 503)]
    Store(#[from] StoreError),
}

/// Above or below the access attribute, with its import used either way.
#[csrf_exempt(reason = "signed by the provider")]
#[requires_auth(User)]
async fn hook_above() -> &'static str {
    "hooked"
}

#[requires_auth(User)]
#[palisade::csrf_exempt(reason = "signed by the provider")]
async fn hook_below() -> &'static str {
    "hooked"
}

#[requires_auth(User)]
async fn logout(session: Session) -> Result<(SessionEnded, StatusCode), Failure> {
    Ok((session.logout().await?, StatusCode::NO_CONTENT))
}

fn main() {
    let sessions = SessionSettings::builder()
        .store(MemoryStore::new())
        .same_site(SameSite::Strict)
        .idle_timeout(Duration::from_mins(15))
        .absolute_timeout(Duration::from_hours(4))
        .allowed_origin("https://notes.example.com")
        .build()
        .unwrap();
    let app = Router::new()
        .post("/hook/a", hook_above)
        .post("/hook/b", hook_below)
        .post("/logout", logout)
        .with_state(AppState { sessions })
        .into_make_service_with_connect_info();
    drop(app);
}
