//! The validated extractors over real HTTP on loopback: valid, invalid, malformed and hostile
//! requests against a real axum router.

mod support;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use palisade::{
    Sanitized, Valid,
    validate::{Invalid, ProvidesContext},
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Debug, Deserialize, Serialize, Sanitized)]
#[serde(rename_all = "camelCase")]
struct NewNote {
    #[clean(trim, strip_control, collapse_whitespace)]
    #[validate(length(min = 1, max = 100))]
    title: String,
    #[clean(html)]
    #[validate(length(max = 10_000))]
    body: String,
    #[validate(length(max = 5), each(length(min = 1, max = 20)))]
    #[clean(trim, lowercase)]
    tag_list: Vec<String>,
}

#[derive(Debug, Deserialize, Sanitized)]
struct Search {
    #[clean(trim)]
    #[validate(length(min = 1, max = 50))]
    q: String,
    #[validate(range(min = 1, max = 100))]
    limit: Option<u32>,
}

#[derive(Debug, Deserialize, Sanitized)]
struct NoteId {
    #[validate(range(min = 1))]
    id: u64,
}

#[derive(Clone)]
struct Reserved(Arc<Vec<&'static str>>);

#[derive(Clone)]
struct AppState {
    reserved: Reserved,
}

impl ProvidesContext<Reserved> for AppState {
    fn validation_context(&self) -> Reserved {
        self.reserved.clone()
    }
}

fn not_reserved(name: &str, reserved: &Reserved) -> Result<(), Invalid> {
    if reserved.0.contains(&name) {
        return Err(Invalid::new("reserved", "this name is taken"));
    }
    Ok(())
}

#[derive(Debug, Deserialize, Sanitized)]
#[validate(context = Reserved)]
struct NewUser {
    #[clean(trim, lowercase)]
    #[validate(length(min = 3, max = 20), custom(function = not_reserved, with_context))]
    username: String,
}

async fn create(note: Valid<Json<NewNote>>) -> Json<NewNote> {
    Json(note.into_inner())
}

async fn create_from_form(note: Valid<Form<Search>>) -> String {
    note.q.clone()
}

async fn search(query: Valid<Query<Search>>) -> Json<Value> {
    Json(json!({ "q": query.q, "limit": query.limit }))
}

async fn show(id: Valid<Path<NoteId>>) -> String {
    id.id.to_string()
}

async fn register(State(_): State<AppState>, user: Valid<Json<NewUser>>) -> String {
    user.into_inner().username
}

fn router() -> Router {
    Router::new()
        .route("/notes", post(create).get(search))
        .route("/form", post(create_from_form))
        .route("/notes/{id}", get(show))
        .route("/users", post(register))
        .with_state(AppState {
            reserved: Reserved(Arc::new(vec!["admin", "root"])),
        })
}

struct Server {
    addr: SocketAddr,
    client: reqwest::Client,
}

impl Server {
    async fn start() -> Self {
        let addr = support::serve(router()).await;
        Self {
            addr,
            client: reqwest::Client::new(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    async fn post(&self, path: &str, content_type: &str, body: impl Into<reqwest::Body>) -> Answer {
        let response = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        Answer::read(response).await
    }

    async fn get(&self, path: &str) -> Answer {
        Answer::read(self.client.get(self.url(path)).send().await.unwrap()).await
    }
}

struct Answer {
    status: u16,
    content_type: String,
    body: String,
}

impl Answer {
    async fn read(response: reqwest::Response) -> Self {
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let body = response.text().await.unwrap();
        Self {
            status,
            content_type,
            body,
        }
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// A problem+json answer with this status and code, that does not contain `secret`.
    fn assert_problem(&self, status: u16, code: &str, secret: &str) -> Value {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.content_type, "application/problem+json");
        let problem = self.json();
        assert_eq!(problem["status"], status);
        assert_eq!(problem["code"], code, "{}", self.body);
        assert_eq!(problem["type"], "about:blank");
        assert!(problem["title"].is_string() && problem["detail"].is_string());
        if !secret.is_empty() {
            assert!(!self.body.contains(secret), "echoed input: {}", self.body);
        }
        for serde_word in [
            "line ",
            "column",
            "invalid type",
            "invalid value",
            "expected `",
            "missing field",
            "unknown field",
            "serde",
            "Failed to",
        ] {
            assert!(
                !self.body.contains(serde_word),
                "serde internals in {}",
                self.body
            );
        }
        problem
    }
}

#[tokio::test]
async fn valid_json_is_sanitized_before_the_handler_sees_it() {
    let server = Server::start().await;
    let body = json!({
        "title": "  Weekly \u{0007} plan  ",
        "body": "<p onclick=\"x()\">hi</p><script>alert(1)</script>",
        "tagList": [" Home ", "WORK"],
    });
    let answer = server
        .post("/notes", "application/json", body.to_string())
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.json(),
        json!({ "title": "Weekly plan", "body": "<p>hi</p>", "tagList": ["home", "work"] })
    );
}

#[tokio::test]
async fn invalid_json_is_answered_422_with_every_error_and_no_value() {
    let server = Server::start().await;
    let long_tag = "canary-tag-".repeat(4);
    let body = json!({ "title": "   ", "body": "", "tagList": ["ok", long_tag, ""] });
    let answer = server
        .post("/notes", "application/json", body.to_string())
        .await;
    let problem = answer.assert_problem(422, "validation_failed", "canary");
    assert_eq!(
        problem["errors"],
        json!([
            { "path": "title", "code": "length", "message": "must be between 1 and 100 characters long" },
            { "path": "tagList[1]", "code": "length", "message": "must be between 1 and 20 characters long" },
            { "path": "tagList[2]", "code": "length", "message": "must be between 1 and 20 characters long" },
        ])
    );
}

#[tokio::test]
async fn malformed_json_is_answered_400_without_serde_internals() {
    let server = Server::start().await;
    let cases: &[(&str, &str)] = &[
        ("syntax", r#"{"title": "canary-syntax", "#),
        (
            "wrong type",
            r#"{"title": ["canary-type"], "body": "", "tagList": []}"#,
        ),
        ("missing field", r#"{"title": "canary-missing"}"#),
        ("not an object", r#""canary-string""#),
        ("empty", ""),
        ("invalid utf-8", "{\"title\": \"\u{FFFD}\"}"),
    ];
    for (what, body) in cases {
        let answer = server.post("/notes", "application/json", *body).await;
        assert_eq!(answer.status, 400, "{what}: {}", answer.body);
        answer.assert_problem(400, "malformed_body", "canary");
    }
    let raw_invalid_utf8: Vec<u8> =
        b"{\"title\": \"\xff\xfe\", \"body\": \"\", \"tagList\": []}".to_vec();
    server
        .post("/notes", "application/json", raw_invalid_utf8)
        .await
        .assert_problem(400, "malformed_body", "");
}

#[tokio::test]
async fn wrong_content_type_is_refused() {
    let server = Server::start().await;
    let body = json!({ "title": "canary", "body": "", "tagList": [] }).to_string();
    server
        .post("/notes", "text/plain", body.clone())
        .await
        .assert_problem(400, "unsupported_media_type", "canary");
    server
        .post("/form", "application/json", body)
        .await
        .assert_problem(400, "unsupported_media_type", "canary");
}

#[tokio::test]
async fn oversized_bodies_are_answered_413() {
    let server = Server::start().await;
    let huge = format!(r#"{{"title": "{}"}}"#, "a".repeat(3 * 1024 * 1024));
    server
        .post("/notes", "application/json", huge)
        .await
        .assert_problem(413, "payload_too_large", "aaaa");
}

#[tokio::test]
async fn query_strings_are_validated() {
    let server = Server::start().await;
    let ok = server.get("/notes?q=%20rust%20&limit=10").await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json(), json!({ "q": "rust", "limit": 10 }));

    let problem = server
        .get("/notes?q=canary-query&limit=1000")
        .await
        .assert_problem(422, "validation_failed", "canary");
    assert_eq!(problem["errors"][0]["path"], "limit");
    assert_eq!(problem["errors"][0]["code"], "range");

    server
        .get("/notes?limit=canary")
        .await
        .assert_problem(400, "malformed_query", "canary");
    server
        .get("/notes?q=x&limit=-1canary")
        .await
        .assert_problem(400, "malformed_query", "canary");
}

#[tokio::test]
async fn path_parameters_are_validated() {
    let server = Server::start().await;
    let ok = server.get("/notes/42").await;
    assert_eq!((ok.status, ok.body.as_str()), (200, "42"));
    let problem = server
        .get("/notes/0")
        .await
        .assert_problem(422, "validation_failed", "");
    assert_eq!(problem["errors"][0]["path"], "id");
    server
        .get("/notes/canary")
        .await
        .assert_problem(400, "malformed_path", "canary");
    server
        .get("/notes/99999999999999999999999")
        .await
        .assert_problem(400, "malformed_path", "99999999999999999999999");
}

#[tokio::test]
async fn forms_are_validated() {
    let server = Server::start().await;
    let ok = server
        .post(
            "/form",
            "application/x-www-form-urlencoded",
            "q=+hello+&limit=3",
        )
        .await;
    assert_eq!((ok.status, ok.body.as_str()), (200, "hello"));
    server
        .post("/form", "application/x-www-form-urlencoded", "q=&limit=3")
        .await
        .assert_problem(422, "validation_failed", "");
    server
        .post(
            "/form",
            "application/x-www-form-urlencoded",
            "q=x&limit=canary",
        )
        .await
        .assert_problem(400, "malformed_body", "canary");
}

#[tokio::test]
async fn the_context_comes_from_the_application_state() {
    let server = Server::start().await;
    let ok = server
        .post("/users", "application/json", r#"{"username": " Ada "}"#)
        .await;
    assert_eq!((ok.status, ok.body.as_str()), (200, "ada"));
    let problem = server
        .post("/users", "application/json", r#"{"username": " ROOT "}"#)
        .await
        .assert_problem(422, "validation_failed", "root");
    assert_eq!(problem["errors"][0]["code"], "reserved");
}

#[tokio::test]
async fn hostile_payloads_are_never_echoed() {
    let server = Server::start().await;
    let text = palisade_testkit::corpus::text("xss/xss_payloads_quick.txt").replace('\r', "");
    let mut refused = 0;
    for (line, payload) in text.lines().enumerate().filter(|(_, l)| l.len() >= 8) {
        // Too long a title, so every request fails validation and the answer is an error.
        let title = format!("{payload}{}", "x".repeat(100));
        let body = json!({ "title": title, "body": payload, "tagList": [payload] });
        let answer = server
            .post("/notes", "application/json", body.to_string())
            .await;
        assert_eq!(answer.status, 422, "line {}: {}", line + 1, answer.body);
        assert!(
            !answer.body.contains(payload),
            "line {} echoed: {}",
            line + 1,
            answer.body
        );
        refused += 1;
    }
    assert!(refused > 10, "the corpus was not read");
}

#[tokio::test]
async fn hostile_sizes_get_a_bounded_answer() {
    let server = Server::start().await;
    // Ten thousand bad tags, far over the list's limit of five: one error, not ten thousand.
    let tags = vec!["canary-tag-that-is-far-too-long"; 10_000];
    let body = json!({ "title": "ok", "body": "", "tagList": tags });
    let problem = server
        .post("/notes", "application/json", body.to_string())
        .await
        .assert_problem(422, "validation_failed", "canary");
    assert_eq!(
        problem["errors"],
        json!([{ "path": "tagList", "code": "length", "message": "must have at most 5 items" }])
    );

    // Deeply nested markup over the body's limit is not parsed: it is refused as too long,
    // and the answer does not wait on the HTML parser.
    let body = json!({ "title": "ok", "body": "<div>".repeat(200_000), "tagList": [] });
    let problem = server
        .post("/notes", "application/json", body.to_string())
        .await
        .assert_problem(422, "validation_failed", "<div>");
    assert_eq!(problem["errors"][0]["path"], "body");
    assert_eq!(problem["errors"][0]["code"], "length");
}
