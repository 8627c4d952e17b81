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
    SessionStarted, StoreError,
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
    pub hasher: Hasher,
}

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
        status = 409,
        code = "email_taken",
        message = "an account with this email exists"
    )]
    EmailTaken,
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

#[public(reason = "anyone may open an account")]
async fn register(
    state: State<AppState>,
    form: Valid<Json<Register>>,
) -> Result<(StatusCode, Json<Profile>), ApiError> {
    let Register {
        email,
        password,
        display_name,
    } = form.into_inner();
    let hasher = state.hasher.clone();
    let hash = blocking(move || hasher.hash(&password))
        .await
        .ok_or(DbError("hashing task", None))??;
    let user = state
        .db
        .create_user(email, hash.as_phc().to_owned(), display_name, "user")
        .await?
        .ok_or(ApiError::EmailTaken)?;
    Ok((StatusCode::CREATED, Json(Profile::from(user))))
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
    let found = state
        .throttle
        .attempt(&email, client.0, || async move {
            // An unknown account verifies a dummy hash: it answers alike, in the same time. A
            // database failure is an error, not a failed login.
            let user = db.user_by_email(lookup).await?;
            let stored = user
                .as_ref()
                .and_then(|user| PasswordHash::parse(&user.password_hash).ok());
            let verification = blocking(move || hasher.verify_or_dummy(stored.as_ref(), &password))
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
    // The cookie and the token are one login: a logout with either ends both.
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
