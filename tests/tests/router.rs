//! The secure router over real HTTP on loopback: decided handlers only, and the default stack on
//! every route, nested and merged ones included, whatever the order of the calls.

mod support;

use std::net::SocketAddr;

use axum::Json;
use axum::extract::State;
use palisade::{PublicError, Router, Sanitized, Valid, public};
use serde_json::Value;

#[derive(Clone)]
struct AppState {
    greeting: &'static str,
}

#[derive(serde::Deserialize, Sanitized)]
struct NewNote {
    #[clean(trim)]
    #[validate(length(min = 1, max = 20))]
    title: String,
}

#[derive(serde::Deserialize, Sanitized)]
struct NoteId {
    #[validate(range(min = 1, max = 1000))]
    id: u64,
}

#[derive(Debug, PublicError)]
enum NoteError {
    #[problem(status = 404, message = "there is no such note")]
    NotFound,
}

#[public(reason = "health checks are open to load balancers")]
async fn healthz() -> &'static str {
    "ok"
}

#[public(reason = "the test service lets anyone write")]
async fn create(State(state): State<AppState>, note: Valid<Json<NewNote>>) -> Json<String> {
    Json(format!("{} {}", state.greeting, note.title))
}

#[public(reason = "the test service lets anyone read")]
async fn show(id: Valid<axum::extract::Path<NoteId>>) -> Result<String, NoteError> {
    if id.id == 7 {
        Ok("seven".into())
    } else {
        Err(NoteError::NotFound)
    }
}

#[public(reason = "the test service shows its panics are masked")]
async fn boom() -> &'static str {
    panic!("secret detail")
}

async fn serve() -> SocketAddr {
    // Routes added before and after `merge` and `nest`, in the nested and merged routers too.
    let notes = Router::new().post("/", create).get("/{id}", show);
    let extra = Router::new().get("/boom", boom);
    let app = Router::new()
        .get("/healthz", healthz)
        .merge(extra)
        .nest("/notes", notes)
        .get("/late", healthz)
        .with_state(AppState { greeting: "hello" })
        .into_make_service();
    support::serve(app).await
}

fn secured(response: &reqwest::Response) {
    for name in [
        "content-security-policy",
        "strict-transport-security",
        "x-content-type-options",
        "x-frame-options",
        "x-request-id",
    ] {
        assert!(
            response.headers().contains_key(name),
            "{} lacks {name}",
            response.url()
        );
    }
}

#[tokio::test]
async fn every_route_carries_the_default_stack() {
    let address = serve().await;
    let client = reqwest::Client::new();
    for path in [
        "/healthz", "/late", "/notes/7", "/notes/8", "/nowhere", "/boom",
    ] {
        let response = client
            .get(format!("http://{address}{path}"))
            .send()
            .await
            .unwrap();
        secured(&response);
    }
}

#[tokio::test]
async fn decided_handlers_get_their_validated_input_and_state() {
    let address = serve().await;
    let client = reqwest::Client::new();
    let response = client
        .post(format!("http://{address}/notes"))
        .json(&serde_json::json!({"title": "  groceries  "}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<String>().await.unwrap(), "hello groceries");

    let response = client
        .post(format!("http://{address}/notes"))
        .json(&serde_json::json!({"title": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["path"], "title");

    let response = client
        .get(format!("http://{address}/notes/7"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.text().await.unwrap(), "seven");
    let response = client
        .get(format!("http://{address}/notes/8"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "not_found");
    let response = client
        .get(format!("http://{address}/notes/0"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
}

#[tokio::test]
async fn a_panicking_handler_is_a_masked_500() {
    let address = serve().await;
    let response = reqwest::get(format!("http://{address}/boom"))
        .await
        .unwrap();
    assert_eq!(response.status(), 500);
    let text = response.text().await.unwrap();
    assert!(!text.contains("secret detail"), "{text}");
    assert!(text.contains("incident"), "{text}");
}

/// A public form of the site's own: a cross-site browser post is refused, the site's own and a
/// client's without browser headers are taken.
#[public(reason = "anyone may leave a comment")]
async fn comment(note: Valid<axum::Form<NewNote>>) -> String {
    note.into_inner().title
}

#[tokio::test]
async fn a_public_form_refuses_writes_from_another_site() {
    let router = Router::new().post("/comments", comment);
    assert!(router.route_report().0[0].csrf_checked);
    let address = support::serve(router.into_make_service()).await;
    let client = reqwest::Client::new();
    let post = |headers: Vec<(&'static str, String)>| {
        let mut request = client
            .post(format!("http://{address}/comments"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("title=hello");
        for (name, value) in headers {
            request = request.header(name, value);
        }
        async move {
            let response = request.send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    for headers in [
        vec![("sec-fetch-site", "cross-site".to_owned())],
        vec![("origin", "https://evil.example".to_owned())],
        vec![("origin", format!("http://{address}.evil.example"))],
    ] {
        let (status, body) = post(headers.clone()).await;
        assert_eq!(status, 403, "{headers:?}: {body}");
        assert!(body.contains("\"csrf\""), "{body}");
    }
    for headers in [
        vec![("sec-fetch-site", "same-origin".to_owned())],
        vec![("origin", format!("http://{address}"))],
        vec![],
    ] {
        let (status, body) = post(headers.clone()).await;
        assert_eq!((status, body.as_str()), (200, "hello"), "{headers:?}");
    }
}
