//! The service's routes: every handler decides who may call it, takes only validated input and
//! answers only safe responses.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use palisade::auth::{Auth, Principal, ProvidesAuth};
use palisade::csp::CspNonce;
use palisade::jwt::JwtSettings;
use palisade::markup;
use palisade::page::{HtmlPage, Page};
use palisade::password::{Hasher, Password, PasswordHash, Verification};
use palisade::session::{
    ClientAddr, LoginRefused, LoginThrottle, Session, SessionEnded, SessionSettings,
    SessionStarted, Store, StoreError,
};
use palisade::{PublicError, Redact, Sanitized, SecretString, Valid, public, requires_auth};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::db::{Db, DbError, Note};

/// How long a bearer token lives.
pub const TOKEN_LIFETIME_SECS: u64 = 15 * 60;

/// The roles of an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    User,
    Admin,
}

/// The authenticated caller.
#[derive(Clone, Debug)]
pub struct Caller {
    pub id: i64,
    subject: String,
    pub role: Role,
}

/// What tokens and sessions say of the caller.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: String,
}

impl Principal for Caller {
    type Claims = Claims;
    type Role = Role;

    fn from_claims(claims: Claims) -> Option<Self> {
        let role = match claims.role.as_str() {
            "user" => Role::User,
            "admin" => Role::Admin,
            _ => return None,
        };
        Some(Caller {
            id: claims.sub.parse().ok()?,
            subject: claims.sub,
            role,
        })
    }

    fn subject(&self) -> &str {
        &self.subject
    }

    fn has_role(&self, role: &Role) -> bool {
        self.role == *role
    }
}

/// Everything the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub jwt: Arc<JwtSettings>,
    pub sessions: SessionSettings,
    pub throttle: LoginThrottle,
    /// The store of sessions and throttles, for the registration count.
    pub store: Arc<dyn Store>,
    pub hasher: Hasher,
    /// Permits for Argon2id (19 MiB each): a burst of registrations or logins waits for one
    /// instead of taking memory without bound.
    pub hashing: Arc<tokio::sync::Semaphore>,
    pub outbox: crate::mail::Outbox,
}

/// How many Argon2id hashes run at once.
pub const CONCURRENT_HASHES: usize = 2;

/// Accounts one client address may open in [`REGISTRATION_WINDOW`].
pub const REGISTRATIONS_PER_ADDRESS: u64 = 10;

/// The window of [`REGISTRATIONS_PER_ADDRESS`].
pub const REGISTRATION_WINDOW: std::time::Duration = std::time::Duration::from_hours(1);

impl ProvidesAuth for AppState {
    fn jwt_settings(&self) -> Option<&JwtSettings> {
        Some(&self.jwt)
    }

    fn session_settings(&self) -> Option<&SessionSettings> {
        Some(&self.sessions)
    }
}

