//! The secure default stack over real HTTP on loopback: every header at its exact value, the
//! OWASP Secure Headers recommendations and check suite, limits, request ids, masked panics,
//! and problem+json for every rejection.

mod support;

use support::{Captured, header};

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use palisade::layers::{
    DEFAULT_CSP, DEFAULT_PERMISSIONS_POLICY, REQUEST_ID, RequestId, SecureDefaults,
};
use serde_json::Value;

fn logs() -> &'static Captured {
    support::global_logs()
}

fn log_text() -> String {
    logs().text()
}

async fn echo(Json(value): Json<Value>) -> Json<Value> {
    Json(value)
}

#[derive(serde::Deserialize)]
struct Typed {
    #[allow(dead_code)]
    count: u32,
}

async fn typed(Json(_): Json<Typed>) -> &'static str {
    "typed"
}

/// A handler that labels its own leaky text as a problem.
async fn fake_problem() -> (
    [(&'static str, &'static str); 1],
    (StatusCode, &'static str),
) {
    (
        [("content-type", "application/problem+json")],
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            r#"{"detail":"db password=canary-db"}"#,
        ),
    )
}

async fn panics() -> &'static str {
    panic!("the canary-panic detail")
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "late"
}

async fn leaky_headers() -> (HeaderMap, &'static str) {
    let mut headers = HeaderMap::new();
    headers.insert("server", "nginx/1.0".parse().unwrap());
    headers.insert("x-powered-by", "PHP/5".parse().unwrap());
    (headers, "ok")
}

async fn logs_its_headers(headers: HeaderMap) -> &'static str {
    tracing::info!(?headers, "request headers");
    "logged"
}

async fn request_id(id: axum::Extension<RequestId>) -> String {
    id.as_str().to_owned()
}

async fn logout() -> ([(&'static str, &'static str); 1], &'static str) {
    ([palisade::layers::CLEAR_SITE_DATA], "bye")
}

async fn serve(defaults: SecureDefaults) -> SocketAddr {
    logs();
    let router = Router::new()
        .route("/", get(|| async { Json(serde_json::json!({"ok": true})) }))
        .route("/echo", post(echo))
        .route("/typed", post(typed))
        .route("/fake", get(fake_problem))
        .route(
            "/upload",
            post(echo).layer(DefaultBodyLimit::max(256 * 1024)),
        )
        .route("/panic", get(panics))
        .route("/slow", get(slow))
        .route("/leaky", get(leaky_headers))
        .route("/headers", get(logs_its_headers))
        .route("/id", get(request_id))
        .route("/logout", post(logout).get(logout));
    let app = defaults.apply(router);
    support::serve(app).await
}

