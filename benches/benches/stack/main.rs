//! One small JSON handler behind palisade's default stack, behind the same stack assembled by
//! hand from tower-http layers, and behind no layer at all, called in process with
//! `tower::ServiceExt::oneshot`. See `benches/README.md`.

use std::hint::black_box;
use std::time::Duration;

use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{Request, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::{Json, Router};
use criterion::{Criterion, criterion_group, criterion_main};
use palisade::layers::{
    DEFAULT_BODY_LIMIT, DEFAULT_CACHE_CONTROL, DEFAULT_CSP, SECURITY_HEADERS, SecureDefaults,
};
use serde_json::{Value, json};
use tower::ServiceExt as _;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

async fn create(Json(note): Json<Value>) -> Json<Value> {
    Json(json!({ "id": 1, "title": note["title"] }))
}

fn handler_router() -> Router {
    Router::new().route("/notes", post(create))
}

fn palisade_stack() -> Router {
    SecureDefaults::new().apply(handler_router())
}

#[derive(Clone)]
struct RandomId;

impl MakeRequestId for RandomId {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&palisade::error::incident_id())
            .ok()
            .map(RequestId::new)
    }
}

/// Error answers without a problem body become problems, and banners go (palisade's stack
/// does both).
fn problems<B>(response: axum::http::Response<B>) -> Response
where
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    let mut response = response.map(Body::new);
    for banner in palisade::layers::REMOVED_HEADERS {
        response.headers_mut().remove(*banner);
    }
    let status = response.status();
    let problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/problem+json"));
    if (status.is_client_error() || status.is_server_error()) && !problem {
        let mut answer = axum::response::IntoResponse::into_response(palisade::Problem::new(
            status.as_u16(),
            "error",
            "error",
        ));
        *answer.status_mut() = status;
        return answer;
    }
    response
}

/// One `SetResponseHeaderLayer` that overrides the header of `SECURITY_HEADERS[index]`.
fn security_header(index: usize) -> SetResponseHeaderLayer<HeaderValue> {
    let (name, value) = SECURITY_HEADERS[index];
    SetResponseHeaderLayer::overriding(
        HeaderName::from_static(name),
        HeaderValue::from_static(value),
    )
}

/// The same behaviour, assembled by hand from tower-http layers in one `ServiceBuilder` (one
/// `Router::layer` call, as palisade's stack is few): one `SetResponseHeaderLayer` per header.
fn hand_stack() -> Router {
    hand_layers(handler_router())
}

/// The hand-assembled layers around `router`.
fn hand_layers(router: Router) -> Router {
    assert_eq!(SECURITY_HEADERS.len(), 11);
    let stack = tower::ServiceBuilder::new()
        .layer(SetRequestIdLayer::x_request_id(RandomId))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(security_header(0))
        .layer(security_header(1))
        .layer(security_header(2))
        .layer(security_header(3))
        .layer(security_header(4))
        .layer(security_header(5))
        .layer(security_header(6))
        .layer(security_header(7))
        .layer(security_header(8))
        .layer(security_header(9))
        .layer(security_header(10))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DEFAULT_CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static(DEFAULT_CACHE_CONTROL),
        ))
        .map_response(problems)
        .layer(CatchPanicLayer::new())
        .layer(SetSensitiveRequestHeadersLayer::new([
            header::AUTHORIZATION,
            header::PROXY_AUTHORIZATION,
            header::COOKIE,
        ]))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(RequestBodyTimeoutLayer::new(Duration::from_secs(10)))
        .layer(DefaultBodyLimit::max(DEFAULT_BODY_LIMIT));
    router.layer(stack)
}

fn request() -> Request<Body> {
    Request::post("/notes")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"title":"Groceries","body":"milk, eggs"}"#))
        .unwrap()
}

/// One request through `app`, to completion of the response body. (`which` keeps the three
/// callers below from being folded into one function by the optimizer.)
fn one(runtime: &tokio::runtime::Runtime, app: &Router, which: usize) -> usize {
    black_box(which);
    runtime.block_on(async {
        let response = app.clone().oneshot(request()).await.unwrap();
        assert_eq!(response.status(), 200);
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        body.len()
    })
}

// One function per contender, so that callgrind can count each by name (`instructions.py`).
#[inline(never)]
fn request_bare(runtime: &tokio::runtime::Runtime, app: &Router) -> usize {
    one(runtime, app, 1)
}

#[inline(never)]
fn request_palisade(runtime: &tokio::runtime::Runtime, app: &Router) -> usize {
    one(runtime, app, 2)
}

#[inline(never)]
fn request_hand(runtime: &tokio::runtime::Runtime, app: &Router) -> usize {
    one(runtime, app, 3)
}

fn stack(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (bare, palisade, hand) = (handler_router(), palisade_stack(), hand_stack());
    // Before measuring: both stacks answer with the same security headers.
    let headers = |app: &Router| {
        runtime.block_on(async {
            app.clone()
                .oneshot(request())
                .await
                .unwrap()
                .headers()
                .clone()
        })
    };
    let (ours, theirs) = (headers(&palisade), headers(&hand));
    for (name, _) in SECURITY_HEADERS {
        assert_eq!(ours.get(*name), theirs.get(*name), "{name}");
    }
    for name in ["content-security-policy", "cache-control"] {
        assert_eq!(ours.get(name), theirs.get(name), "{name}");
    }
    assert!(ours.contains_key("x-request-id") && theirs.contains_key("x-request-id"));

    let mut group = c.benchmark_group("stack");
    group.bench_function("bare_router", |b| {
        b.iter(|| request_bare(&runtime, black_box(&bare)));
    });
    group.bench_function("palisade_defaults", |b| {
        b.iter(|| request_palisade(&runtime, black_box(&palisade)));
    });
    group.bench_function("hand_assembled", |b| {
        b.iter(|| request_hand(&runtime, black_box(&hand)));
    });
    group.finish();
}

mod protected;

criterion_group!(benches, stack, protected::protected);
criterion_main!(benches);