/// What can go wrong, and what the client is told of it.
#[derive(Debug, PublicError)]
pub enum ApiError {
    #[problem(status = 404, message = "there is no such note")]
    NotFound,
    #[problem(
        status = 429,
        code = "too_many_registrations",
        message = "too many accounts were opened from this address: try again later"
    )]
    TooManyRegistrations,
    #[problem(status = 503)]
    Store(#[from] StoreError),
    #[problem(status = 500)]
    Database(#[from] DbError),
    #[problem(status = 500)]
    Hashing(#[from] palisade::password::HashError),
    #[problem(status = 500)]
    Token(#[from] palisade::jwt::IssueError),
}

/// Hashing is CPU work: off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(f).await.ok()
}

/// Argon2id work, under one of the [`CONCURRENT_HASHES`] permits and off the async threads.
async fn hashing<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let _permit = state.hashing.acquire().await.ok()?;
    blocking(f).await
}

/// What `/healthz` answers.
#[derive(Redact)]
pub struct Health {
    status: &'static str,
}

#[public(reason = "load balancers and monitors probe it")]
async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// A new account.
#[derive(Deserialize, Sanitized)]
pub struct Register {
    #[clean(trim, lowercase)]
    #[validate(email, length(max = 254))]
    email: String,
    #[validate(password(unlike = email))]
    password: Password,
    #[clean(trim, strip_control, strip_invisible, collapse_whitespace)]
    #[validate(length(min = 1, max = 64))]
    display_name: String,
}

/// An account as its owner and admins see it: no hash, no secret. A response body derives
/// `Redact`, so that a field named like a secret would be refused here when the code compiles.
#[derive(Redact)]
pub struct Profile {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    created: String,
}

impl From<crate::db::User> for Profile {
    fn from(user: crate::db::User) -> Self {
        Profile {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            role: user.role,
            created: user.created,
        }
    }
}

/// A client address as the registration count keys it: hashed, IPv6 by its /64 (which one
/// client commonly holds whole).
fn address_key(address: std::net::IpAddr) -> String {
    use sha2::Digest as _;
    let bytes = match address {
        std::net::IpAddr::V4(v4) => v4.octets().to_vec(),
        std::net::IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map_or_else(|| v6.octets()[..8].to_vec(), |v4| v4.octets().to_vec()),
    };
    sha2::Sha256::digest(&bytes)[..16]
        .iter()
        .fold(String::with_capacity(32), |mut text, byte| {
            use std::fmt::Write as _;
            let _ = write!(text, "{byte:02x}");
            text
        })
}

/// What a registration answers, whether the address was new or taken: the difference goes to
/// the mailbox.
#[derive(Redact)]
pub struct Accepted {
    status: &'static str,
    detail: &'static str,
}

#[public(reason = "anyone may open an account")]
async fn register(
    state: State<AppState>,
    client: ClientAddr,
    form: Valid<Json<Register>>,
) -> Result<(StatusCode, Json<Accepted>), ApiError> {
    // A few accounts per address and hour: registrations are not free to make.
    let key = format!("notes:registrations:{}", address_key(client.0));
    if state.store.increment(&key, REGISTRATION_WINDOW).await? > REGISTRATIONS_PER_ADDRESS {
        return Err(ApiError::TooManyRegistrations);
    }
    let Register {
        email,
        password,
        display_name,
    } = form.into_inner();
    // The hash is made whether or not the address is taken: both answers take its time.
    let hasher = state.hasher.clone();
    let hash = hashing(&state, move || hasher.hash(&password))
        .await
        .ok_or(DbError("hashing task", None))??;
    let created = state
        .db
        .create_user(
            email.clone(),
            hash.as_phc().to_owned(),
            display_name,
            "user",
        )
        .await?;
    let (subject, body) = if created.is_some() {
        (
            "Your palisade-notes account",
            format!("An account for {email} was opened. You can log in now."),
        )
    } else {
        (
            "Someone tried to open an account with your address",
            format!(
                "Someone tried to open a palisade-notes account for {email}, which already has one. \
                 If it was you, log in; if you forgot your password, ask the admin. No account was changed."
            ),
        )
    };
    state.outbox.send(&email, subject, body).await;
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted {
            status: "accepted",
            detail: "if the address can be used, a message is on its way to it",
        }),
    ))
}

/// Credentials. The address's domain is mapped as at registration, so that any spelling of it
/// finds the account; anything else is looked up as it is, and finds none.
#[derive(Deserialize, Sanitized)]
pub struct Login {
    #[clean(trim, lowercase, custom = palisade::sanitize::email_domain)]
    #[validate(length(min = 1, max = 254))]
    email: String,
    #[validate(skip(reason = "checked against the stored hash, not the policy"))]
    password: Password,
}

/// A bearer token for API clients, and the CSRF token of the session cookie set beside it.
#[derive(Redact)]
pub struct LoggedIn {
    #[redact(expose, reason = "the client's own new token, sent once over TLS")]
    token: SecretString,
    token_type: &'static str,
    expires_in: u64,
    #[redact(expose, reason = "the synchronizer token must reach the client")]
    csrf_token: SecretString,
}

