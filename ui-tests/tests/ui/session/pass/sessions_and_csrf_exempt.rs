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

/// A public handler that takes the session is CSRF-checked (login CSRF); one that the
/// provider's own page posts to waives it, with its reason in the route report.
#[csrf_exempt(reason = "the identity provider's page posts the login back")]
#[palisade::public(reason = "the login callback")]
async fn callback(session: Session) -> Result<StatusCode, Failure> {
    let _ = session.is_active();
    Ok(StatusCode::NO_CONTENT)
}

#[palisade::public(reason = "the login form")]
async fn login(session: Session) -> Result<StatusCode, Failure> {
    let _ = session.is_active();
    Ok(StatusCode::NO_CONTENT)
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
    let router = Router::new()
        .post("/hook/a", hook_above)
        .post("/hook/b", hook_below)
        .post("/callback", callback)
        .post("/login", login)
        .post("/logout", logout);
    let report = router.route_report();
    // In the report's order, by path: /callback, /hook/a, /hook/b, /login, /logout.
    let csrf: Vec<_> = report
        .0
        .iter()
        .map(|route| (route.csrf_checked, route.csrf_exempt))
        .collect();
    assert_eq!(
        csrf,
        [
            (false, Some("the identity provider's page posts the login back")),
            (false, Some("signed by the provider")),
            (false, Some("signed by the provider")),
            (true, None),
            (true, None),
        ]
    );
    let app = router
        .with_state(AppState { sessions })
        .into_make_service_with_connect_info();
    drop(app);
}