#[tokio::test]
async fn every_default_header_has_its_exact_value() {
    let address = serve(SecureDefaults::new()).await;
    let response = reqwest::get(format!("http://{address}/")).await.unwrap();
    assert_eq!(response.status(), 200);
    let expected = [
        ("content-security-policy", DEFAULT_CSP),
        ("cross-origin-embedder-policy", "require-corp"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
        ("origin-agent-cluster", "?1"),
        ("permissions-policy", DEFAULT_PERMISSIONS_POLICY),
        ("referrer-policy", "no-referrer"),
        (
            "strict-transport-security",
            "max-age=63072000; includeSubDomains",
        ),
        ("x-content-type-options", "nosniff"),
        ("x-dns-prefetch-control", "off"),
        ("x-frame-options", "DENY"),
        ("x-permitted-cross-domain-policies", "none"),
        ("cache-control", "no-store, max-age=0"),
    ];
    for (name, value) in expected {
        assert_eq!(header(&response, name), Some(value), "{name}");
    }
    assert_eq!(
        DEFAULT_CSP,
        "default-src 'self'; base-uri 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self'; upgrade-insecure-requests"
    );
    for absent in [
        "server",
        "x-powered-by",
        "x-xss-protection",
        "feature-policy",
        "expect-ct",
    ] {
        assert_eq!(header(&response, absent), None, "{absent}");
    }
}

#[tokio::test]
async fn software_banners_set_by_a_handler_are_removed() {
    let address = serve(SecureDefaults::new()).await;
    let response = reqwest::get(format!("http://{address}/leaky"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "server"), None);
    assert_eq!(header(&response, "x-powered-by"), None);
}

/// The recommendations of the OWASP Secure Headers Project, read in place.
fn recommended() -> Vec<(String, String)> {
    let text = palisade_testkit::corpus::text("secure-headers/ci/headers_add.json");
    let json: Value = serde_json::from_str(&text).unwrap();
    json["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["name"].as_str().unwrap().to_ascii_lowercase(),
                h["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The directives of a `;`-separated policy, each with its sorted values.
fn directives(policy: &str) -> Vec<(String, Vec<String>)> {
    policy
        .split(';')
        .filter_map(|part| {
            let mut words = part.split_whitespace();
            let name = words.next()?.to_ascii_lowercase();
            let mut values: Vec<String> = words.map(str::to_owned).collect();
            values.sort();
            Some((name, values))
        })
        .collect()
}

#[tokio::test]
async fn each_owasp_recommendation_is_met_at_least_as_strictly() {
    let address = serve(SecureDefaults::new()).await;
    let response = reqwest::get(format!("http://{address}/")).await.unwrap();
    let logout = reqwest::Client::new()
        .post(format!("http://{address}/logout"))
        .send()
        .await
        .unwrap();
    let mut failures = Vec::new();
    for (name, recommended) in recommended() {
        // Clear-Site-Data wipes the client's state: it belongs on the logout answer only.
        let source = if name == "clear-site-data" {
            &logout
        } else {
            &response
        };
        let Some(ours) = header(source, &name) else {
            failures.push(format!("{name}: missing"));
            continue;
        };
        let met = match name.as_str() {
            "strict-transport-security" => {
                let age = |v: &str| {
                    v.split(';')
                        .find_map(|p| p.trim().strip_prefix("max-age="))
                        .and_then(|n| n.parse::<u64>().ok())
                        .unwrap_or(0)
                };
                age(ours) >= age(&recommended) && ours.contains("includeSubDomains")
            }
            // Every directive they give, we give with the same sources (ours has more).
            "content-security-policy" => {
                let ours = directives(ours);
                directives(&recommended)
                    .iter()
                    .all(|directive| ours.contains(directive))
            }
            "permissions-policy" => {
                let ours: Vec<String> = ours.split(", ").map(str::to_owned).collect();
                recommended
                    .split(", ")
                    .all(|feature| ours.iter().any(|o| o == feature))
            }
            _ => ours.eq_ignore_ascii_case(&recommended),
        };
        if !met {
            failures.push(format!(
                "{name}: ours {ours:?}, recommended {recommended:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn no_header_the_project_forbids_is_sent() {
    let address = serve(SecureDefaults::new()).await;
    let text = palisade_testkit::corpus::text("secure-headers/ci/headers_remove.json");
    let json: Value = serde_json::from_str(&text).unwrap();
    let forbidden: Vec<String> = json["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap().to_ascii_lowercase())
        .collect();
    assert!(forbidden.len() > 80, "the list is read whole");
    for path in ["/", "/leaky", "/nowhere", "/panic"] {
        let response = reqwest::get(format!("http://{address}{path}"))
            .await
            .unwrap();
        for name in &forbidden {
            assert!(
                response.headers().get(name.as_str()).is_none(),
                "{path}: {name}"
            );
        }
    }
}

/// One assertion of the OWASP check suite on a response's headers.
fn holds(assertion: &str, response: &reqwest::Response) -> Result<bool, String> {
    let assertion = assertion.trim().trim_start_matches("- ");
    // A whole assertion may be quoted as one YAML scalar.
    let assertion = assertion
        .strip_prefix("'result.")
        .and_then(|rest| rest.strip_suffix('\''))
        .map_or_else(|| assertion.to_owned(), |rest| format!("result.{rest}"));
    let assertion = assertion.as_str();
    if let Some(status) = assertion.strip_prefix("result.statuscode ShouldEqual ") {
        return Ok(response.status().as_u16().to_string() == status);
    }
    let rest = assertion
        .strip_prefix("result.headers.")
        .ok_or_else(|| format!("unknown assertion {assertion}"))?;
    let (name, check) = rest.split_once(' ').ok_or("no check")?;
    let value = header(response, name);
    let (verb, argument) = check.split_once(' ').unwrap_or((check, ""));
    // A YAML scalar: single-quoted (taken as is) or double-quoted.
    let unquote = |s: &str| {
        let s = s.trim();
        s.strip_prefix('\'')
            .and_then(|s| s.strip_suffix('\''))
            .map_or_else(|| s.trim_matches('"').to_owned(), str::to_owned)
    };
    Ok(match verb {
        "ShouldNotBeNil" => value.is_some(),
        "ShouldBeNil" => value.is_none(),
        "ShouldEqual" => value == Some(unquote(argument).as_str()),
        "ShouldBeIn" => argument
            .split_whitespace()
            .any(|v| value == Some(unquote(v).as_str())),
        "ShouldContainSubstring" => value.is_some_and(|v| v.contains(&unquote(argument))),
        "ShouldNotContainSubstring" => value.is_some_and(|v| !v.contains(&unquote(argument))),
        other => return Err(format!("unknown check {other}")),
    })
}

#[tokio::test]
async fn the_owasp_check_suite_passes() {
    let address = serve(SecureDefaults::new()).await;
    let suite =
        palisade_testkit::corpus::text("secure-headers/subprojects/validator/tests_suite.yml");
    let client = reqwest::Client::new();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in suite.split("\n  - name: ").skip(1) {
        let name = case.lines().next().unwrap().trim();
        let path = if case.contains("logout_url") {
            "/logout"
        } else {
            "/"
        };
        let response = client
            .get(format!("http://{address}{path}"))
            .send()
            .await
            .unwrap();
        // `or:` groups hold alternatives; every other assertion must hold.
        let mut in_or = false;
        let mut alternatives = Vec::new();
        for line in case
            .lines()
            .skip_while(|line| !line.contains("assertions:"))
            .skip(1)
        {
            let trimmed = line.trim();
            if trimmed == "- or:" {
                in_or = true;
                continue;
            }
            if !trimmed.starts_with("- result.") && !trimmed.starts_with("- 'result.") {
                continue;
            }
            checked += 1;
            let result = holds(trimmed, &response);
            let indent = line.len() - line.trim_start().len();
            if in_or && indent > 10 {
                alternatives.push(result.clone().unwrap_or(false));
            } else {
                if in_or {
                    if !alternatives.iter().any(|ok| *ok) {
                        failures.push(format!("{name}: no alternative of an `or` holds"));
                    }
                    alternatives.clear();
                    in_or = false;
                }
                match result {
                    Ok(true) => {}
                    Ok(false) => failures.push(format!("{name}: {trimmed}")),
                    Err(error) => failures.push(format!("{name}: {error}")),
                }
            }
        }
        if in_or && !alternatives.iter().any(|ok| *ok) {
            failures.push(format!("{name}: no alternative of an `or` holds"));
        }
    }
    assert!(
        checked > 50,
        "the suite is read whole: {checked} assertions"
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn request_ids_are_generated_or_accepted_only_when_well_formed() {
    let address = serve(SecureDefaults::new()).await;
    let client = reqwest::Client::new();
    let url = format!("http://{address}/id");

    let response = client.get(&url).send().await.unwrap();
    let generated = header(&response, REQUEST_ID).unwrap().to_owned();
    assert_eq!(generated.len(), 32);
    assert_eq!(
        response.text().await.unwrap(),
        generated,
        "the handler sees the same id"
    );

    let response = client
        .get(&url)
        .header(REQUEST_ID, "trace-42.a_b")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, REQUEST_ID), Some("trace-42.a_b"));

    for hostile in [
        "<script>alert(1)</script>",
        "a b",
        &"x".repeat(65),
        "id;drop",
    ] {
        let response = client
            .get(&url)
            .header(REQUEST_ID, hostile)
            .send()
            .await
            .unwrap();
        let id = header(&response, REQUEST_ID).unwrap().to_owned();
        assert_ne!(id, hostile);
        assert_eq!(id.len(), 32);
    }
    // The id is a field of the request's log lines.
    let response = client
        .get(format!("http://{address}/headers"))
        .header(REQUEST_ID, "find-me-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        log_text()
            .lines()
            .any(|line| line.contains("find-me-123") && line.contains("request headers"))
    );
}

async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    assert_eq!(
        header(&response, "content-type"),
        Some("application/problem+json")
    );
    for name in [
        "content-security-policy",
        "strict-transport-security",
        "x-content-type-options",
        "x-request-id",
    ] {
        assert!(header(&response, name).is_some(), "errors carry {name} too");
    }
    let text = response.text().await.unwrap();
    for internal in [
        "serde",
        "Json",
        "axum",
        "line ",
        "column",
        "expected",
        "canary",
        "String",
        "invalid type",
        "count",
    ] {
        assert!(!text.contains(internal), "{internal} in {text}");
    }
    (status, serde_json::from_str(&text).unwrap())
}

#[tokio::test]
async fn every_rejection_is_a_problem_without_internals() {
    let address = serve(SecureDefaults::new()).await;
    let client = reqwest::Client::new();
    let echo = format!("http://{address}/echo");

    let (status, body) = problem(
        client
            .get(format!("http://{address}/nowhere"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));

    let response = client
        .delete(format!("http://{address}/echo"))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "allow"), Some("POST"));
    let (status, body) = problem(response).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (405, Some("method_not_allowed"))
    );

    let bad_json = client
        .post(&echo)
        .header("content-type", "application/json")
        .body("{\"canary\": tru")
        .send()
        .await
        .unwrap();
    let (status, body) = problem(bad_json).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("bad_request")));

    // axum's 422 quotes serde: field names, types, input.
    let data_error = client
        .post(format!("http://{address}/typed"))
        .header("content-type", "application/json")
        .body(r#"{"count": "canary-text"}"#)
        .send()
        .await
        .unwrap();
    let (status, body) = problem(data_error).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("unprocessable"))
    );

    // A body that only says it is a problem is replaced, and a 5xx gets its incident id.
    let fake = client
        .get(format!("http://{address}/fake"))
        .send()
        .await
        .unwrap();
    let (status, body) = problem(fake).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (500, Some("internal_error"))
    );
    assert_eq!(body["incident"].as_str().map(str::len), Some(32));

    let wrong_type = client
        .post(&echo)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    let (status, body) = problem(wrong_type).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (415, Some("unsupported_media_type"))
    );
}

#[tokio::test]
async fn bodies_are_limited_to_64_kib_unless_a_route_says_otherwise() {
    let address = serve(SecureDefaults::new()).await;
    let client = reqwest::Client::new();
    let body = |size: usize| format!("\"{}\"", "a".repeat(size - 2));
    let send = |path: &str, size: usize| {
        client
            .post(format!("http://{address}{path}"))
            .header("content-type", "application/json")
            .body(body(size))
            .send()
    };
    assert_eq!(send("/echo", 64 * 1024).await.unwrap().status(), 200);
    let (status, body) = problem(send("/echo", 64 * 1024 + 1).await.unwrap()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (413, Some("payload_too_large"))
    );
    assert_eq!(send("/upload", 200 * 1024).await.unwrap().status(), 200);
    assert_eq!(send("/upload", 256 * 1024 + 1).await.unwrap().status(), 413);
}

#[tokio::test]
async fn slow_requests_time_out_as_a_problem() {
    let address = serve(SecureDefaults::new().timeout(Duration::from_millis(200))).await;
    let response = reqwest::get(format!("http://{address}/slow"))
        .await
        .unwrap();
    let (status, body) = problem(response).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (408, Some("request_timeout"))
    );
}