#[public(reason = "the login form")]
async fn login(
    state: State<AppState>,
    session: Session,
    client: ClientAddr,
    form: Valid<Json<Login>>,
) -> Result<(SessionStarted, Json<LoggedIn>), LoginRefused> {
    let Login { email, password } = form.into_inner();
    let db = state.db.clone();
    let hasher = state.hasher.clone();
    let lookup = email.clone();
    let check_state = state.0.clone();
    let found = state
        .throttle
        .attempt(&email, client.0, || async move {
            // An unknown account verifies a dummy hash: it answers alike, in the same time. A
            // database failure is an error, not a failed login.
            let user = db.user_by_email(lookup).await?;
            let stored = user
                .as_ref()
                .and_then(|user| PasswordHash::parse(&user.password_hash).ok());
            let verification = hashing(&check_state, move || {
                hasher.verify_or_dummy(stored.as_ref(), &password)
            })
            .await
            .ok_or(DbError("hashing task", None))?;
            Ok::<_, DbError>(match (user, verification) {
                (Some(user), Verification::Verified { rehash }) => Some((user, rehash)),
                _ => None,
            })
        })
        .await?;
    let (user, rehash) = found;
    if let Some(rehash) = rehash {
        // Parameters were raised since this hash was made: store the new one.
        if let Err(error) = state
            .db
            .set_password_hash(user.id, rehash.as_phc().to_owned())
            .await
        {
            tracing::warn!(%error, "rehash not stored");
        }
    }
    start_login(&state, &session, &user).await
}

/// A new login for `user`: a bearer token and a cookie session bound together, so that a
/// logout with either ends both.
async fn start_login(
    state: &AppState,
    session: &Session,
    user: &crate::db::User,
) -> Result<(SessionStarted, Json<LoggedIn>), LoginRefused> {
    let claims = Claims {
        sub: user.id.to_string(),
        role: user.role.clone(),
    };
    // 128 random bits: what logout revokes.
    let jti = palisade::error::incident_id();
    let exp = palisade::jwt::now() + TOKEN_LIFETIME_SECS;
    let token = state
        .jwt
        .issue(&json!({
            "sub": claims.sub,
            "role": claims.role,
            "iss": crate::ISSUER,
            "aud": crate::AUDIENCE,
            "iat": palisade::jwt::now(),
            "jti": jti,
            "exp": exp,
        }))
        .map_err(|error| LoginRefused::Internal(Box::new(error)))?;
    let started = session.login_with_token(&claims, &jti, exp).await?;
    let csrf_token = started.csrf_token().to_owned();
    Ok((
        started,
        Json(LoggedIn {
            token: SecretString::from(token),
            token_type: "Bearer",
            expires_in: TOKEN_LIFETIME_SECS,
            csrf_token: SecretString::from(csrf_token),
        }),
    ))
}

/// A password change: the current password, and the new one under the policy.
#[derive(Deserialize, Sanitized)]
pub struct PasswordChange {
    #[validate(skip(reason = "checked against the stored hash, not the policy"))]
    current_password: Password,
    #[validate(password)]
    new_password: Password,
}

/// Replaces the caller's password. The current one is checked as a login is (throttled, and
/// the account's count cleared by success); then every session and token of the account ends,
/// on every device, and the answer is a new login for this one.
#[requires_auth(Caller)]
async fn change_password(
    state: State<AppState>,
    caller: Auth<Caller>,
    session: Session,
    client: ClientAddr,
    form: Valid<Json<PasswordChange>>,
) -> Result<(SessionStarted, Json<LoggedIn>), LoginRefused> {
    let internal = |error: DbError| LoginRefused::Internal(Box::new(error));
    let user = state
        .db
        .user(caller.0.id)
        .await
        .map_err(internal)?
        .ok_or(LoginRefused::WrongCredentials)?;
    let PasswordChange {
        current_password,
        new_password,
    } = form.into_inner();
    let stored = PasswordHash::parse(&user.password_hash).ok();
    let hasher = state.hasher.clone();
    let check_state = state.0.clone();
    state
        .throttle
        .attempt(&user.email, client.0, || async move {
            let verification = hashing(&check_state, move || {
                hasher.verify_or_dummy(stored.as_ref(), &current_password)
            })
            .await
            .ok_or(DbError("hashing task", None))?;
            Ok::<_, DbError>(matches!(verification, Verification::Verified { .. }).then_some(()))
        })
        .await?;
    let hasher = state.hasher.clone();
    let hash = hashing(&state, move || hasher.hash(&new_password))
        .await
        .ok_or_else(|| internal(DbError("hashing task", None)))?
        .map_err(|error| LoginRefused::Internal(Box::new(error)))?;
    state
        .db
        .set_password_hash(user.id, hash.as_phc().to_owned())
        .await
        .map_err(internal)?;
    let ended = session.end_every_session_of(&user.id.to_string()).await?;
    tracing::info!(
        target: palisade::auth::AUDIT_TARGET,
        subject = %user.id,
        sessions_ended = ended,
        "password changed"
    );
    start_login(&state, &session, &user).await
}

