//! One application with cookie sessions, bearer tokens, CSRF checks and a login throttle,
//! served on loopback: what the session tests and the two-instance Redis test drive.

// Each test binary compiles this module on its own and uses part of it.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use palisade::auth::{Auth, Principal, ProvidesAuth};
use palisade::jwt::JwtSettings;
use palisade::password::{Hasher, Password, PasswordHash};
use palisade::session::{
    AccountKey, ClientAddr, LoginRefused, LoginThrottle, ManualClock, Session, SessionEnded,
    SessionSettings, SessionStarted, Store, StoreError,
};
use palisade::{PublicError, Valid, csrf_exempt, public, requires_auth};
use serde_json::{Value, json};

pub use palisade_testkit::jwt::{AUDIENCE, ISSUER};

pub const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef-session";
pub const PASSWORD: &str = "correct horse battery staple";
/// The host the tests send, which the CSRF check of `Origin` compares with.
pub const HOST: &str = "notes.example.com";

#[derive(Clone, Debug, PartialEq)]
pub enum Role {
    Member,
    Admin,
}

#[derive(Clone, Debug)]
pub struct User {
    pub id: String,
    pub roles: Vec<Role>,
}

#[derive(serde::Serialize, serde::Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(default)]
    pub roles: Vec<String>,
}

impl Principal for User {
    type Claims = Claims;
    type Role = Role;

    fn from_claims(claims: Claims) -> Option<Self> {
        let roles = claims
            .roles
            .iter()
            .map(|role| match role.as_str() {
                "member" => Some(Role::Member),
                "admin" => Some(Role::Admin),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(User {
            id: claims.sub,
            roles,
        })
    }

    fn subject(&self) -> &str {
        &self.id
    }

    fn has_role(&self, role: &Role) -> bool {
        self.roles.contains(role)
    }
}

#[derive(Clone)]
pub struct AppState {
    pub jwt: Arc<JwtSettings>,
    pub sessions: SessionSettings,
    pub throttle: LoginThrottle,
    /// Accounts by email: their subject and password hash.
    pub accounts: Arc<HashMap<&'static str, (&'static str, PasswordHash)>>,
    pub hasher: Hasher,
}

/// The accounts' emails and subjects; every password is [`PASSWORD`].
pub const ACCOUNTS: [(&str, &str); 6] = [
    ("ada@example.com", "ada"),
    ("bob@example.com", "bob"),
    ("carol@example.com", "carol"),
    ("dan@example.com", "dan"),
    ("erin@example.com", "erin"),
    ("fay@example.com", "fay"),
];

/// The accounts with their Argon2id hashes, hashed once per test binary.
pub fn accounts() -> &'static HashMap<&'static str, (&'static str, PasswordHash)> {
    static ACCOUNTS_HASHED: OnceLock<HashMap<&'static str, (&'static str, PasswordHash)>> =
        OnceLock::new();
    ACCOUNTS_HASHED.get_or_init(|| {
        let hasher = Hasher::default();
        ACCOUNTS
            .iter()
            .map(|(email, subject)| {
                let hash = hasher.hash(&Password::from(PASSWORD)).unwrap();
                (*email, (*subject, hash))
            })
            .collect()
    })
}

impl ProvidesAuth for AppState {
    fn jwt_settings(&self) -> Option<&JwtSettings> {
        Some(&self.jwt)
    }

    fn session_settings(&self) -> Option<&SessionSettings> {
        Some(&self.sessions)
    }
}

#[derive(serde::Deserialize, palisade::Sanitized)]
pub struct Login {
    #[clean(trim, lowercase)]
    #[validate(email, length(max = 254))]
    email: String,
    #[validate(skip(reason = "checked against the stored hash, not the policy"))]
    password: Password,
}

#[derive(Debug, PublicError)]
pub enum SessionFailure {
    #[problem(status = 503)]
    Store(#[from] StoreError),
}

/// What a login answers: the CSRF token the page sends back with its writes.
#[derive(palisade::Redact)]
pub struct Started {
    csrf: String,
}

#[public(reason = "the login form")]
async fn login(
    session: Session,
    client: ClientAddr,
    state: State<AppState>,
    form: Valid<Json<Login>>,
) -> Result<(SessionStarted, Json<Started>), LoginRefused> {
    let Login { email, password } = form.into_inner();
    let subject = state
        .throttle
        .attempt(&email, client.0, || async {
            let account = state.accounts.get(email.as_str()).cloned();
            let subject = account.as_ref().map(|(subject, _)| *subject);
            let hasher = state.hasher.clone();
            // Argon2 is CPU work: off the async threads. An unknown account verifies a dummy
            // hash, so it takes as long as a wrong password.
            let verified = tokio::task::spawn_blocking(move || {
                hasher
                    .verify_or_dummy(account.as_ref().map(|(_, hash)| hash), &password)
                    .is_verified()
            })
            .await
            .unwrap_or(false);
            Ok::<_, StoreError>(verified.then_some(subject).flatten())
        })
        .await?;
    let roles: Vec<String> = vec!["member".into()];
    let started = session
        .login(&Claims {
            sub: subject.to_owned(),
            roles,
        })
        .await?;
    let csrf = started.csrf_token().to_owned();
    Ok((started, Json(Started { csrf })))
}

#[requires_auth(User)]
async fn me(user: Auth<User>) -> String {
    user.0.id.clone()
}

#[requires_auth(User, role = Role::Member)]
async fn write(user: Auth<User>) -> String {
    format!("written by {}", user.0.id)
}

#[requires_auth(User)]
#[csrf_exempt(reason = "a provider's webhook, signed with its own key")]
async fn hook() -> &'static str {
    "hooked"
}

