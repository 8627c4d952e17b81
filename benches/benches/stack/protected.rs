//! A protected JSON POST (bearer JWT, validated body, audit event, default stack): palisade's
//! `#[requires_auth]` handler against the same behaviour hand-built on plain axum with
//! jsonwebtoken, validator and the tower-http layers of `hand_layers`.

use std::hint::black_box;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use criterion::Criterion;
use palisade::auth::{Principal, ProvidesAuth};
use palisade::jwt::{Algorithm, JwtSettings, now};
use palisade::{Sanitized, Valid, requires_auth};
use serde::Deserialize;
use tower::ServiceExt as _;
use validator::Validate as _;

const ISSUER: &str = "https://auth.example.com";
const AUDIENCE: &str = "notes-api";
const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef-bench";

#[derive(Clone)]
pub struct User {
    id: String,
}

#[derive(Deserialize)]
pub struct Claims {
    sub: String,
}

impl Principal for User {
    type Claims = Claims;
    type Role = ();
    fn from_claims(claims: Claims) -> Option<Self> {
        Some(User { id: claims.sub })
    }
    fn subject(&self) -> &str {
        &self.id
    }
    fn has_role(&self, (): &()) -> bool {
        false
    }
}

#[derive(Clone)]
struct AppState {
    jwt: Arc<JwtSettings>,
}

impl ProvidesAuth for AppState {
    fn jwt_settings(&self) -> Option<&JwtSettings> {
        Some(&self.jwt)
    }
}

#[derive(Deserialize, Sanitized)]
struct NewNote {
    #[validate(length(min = 1, max = 200))]
    title: String,
    #[validate(length(max = 10_000))]
    body: String,
}

/// The created note, as palisade's handler answers it: a response body derives `Redact`.
#[derive(palisade::Redact)]
struct Created {
    id: u64,
    title: String,
}

/// The same answer, as the hand-built handler writes it.
#[derive(serde::Serialize)]
struct HandCreated {
    id: u64,
    title: String,
}

#[requires_auth(User)]
async fn create(note: Valid<Json<NewNote>>) -> Json<Created> {
    let note = note.into_inner();
    Json(Created {
        id: 1,
        title: note.title,
    })
}

fn settings() -> JwtSettings {
    JwtSettings::builder()
        .hmac(Algorithm::HS256, "k1", SECRET)
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .build()
        .unwrap()
}

fn palisade_app() -> Router {
    // The same layers `apply` puts on the finished router.
    palisade::layers::SecureDefaults::new().apply(
        Router::new()
            .route("/notes", post(create))
            .with_state(AppState {
                jwt: Arc::new(settings()),
            }),
    )
}

#[derive(Deserialize, validator::Validate)]
struct HandNote {
    #[validate(length(min = 1, max = 200))]
    title: String,
    #[validate(length(max = 10_000))]
    #[allow(dead_code)]
    body: String,
}

#[derive(Deserialize)]
struct HandClaims {
    sub: String,
}

struct HandState {
    key: jsonwebtoken::DecodingKey,
    validation: jsonwebtoken::Validation,
}

async fn hand_create(
    State(state): State<Arc<HandState>>,
    headers: HeaderMap,
    Json(note): Json<HandNote>,
) -> Response {
    let token = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    let Some(token) = token else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Ok(claims) = jsonwebtoken::decode::<HandClaims>(token, &state.key, &state.validation)
    else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    tracing::info!(target: "audit", subject = claims.claims.sub.as_str(), outcome = "allowed", "access decision");
    if note.validate().is_err() {
        return StatusCode::UNPROCESSABLE_ENTITY.into_response();
    }
    Json(HandCreated {
        id: 1,
        title: note.title,
    })
    .into_response()
}

fn hand_app() -> Router {
    let mut validation = jsonwebtoken::Validation::new(Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "iss", "aud"]);
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[AUDIENCE]);
    let state = Arc::new(HandState {
        key: jsonwebtoken::DecodingKey::from_secret(SECRET),
        validation,
    });
    super::hand_layers(
        Router::new()
            .route("/notes", post(hand_create))
            .with_state(state),
    )
}

fn request(token: &str) -> Request<Body> {
    Request::post("/notes")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(r#"{"title":"Groceries","body":"milk, eggs"}"#))
        .unwrap()
}

fn one(runtime: &tokio::runtime::Runtime, app: &Router, token: &str, which: usize) -> usize {
    black_box(which);
    runtime.block_on(async {
        let response = app.clone().oneshot(request(token)).await.unwrap();
        assert_eq!(response.status(), 200);
        axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap()
            .len()
    })
}

#[inline(never)]
fn request_protected_palisade(
    runtime: &tokio::runtime::Runtime,
    app: &Router,
    token: &str,
) -> usize {
    one(runtime, app, token, 4)
}

#[inline(never)]
fn request_protected_hand(runtime: &tokio::runtime::Runtime, app: &Router, token: &str) -> usize {
    one(runtime, app, token, 5)
}

pub fn protected(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let token = settings()
        .issue(&serde_json::json!({"sub": "ada", "iss": ISSUER, "aud": AUDIENCE, "exp": now() + 86_400}))
        .unwrap();
    let (palisade, hand) = (palisade_app(), hand_app());
    let mut group = c.benchmark_group("protected");
    group.bench_function("palisade", |b| {
        b.iter(|| request_protected_palisade(&runtime, black_box(&palisade), &token));
    });
    group.bench_function("hand_built", |b| {
        b.iter(|| request_protected_hand(&runtime, black_box(&hand), &token));
    });
    group.finish();
}