#[tokio::test]
async fn panics_are_a_masked_500_logged_under_an_incident_id() {
    let address = serve(SecureDefaults::new()).await;
    let response = reqwest::get(format!("http://{address}/panic"))
        .await
        .unwrap();
    let (status, body) = problem(response).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (500, Some("internal_error"))
    );
    let incident = body["incident"].as_str().unwrap();
    let log = log_text();
    let line = log
        .lines()
        .find(|line| line.contains(incident))
        .expect("the panic is logged");
    assert!(line.contains("canary-panic detail"), "{line}");
    // The server keeps serving.
    assert_eq!(
        reqwest::get(format!("http://{address}/"))
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn credentials_are_hidden_from_logged_headers() {
    let address = serve(SecureDefaults::new()).await;
    let response = reqwest::Client::new()
        .get(format!("http://{address}/headers"))
        .header("authorization", "Bearer canary-token-1")
        .header("cookie", "session=canary-cookie-2")
        .header("x-trace", "visible-3")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let log = log_text();
    assert!(log.contains("visible-3"), "the headers were logged: {log}");
    assert!(
        !log.contains("canary-token-1") && !log.contains("canary-cookie-2"),
        "{log}"
    );
}

/// A CORS preflight for `POST /echo` from `origin`.
async fn preflight(address: SocketAddr, origin: &str) -> reqwest::Response {
    reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, format!("http://{address}/echo"))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn cors_is_closed_by_default() {
    let address = serve(SecureDefaults::new()).await;
    let response = preflight(address, "https://evil.example").await;
    assert_eq!(header(&response, "access-control-allow-origin"), None);
    let response = reqwest::Client::new()
        .get(format!("http://{address}/"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "access-control-allow-origin"), None);
    assert_eq!(header(&response, "access-control-allow-credentials"), None);
}

#[tokio::test]
async fn cors_opens_to_the_listed_origins_only() {
    let cors = palisade::layers::Cors::allow_origins(["https://app.example.com"])
        .unwrap()
        .allow_credentials();
    let address = serve(SecureDefaults::new().cors(cors)).await;
    let response = preflight(address, "https://app.example.com").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "access-control-allow-origin"),
        Some("https://app.example.com")
    );
    assert_eq!(
        header(&response, "access-control-allow-credentials"),
        Some("true")
    );
    for other in [
        "https://evil.example",
        "https://app.example.com.evil.example",
        "null",
        "http://app.example.com",
    ] {
        let response = preflight(address, other).await;
        assert_eq!(
            header(&response, "access-control-allow-origin"),
            None,
            "{other}"
        );
    }
}