/// Ends the login the request's credential belongs to: the cookie session and the bearer token
/// issued beside it, whichever of the two the request came with.
#[requires_auth(Caller)]
async fn logout(session: Session) -> Result<(SessionEnded, StatusCode), ApiError> {
    Ok((session.logout().await?, StatusCode::NO_CONTENT))
}

#[requires_auth(Caller)]
async fn me(state: State<AppState>, caller: Auth<Caller>) -> Result<Json<Profile>, ApiError> {
    let user = state
        .db
        .user(caller.0.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(Profile::from(user)))
}

/// A note as written: the title is plain text, the body rich text with a small allow-list.
#[derive(Deserialize, Sanitized)]
pub struct NoteInput {
    #[validate(length(min = 1, max = 200), non_control_character)]
    title: String,
    #[clean(custom = palisade::sanitize::basic_html)]
    #[validate(length(max = 20_000))]
    body: String,
}

/// A note's id in the path.
#[derive(Debug, Deserialize, Sanitized)]
pub struct NoteId {
    #[validate(range(min = 1))]
    id: i64,
}

/// A search.
#[derive(Debug, Deserialize, Sanitized)]
pub struct Search {
    #[validate(length(min = 1, max = 100))]
    q: String,
}

/// Whether the caller owns the note: anyone else, and a note that does not exist, get 404.
async fn owns_note(caller: &Caller, state: &State<AppState>, note: &Valid<Path<NoteId>>) -> bool {
    matches!(state.db.note_owner(note.id).await, Ok(Some(owner)) if owner == caller.id)
}

#[requires_auth(Caller)]
async fn create_note(
    state: State<AppState>,
    caller: Auth<Caller>,
    note: Valid<Json<NoteInput>>,
) -> Result<(StatusCode, Json<Note>), ApiError> {
    let NoteInput { title, body } = note.into_inner();
    let note = state.db.create_note(caller.0.id, title, body).await?;
    Ok((StatusCode::CREATED, Json(note)))
}

#[requires_auth(Caller)]
async fn list_notes(
    state: State<AppState>,
    caller: Auth<Caller>,
) -> Result<Json<Vec<Note>>, ApiError> {
    Ok(Json(state.db.notes(caller.0.id).await?))
}

#[requires_auth(Caller)]
async fn search_notes(
    state: State<AppState>,
    caller: Auth<Caller>,
    search: Valid<Query<Search>>,
) -> Result<Json<Vec<Note>>, ApiError> {
    let Search { q } = search.into_inner();
    Ok(Json(state.db.search(caller.0.id, q).await?))
}

#[requires_auth(Caller, policy = owns_note(state, note).await)]
async fn get_note(
    state: State<AppState>,
    caller: Auth<Caller>,
    note: Valid<Path<NoteId>>,
) -> Result<Json<Note>, ApiError> {
    let note = state.db.note(caller.0.id, note.id).await?;
    Ok(Json(note.ok_or(ApiError::NotFound)?))
}

#[requires_auth(Caller, policy = owns_note(state, note).await)]
async fn update_note(
    state: State<AppState>,
    caller: Auth<Caller>,
    note: Valid<Path<NoteId>>,
    input: Valid<Json<NoteInput>>,
) -> Result<Json<Note>, ApiError> {
    let NoteInput { title, body } = input.into_inner();
    let note = state
        .db
        .update_note(caller.0.id, note.id, title, body)
        .await?;
    Ok(Json(note.ok_or(ApiError::NotFound)?))
}