#[requires_auth(User, role = Role::Admin)]
async fn admin() -> &'static str {
    "admin area"
}

/// A privilege change: the user becomes an admin, and the session id changes.
#[requires_auth(User)]
async fn promote(
    session: Session,
    user: Auth<User>,
) -> Result<(SessionStarted, StatusCode), SessionFailure> {
    let claims = Claims {
        sub: user.0.id.clone(),
        roles: vec!["member".into(), "admin".into()],
    };
    Ok((
        session.change_privileges(&claims).await?,
        StatusCode::NO_CONTENT,
    ))
}

#[requires_auth(User)]
async fn logout(session: Session) -> Result<(SessionEnded, StatusCode), SessionFailure> {
    Ok((session.logout().await?, StatusCode::NO_CONTENT))
}

/// The settings every test instance uses, on `store` and `clock`.
pub fn state(store: Arc<dyn Store>, clock: &ManualClock) -> AppState {
    let jwt = palisade_testkit::jwt::hs256_settings(SECRET);
    let sessions = SessionSettings::builder()
        .shared_store(store.clone())
        .clock(clock.clone())
        .build()
        .unwrap();
    AppState {
        jwt: Arc::new(jwt),
        sessions,
        throttle: LoginThrottle::new(store, AccountKey::from_bytes(SECRET).unwrap())
            .clock(clock.clone()),
        accounts: Arc::new(accounts().clone()),
        hasher: Hasher::default(),
    }
}

/// The application's routes.
pub fn router() -> palisade::Router<AppState> {
    let api = palisade::Router::new()
        .post("/login", login)
        .get("/me", me)
        .post("/notes", write)
        .get("/notes", write)
        .post("/hook", hook)
        .get("/admin", admin)
        .post("/promote", promote)
        .post("/logout", logout);
    palisade::Router::new().merge(api)
}

/// Serves the application with `state` on a free loopback port.
pub async fn serve(state: AppState) -> SocketAddr {
    let app = router()
        .with_state(state)
        .into_make_service_with_connect_info();
    crate::support::serve(app).await
}

/// A client of one instance, which keeps no cookies itself: each call says what it sends.
pub struct Client {
    pub address: SocketAddr,
    http: reqwest::Client,
}

/// A response's status, headers and body.
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Answer {
    /// The value of the session cookie this answer sets, if any.
    pub fn session_cookie(&self) -> Option<String> {
        palisade_testkit::set_cookie_value(
            self.headers
                .get_all("set-cookie")
                .iter()
                .filter_map(|value| value.to_str().ok()),
            "__Host-session",
        )
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

impl Client {
    pub fn new(address: SocketAddr) -> Self {
        Self {
            address,
            http: reqwest::Client::new(),
        }
    }

    /// `method path` with the session cookie `session` and `headers`.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        session: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Answer {
        let mut request = self
            .http
            .request(method, format!("http://{}{path}", self.address))
            .header("host", HOST);
        if let Some(id) = session {
            request = request.header("cookie", format!("theme=dark; __Host-session={id}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        Answer {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.text().await.unwrap(),
        }
    }

    /// `POST path` with `session`, from a page whose `Sec-Fetch-Site` is `site`.
    pub async fn post(&self, path: &str, session: Option<&str>, site: &str) -> Answer {
        self.call(
            reqwest::Method::POST,
            path,
            session,
            &[("sec-fetch-site", site)],
            None,
        )
        .await
    }

    /// Logs in as `email` with `password`, sending `session` if given.
    pub async fn login(&self, email: &str, password: &str, session: Option<&str>) -> Answer {
        self.call(
            reqwest::Method::POST,
            "/login",
            session,
            &[("sec-fetch-site", "same-origin")],
            Some(json!({"email": email, "password": password})),
        )
        .await
    }

    /// Logs in as Ada and returns the session id.
    pub async fn session(&self) -> String {
        let answer = self.login("ada@example.com", PASSWORD, None).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.session_cookie().expect("a session cookie")
    }

    /// `GET /me` with `session`: the status and the body.
    pub async fn me(&self, session: &str) -> (u16, String) {
        let answer = self
            .call(reqwest::Method::GET, "/me", Some(session), &[], None)
            .await;
        (answer.status, answer.body)
    }
}

/// A bearer token for `sub`, a member.
pub fn bearer(sub: &str) -> String {
    bearer_with(sub, json!({}))
}

/// A bearer token for `sub`, a member, with the `extra` claims.
pub fn bearer_with(sub: &str, extra: Value) -> String {
    let Value::Object(extra) = extra else {
        panic!("extra claims are a JSON object")
    };
    let settings = palisade_testkit::jwt::hs256_settings(SECRET);
    let mut claims = json!({
        "sub": sub, "roles": ["member"], "iss": ISSUER, "aud": AUDIENCE,
        "exp": palisade::jwt::now() + 600,
    });
    claims.as_object_mut().unwrap().extend(extra);
    settings.issue(&claims).unwrap()
}