#[test]
fn cors_refuses_what_is_not_an_exact_origin() {
    use palisade::layers::Cors;
    for bad in [
        "*",
        "null",
        "https://*.example.com",
        "https://app.example.com/",
        "https://app.example.com/api",
        "https://user@app.example.com",
        "ftp://app.example.com",
        "app.example.com",
        "",
    ] {
        assert!(Cors::allow_origins([bad]).is_err(), "{bad}");
    }
    assert!(Cors::allow_origins([]).is_err());
    assert!(Cors::allow_origins(["https://app.example.com", "http://localhost:3000"]).is_ok());
}

async fn page(nonce: axum::Extension<palisade::csp::CspNonce>) -> palisade::page::Page {
    palisade::page::HtmlPage::new("page")
        .script(&nonce, "go()")
        .finish()
}

async fn own_policy() -> (palisade::csp::Csp, &'static str) {
    (palisade::csp!("default-src 'none'"), "strict")
}

async fn own_policy_with_a_nonce() -> (palisade::csp::Csp, &'static str) {
    (
        palisade::csp!("default-src 'none'; script-src 'nonce'"),
        "strict",
    )
}

/// A policy written as a header by hand: nothing checked it.
async fn raw_policy() -> ([(&'static str, &'static str); 1], &'static str) {
    (
        [("content-security-policy", "script-src 'unsafe-inline' *")],
        "canary-raw-policy",
    )
}