#[requires_auth(Caller, policy = owns_note(state, note).await)]
async fn delete_note(
    state: State<AppState>,
    caller: Auth<Caller>,
    note: Valid<Path<NoteId>>,
) -> Result<StatusCode, ApiError> {
    if state.db.delete_note(caller.0.id, note.id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

/// The note as an HTML page: the title escaped, the body's rich text sanitized again, one
/// script under the response's CSP nonce.
#[requires_auth(Caller, policy = owns_note(state, note).await)]
async fn note_page(
    state: State<AppState>,
    caller: Auth<Caller>,
    note: Valid<Path<NoteId>>,
    nonce: Extension<CspNonce>,
) -> Result<Page, ApiError> {
    let note = state
        .db
        .note(caller.0.id, note.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HtmlPage::new(&note.title)
        .markup(markup!("<main><h1>"))
        .text(&note.title)
        .markup(markup!("</h1><article>"))
        .rich_text(&note.body)
        .markup(markup!("</article><p><small>Last changed "))
        .text(&note.updated)
        .markup(markup!("</small></p></main>"))
        .script(
            &nonce.0,
            "document.documentElement.dataset.rendered = 'yes';",
        )
        .finish())
}

#[requires_auth(Caller, role = Role::Admin)]
async fn admin_users(state: State<AppState>) -> Result<Json<Vec<Profile>>, ApiError> {
    let users = state.db.users().await?;
    Ok(Json(users.into_iter().map(Profile::from).collect()))
}

/// The service's routes.
pub fn router() -> palisade::Router<AppState> {
    let api = palisade::Router::new()
        .post("/auth/register", register)
        .post("/auth/login", login)
        .post("/auth/logout", logout)
        .post("/auth/password", change_password)
        .get("/me", me)
        .post("/notes", create_note)
        .get("/notes", list_notes)
        .get("/notes/search", search_notes)
        .get("/notes/{id}", get_note)
        .put("/notes/{id}", update_note)
        .delete("/notes/{id}", delete_note)
        .get("/admin/users", admin_users);
    palisade::Router::new()
        .get("/healthz", healthz)
        .get("/notes/{id}", note_page)
        .nest("/api", api)
}

#[cfg(test)]
mod response_bodies {
    //! The response bodies derive `Redact` instead of `Serialize`: what the clients receive is
    //! the same, byte for byte.

    use serde::Serialize;

    use super::{Health, Profile};
    use crate::db::Note;

    #[derive(Serialize)]
    struct SerdeProfile<'a> {
        id: i64,
        email: &'a str,
        display_name: &'a str,
        role: &'a str,
        created: &'a str,
    }

    #[derive(Serialize)]
    struct SerdeNote<'a> {
        id: i64,
        title: &'a str,
        body: &'a str,
        created: &'a str,
        updated: &'a str,
    }

    #[test]
    fn bodies_serialize_as_serde_derived_ones_would() {
        let hostile = "<script>\"quote\" \\ back\u{0}slash \u{1F600} \u{2028}</script>";
        let profile = Profile {
            id: -7,
            email: "ada@example.com".into(),
            display_name: hostile.into(),
            role: "admin".into(),
            created: "2026-12-04 10:00:00".into(),
        };
        let serde_profile = SerdeProfile {
            id: -7,
            email: "ada@example.com",
            display_name: hostile,
            role: "admin",
            created: "2026-12-04 10:00:00",
        };
        assert_eq!(
            serde_json::to_vec(&profile).unwrap(),
            serde_json::to_vec(&serde_profile).unwrap()
        );
        let note = Note {
            id: i64::MAX,
            title: hostile.into(),
            body: String::new(),
            created: "c".into(),
            updated: "u".into(),
        };
        let serde_note = SerdeNote {
            id: i64::MAX,
            title: hostile,
            body: "",
            created: "c",
            updated: "u",
        };
        assert_eq!(
            serde_json::to_vec(&vec![note]).unwrap(),
            serde_json::to_vec(&vec![serde_note]).unwrap()
        );
        assert_eq!(
            serde_json::to_vec(&Health { status: "ok" }).unwrap(),
            br#"{"status":"ok"}"#
        );
    }
}