/// HTML built by hand, reflecting what the request said.
async fn raw_html() -> ([(&'static str, &'static str); 1], &'static str) {
    (
        [("content-type", "Text/HTML; charset=utf-8")],
        "<script>canary-raw-html</script>",
    )
}

/// The same through axum's own `Html` and as SVG.
async fn axum_html() -> axum::response::Html<&'static str> {
    axum::response::Html("<p>canary-axum-html</p>")
}

async fn raw_svg() -> ([(&'static str, &'static str); 1], &'static str) {
    (
        [("content-type", "image/svg+xml")],
        "<svg onload=\"canary()\"></svg>",
    )
}

/// Types a browser renders or sniffs as a document, in other spellings.
async fn raw_xml_kinds(
    axum::extract::Path(kind): axum::extract::Path<u8>,
) -> ([(&'static str, &'static str); 1], &'static str) {
    let content_type = match kind {
        0 => "application/rss+xml",
        1 => "text/plain, text/html",
        2 => "*/*",
        3 => "text/xsl",
        _ => "texthtml",
    };
    (
        [("content-type", content_type)],
        "<x:script xmlns:x=\"http://www.w3.org/1999/xhtml\">canary()</x:script>",
    )
}

#[tokio::test]
async fn each_response_gets_a_fresh_nonce_that_its_handler_sees() {
    logs();
    let policy = palisade::csp!("default-src 'self'; script-src 'self' 'nonce'; object-src 'none'");
    let router = Router::new()
        .route("/page", get(page))
        .route("/own", get(own_policy))
        .route("/own-nonce", get(own_policy_with_a_nonce));
    let app = SecureDefaults::new().csp(policy).apply(router);
    let address = support::serve(app).await;

    let mut seen = Vec::new();
    for _ in 0..2 {
        let response = reqwest::get(format!("http://{address}/page"))
            .await
            .unwrap();
        let policy = header(&response, "content-security-policy")
            .unwrap()
            .to_owned();
        let body = response.text().await.unwrap();
        let nonce = body
            .split_once("<script nonce=\"")
            .and_then(|(_, rest)| rest.split('"').next())
            .unwrap()
            .to_owned();
        assert_eq!(nonce.len(), 32);
        assert_eq!(
            policy,
            format!(
                "default-src 'self'; script-src 'self' 'nonce-{nonce}'; object-src 'none'; base-uri 'self'"
            )
        );
        seen.push(nonce);
    }
    assert_ne!(seen[0], seen[1], "a nonce is used once");

    // A handler that gives its response a policy of its own, as a `Csp`, has it sent, with the
    // request's nonce where it asks for one.
    let response = reqwest::get(format!("http://{address}/own")).await.unwrap();
    assert_eq!(
        header(&response, "content-security-policy"),
        Some("default-src 'none'; base-uri 'self'")
    );
    let response = reqwest::get(format!("http://{address}/own-nonce"))
        .await
        .unwrap();
    let own = header(&response, "content-security-policy").unwrap();
    assert!(
        own.starts_with("default-src 'none'; script-src 'nonce-") && !own.contains("'nonce'"),
        "{own}"
    );
}

#[tokio::test]
async fn a_response_policy_with_a_nonce_gets_one_under_a_stack_policy_without() {
    logs();
    // The default policy has no nonce, so none is made per request; the response's own
    // `'nonce'` still becomes a valid, fresh nonce (one that nothing on the page carries), never
    // the placeholder.
    let router = Router::new().route("/own-nonce", get(own_policy_with_a_nonce));
    let address = support::serve(SecureDefaults::new().apply(router)).await;
    let client = reqwest::Client::new();
    let answers = get_all_at_once(&client, address, ["/own-nonce", "/own-nonce"]).await;
    let mut nonces = Vec::new();
    for (_, status, _, policy, _) in &answers {
        assert_eq!(*status, 200);
        let own = policy.as_deref().unwrap();
        let nonce = own
            .strip_prefix("default-src 'none'; script-src 'nonce-")
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("no nonce in {own}"));
        assert!(nonce.len() >= 22 && !own.contains("'nonce'"), "{own}");
        nonces.push(nonce.to_owned());
    }
    assert_ne!(nonces[0], nonces[1], "a nonce is used once");
}

#[tokio::test]
async fn policies_and_markup_that_palisade_did_not_check_are_refused() {
    let logs = logs();
    let router = Router::new()
        .route("/raw-policy", get(raw_policy))
        .route("/raw-html", get(raw_html))
        .route("/axum-html", get(axum_html))
        .route("/raw-svg", get(raw_svg))
        .route("/raw-xml/{kind}", get(raw_xml_kinds));
    let address = support::serve(SecureDefaults::new().apply(router)).await;
    let client = reqwest::Client::new();
    let answers = get_all_at_once(
        &client,
        address,
        [
            "/raw-policy",
            "/raw-html",
            "/axum-html",
            "/raw-svg",
            "/raw-xml/0",
            "/raw-xml/1",
            "/raw-xml/2",
            "/raw-xml/3",
            "/raw-xml/4",
        ],
    )
    .await;
    for (path, status, content_type, policy, body) in answers {
        assert_eq!(status, 500, "{path}");
        assert_eq!(
            content_type.as_deref(),
            Some("application/problem+json"),
            "{path}"
        );
        // The stack's own policy, not the handler's.
        assert!(!policy.unwrap().contains("unsafe-inline"), "{path}");
        assert!(!body.contains("canary"), "{path}: {body}");
        let problem: serde_json::Value = serde_json::from_str(&body).unwrap();
        let incident = problem["incident"].as_str().unwrap().to_owned();
        let logged = logs.text();
        assert!(
            logged
                .lines()
                .any(|line| line.contains(&incident) && line.contains("unchecked_markup")),
            "{path}: {incident} not logged"
        );
    }
}

/// Every path requested at once; each answer's path, status, content type, policy and body.
async fn get_all_at_once<const N: usize>(
    client: &reqwest::Client,
    address: std::net::SocketAddr,
    paths: [&'static str; N],
) -> Vec<(&'static str, u16, Option<String>, Option<String>, String)> {
    let mut tasks = Vec::new();
    for path in paths {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let response = client
                .get(format!("http://{address}{path}"))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let content_type = header(&response, "content-type").map(str::to_owned);
            let policy = header(&response, "content-security-policy").map(str::to_owned);
            (
                path,
                status,
                content_type,
                policy,
                response.text().await.unwrap(),
            )
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

#[test]
fn policies_written_at_run_time_meet_the_same_grammar() {
    use palisade::csp::{Allow, Csp};
    for good in [
        "default-src 'self'",
        "script-src 'self' 'nonce' 'strict-dynamic' https: ; object-src 'none'",
        "img-src data: blob: https://*.example.com:* http://localhost:8080/a/b",
        "sandbox allow-scripts; report-to main",
    ] {
        assert!(Csp::parse(good, Allow::default()).is_ok(), "{good}");
    }
    for bad in [
        "",
        "default-src",
        "default-src 'self', script-src 'self'",
        "script-src 'unsafe-inline'",
        "script-src 'unsafe-hashes'",
        "script-src 'unsafe-eval'",
        "script-src 'nonce-fixed'",
        "script-src 'sha1-abc'",
        "script-src 'slef'",
        "img-src https://exa_mple.com",
        "img-src http://-bad.example",
        "frame-ancestors 'nonce'",
        "upgrade-insecure-requests now",
        "sandbox allow-everything",
        "navigate-to 'self'",
        "default-src 'self'\u{7}; img-src *",
        "default-src 'sélf'",
    ] {
        assert!(Csp::parse(bad, Allow::default()).is_err(), "{bad:?}");
    }
    let opted = Allow {
        unsafe_inline: true,
        unsafe_eval: false,
    };
    assert!(Csp::parse("style-src 'unsafe-inline'", opted).is_ok());
    assert!(Csp::parse("script-src 'unsafe-eval'", opted).is_err());
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = serve(SecureDefaults::new().body_read_timeout(Duration::from_millis(200))).await;
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"a\"")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    assert!(
        read.is_ok(),
        "the server answered before the client gave up"
    );
    let answer = String::from_utf8_lossy(&answer);
    // axum sees an unreadable body: answered 400, as a problem.
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
}

#[tokio::test]
async fn error_answers_keep_their_cors_headers() {
    let cors = palisade::layers::Cors::allow_origins(["https://app.example.com"]).unwrap();
    let address = serve(SecureDefaults::new().cors(cors)).await;
    let response = reqwest::Client::new()
        .post(format!("http://{address}/echo"))
        .header("origin", "https://app.example.com")
        .header("content-type", "application/json")
        .body("{broken")
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&response, "access-control-allow-origin"),
        Some("https://app.example.com")
    );
    assert_eq!(
        header(&response, "access-control-expose-headers"),
        Some("x-request-id")
    );
    let (status, _) = problem(response).await;
    assert_eq!(status, 400);
}

#[test]
fn script_sources_that_match_any_host_are_refused_and_keywords_are_normalized() {
    use palisade::csp::{Allow, Csp};
    for bad in [
        "script-src *",
        "script-src data:",
        "default-src https:",
        "object-src *",
        "base-uri http:",
    ] {
        assert!(Csp::parse(bad, Allow::default()).is_err(), "{bad}");
    }
    assert!(
        Csp::parse(
            "script-src 'nonce' 'strict-dynamic' https:",
            Allow::default()
        )
        .is_ok()
    );
    assert!(Csp::parse("img-src https: data:", Allow::default()).is_ok());
    let upper = Csp::parse("script-src 'SELF' 'NONCE' 'sha256-AbC='", Allow::default()).unwrap();
    assert_eq!(
        upper.as_str(),
        "script-src 'self' 'nonce' 'sha256-AbC='; object-src 'none'; base-uri 'self'"
    );
    assert!(upper.has_nonce());
}
