//! `#[requires_auth]` over real HTTP on loopback, with real tokens: authentication, role,
//! scope and combinator rules, 401 and 403 problems, and the audit events.

mod canary;
mod support;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use base64::Engine as _;
use palisade::auth::{Auth, Principal, ProvidesAuth};
use palisade::jwt::{Algorithm, JwtSettings, now};
use palisade::{Router, Valid, requires_auth};
use serde_json::{Value, json};

use palisade_testkit::jwt::{AUDIENCE, ISSUER};

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef-auth";

#[derive(Clone, Debug, PartialEq)]
enum Role {
    Reader,
    Admin,
    Banned,
}

#[derive(Clone, Debug)]
struct User {
    id: String,
    roles: Vec<Role>,
    scopes: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Claims {
    sub: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    scope: String,
}

impl Principal for User {
    type Claims = Claims;
    type Role = Role;

    fn from_claims(claims: Claims) -> Option<Self> {
        let roles = claims
            .roles
            .iter()
            .map(|role| match role.as_str() {
                "reader" => Some(Role::Reader),
                "admin" => Some(Role::Admin),
                "banned" => Some(Role::Banned),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(User {
            id: claims.sub,
            roles,
            scopes: claims.scope.split_whitespace().map(str::to_owned).collect(),
        })
    }

    fn subject(&self) -> &str {
        &self.id
    }

    fn has_role(&self, role: &Role) -> bool {
        self.roles.contains(role)
    }

    fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

#[derive(Clone)]
struct AppState {
    jwt: Arc<JwtSettings>,
    /// The stored notes' owners, by note id: what an async policy looks up.
    owners: Arc<HashMap<u64, &'static str>>,
}

impl ProvidesAuth for AppState {
    fn jwt_settings(&self) -> Option<&JwtSettings> {
        Some(&self.jwt)
    }
}

#[requires_auth(User)]
async fn me(user: Auth<User>) -> String {
    user.0.id.clone()
}

#[requires_auth(User, role = Role::Admin)]
async fn admin() -> &'static str {
    "admin area"
}

#[requires_auth(User, any(role = Role::Admin, scope = "notes:write"))]
async fn write() -> &'static str {
    "written"
}

#[derive(Debug, serde::Deserialize, palisade::Sanitized)]
struct NoteId {
    #[validate(range(min = 1, max = 1000))]
    id: u64,
}

/// Ada owns the even notes.
fn owns_note(user: &User, note: &Valid<Path<NoteId>>) -> bool {
    user.id == "ada" && note.id.is_multiple_of(2)
}

#[requires_auth(User, role = Role::Reader, policy = owns_note(note))]
async fn show_note(note: Valid<Path<NoteId>>) -> String {
    format!("note {}", note.id)
}

#[requires_auth(User, policy = owns_note(note), deny = 403)]
async fn delete_note(note: Valid<Path<NoteId>>) -> String {
    format!("deleted {}", note.id)
}

#[derive(Debug, serde::Deserialize, palisade::Sanitized)]
struct Edit {
    #[validate(length(min = 1, max = 200))]
    title: String,
}

/// An async policy, given the state and the validated id: the store says who owns the note.
async fn owns_stored(user: &User, state: &State<AppState>, note: &Valid<Path<NoteId>>) -> bool {
    tokio::task::yield_now().await;
    state
        .owners
        .get(&note.id)
        .is_some_and(|owner| *owner == user.id)
}

#[requires_auth(User, policy = owns_stored(state, note).await)]
async fn edit_note(
    state: State<AppState>,
    note: Valid<Path<NoteId>>,
    edit: Valid<Json<Edit>>,
) -> String {
    format!(
        "{}'s note {} is now {}",
        state.owners[&note.id], note.id, edit.title
    )
}

/// The account's own user may change it.
fn account_is_yours(user: &User, account: &Valid<Json<canary::Account>>) -> bool {
    account.display_name == user.id
}

#[requires_auth(User, policy = account_is_yours(account))]
async fn update_account(account: Valid<Json<canary::Account>>) -> String {
    account.display_name.clone()
}

#[requires_auth(User, all(role = Role::Reader, not(role = Role::Banned)))]
async fn read() -> &'static str {
    "read"
}

fn settings() -> JwtSettings {
    palisade_testkit::jwt::hs256_settings(SECRET)
}

fn token(sub: &str, roles: &[&str], scope: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut claims = json!({
        "sub": sub, "roles": roles, "scope": scope,
        "iss": ISSUER, "aud": AUDIENCE, "exp": now() + 600,
    });
    change(&mut claims);
    let header = jsonwebtoken::Header {
        kid: Some("k1".into()),
        ..jsonwebtoken::Header::new(Algorithm::HS256)
    };
    jsonwebtoken::encode(
        &header,
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET),
    )
    .unwrap()
}

async fn serve() -> SocketAddr {
    serve_with(settings()).await
}

async fn serve_with(jwt: JwtSettings) -> SocketAddr {
    support::global_logs();
    let app = Router::new()
        .get("/me", me)
        .get("/admin", admin)
        .post("/write", write)
        .get("/read", read)
        .get("/notes/{id}", show_note)
        .delete("/notes/{id}", delete_note)
        .put("/notes/{id}", edit_note)
        .put("/account", update_account)
        .with_state(AppState {
            jwt: Arc::new(jwt),
            owners: Arc::new(HashMap::from([(10, "ada"), (11, "bob")])),
        })
        .into_make_service();
    support::serve(app).await
}

async fn call(
    address: SocketAddr,
    method: reqwest::Method,
    path: &str,
    bearer: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let mut request = reqwest::Client::new().request(method, format!("http://{address}{path}"));
    if let Some(token) = bearer {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

#[tokio::test]
async fn valid_tokens_reach_the_handler_with_their_principal() {
    let address = serve().await;
    let reader = token("ada", &["reader"], "", |_| {});
    let (status, _, body) = call(address, reqwest::Method::GET, "/me", Some(&reader)).await;
    assert_eq!((status, body.as_str()), (200, "ada"));
}

#[tokio::test]
async fn bad_tokens_are_401_with_a_challenge() {
    let address = serve().await;
    let mut attacks: Vec<(&str, String)> = vec![
        (
            "expired",
            token("ada", &["reader"], "", |c| c["exp"] = json!(now() - 120)),
        ),
        (
            "not yet valid",
            token("ada", &["reader"], "", |c| c["nbf"] = json!(now() + 600)),
        ),
        (
            "wrong issuer",
            token("ada", &["reader"], "", |c| {
                c["iss"] = json!("https://evil.example");
            }),
        ),
        (
            "wrong audience",
            token("ada", &["reader"], "", |c| c["aud"] = json!("other")),
        ),
        (
            "missing exp",
            token("ada", &["reader"], "", |c| {
                c.as_object_mut().unwrap().remove("exp");
            }),
        ),
        ("unknown role", token("ada", &["root"], "", |_| {})),
    ];
    let valid = token("ada", &["reader"], "", |_| {});
    let (head, rest) = valid.split_once('.').unwrap();
    let (_, signature) = rest.split_once('.').unwrap();
    let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(
        json!({"sub": "ada", "roles": ["admin"], "iss": ISSUER, "aud": AUDIENCE, "exp": now() + 600}).to_string(),
    );
    attacks.push(("tampered payload", format!("{head}.{forged}.{signature}")));
    let none_header =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"alg":"none","kid":"k1"}"#);
    attacks.push(("alg none", format!("{none_header}.{forged}.")));
    // A kid that tries to name a file or a query: only configured kids exist.
    let kids: Vec<String> = ["traversal/directory_traversal.txt", "sqli/Auth_Bypass.txt"]
        .into_iter()
        .flat_map(palisade_testkit::corpus::file_payloads)
        .map(|payload| payload.text)
        .collect();
    assert!(kids.len() > 100, "the lists are read");
    for kid in kids {
        let header = jsonwebtoken::Header {
            kid: Some(kid),
            ..jsonwebtoken::Header::new(Algorithm::HS256)
        };
        let claims = json!({"sub": "ada", "roles": ["reader"], "iss": ISSUER, "aud": AUDIENCE, "exp": now() + 600});
        attacks.push((
            "hostile kid",
            jsonwebtoken::encode(
                &header,
                &claims,
                &jsonwebtoken::EncodingKey::from_secret(SECRET),
            )
            .unwrap(),
        ));
    }
    for (name, bad) in &attacks {
        let (status, headers, body) = call(address, reqwest::Method::GET, "/me", Some(bad)).await;
        assert_eq!(status, 401, "{name}");
        assert_eq!(
            headers.get("www-authenticate").unwrap(),
            "Bearer realm=\"api\", error=\"invalid_token\"",
            "{name}"
        );
        let problem: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(problem["code"], "unauthenticated", "{name}");
    }
    // No token, or a token in the query string, which is never read.
    let (status, headers, _) = call(
        address,
        reqwest::Method::GET,
        &format!("/me?access_token={valid}"),
        None,
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(
        headers.get("www-authenticate").unwrap(),
        "Bearer realm=\"api\""
    );
}

#[tokio::test]
async fn rules_allow_and_deny() {
    let address = serve().await;
    let reader_token = token("ada", &["reader"], "", |_| {});
    let admin_token = token("root", &["admin"], "", |_| {});
    let writer_token = token("bob", &["reader"], "notes:write", |_| {});
    let banned_token = token("eve", &["reader", "banned"], "", |_| {});
    let cases = [
        (reqwest::Method::GET, "/admin", &reader_token, 403),
        (reqwest::Method::GET, "/admin", &admin_token, 200),
        (reqwest::Method::POST, "/write", &reader_token, 403),
        (reqwest::Method::POST, "/write", &writer_token, 200),
        (reqwest::Method::POST, "/write", &admin_token, 200),
        (reqwest::Method::GET, "/read", &reader_token, 200),
        (reqwest::Method::GET, "/read", &banned_token, 403),
        (reqwest::Method::GET, "/read", &admin_token, 403),
    ];
    for (method, path, bearer, expected) in cases {
        let (status, _, body) = call(address, method.clone(), path, Some(bearer)).await;
        assert_eq!(status, expected, "{method} {path}: {body}");
        if expected == 403 {
            let problem: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(problem["code"], "forbidden");
        }
    }
}

#[tokio::test]
async fn every_call_is_audited_field_by_field() {
    let address = serve().await;
    let admin_token = token("audited-root", &["admin"], "", |_| {});
    let reader_token = token("audited-ada", &["reader"], "", |_| {});
    let client = reqwest::Client::new();
    for (bearer, id) in [
        (Some(&admin_token), "audit-1"),
        (Some(&reader_token), "audit-2"),
        (None, "audit-3"),
    ] {
        let mut request = client
            .get(format!("http://{address}/admin"))
            .header("x-request-id", id);
        if let Some(token) = bearer {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        request.send().await.unwrap();
    }
    let log = support::global_logs().text();
    let event = |id: &str| {
        log.lines()
            .find(|line| {
                line.contains("palisade::audit") && line.contains(&format!("request_id=\"{id}\""))
            })
            .unwrap_or_else(|| panic!("no audit event for {id}:\n{log}"))
            .to_owned()
    };
    let allowed = event("audit-1");
    for field in [
        "subject=\"audited-root\"",
        "handler=\"admin\"",
        "route=\"/admin\"",
        "outcome=\"allowed\"",
        "rule=\"role = Role::Admin\"",
    ] {
        assert!(allowed.contains(field), "{field} in {allowed}");
    }
    let denied = event("audit-2");
    assert!(
        denied.contains("subject=\"audited-ada\"") && denied.contains("outcome=\"denied\""),
        "{denied}"
    );
    let missing = event("audit-3");
    assert!(
        missing.contains("outcome=\"unauthenticated\"")
            && missing.contains("reason=\"missing_credentials\""),
        "{missing}"
    );
    // The token never reaches the log.
    assert!(!log.contains(&admin_token) && !log.contains(&reader_token));
}

#[tokio::test]
async fn hs256_signed_with_the_rs256_public_key_is_401() {
    let jwk: Value = serde_json::from_str(&palisade_testkit::corpus::text(
        "jose-cookbook/jwk/3_3.rsa_public_key.json",
    ))
    .unwrap();
    let kid = jwk["kid"].as_str().unwrap();
    let key: jsonwebtoken::jwk::Jwk = serde_json::from_value(jwk.clone()).unwrap();
    let rsa = JwtSettings::builder()
        .keys(
            Algorithm::RS256,
            [(
                kid.to_owned(),
                jsonwebtoken::DecodingKey::from_jwk(&key).unwrap(),
            )],
        )
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .build()
        .unwrap();
    let address = serve_with(rsa).await;
    let claims = json!({"sub": "ada", "roles": ["admin"], "iss": ISSUER, "aud": AUDIENCE, "exp": now() + 600});
    // The attacker knows the public key and uses its bytes, in each form it is published in,
    // as an HMAC secret.
    for public_bytes in [
        jwk.to_string().into_bytes(),
        jwk["n"].as_str().unwrap().as_bytes().to_vec(),
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(jwk["n"].as_str().unwrap())
            .unwrap(),
    ] {
        let header = jsonwebtoken::Header {
            kid: Some(kid.to_owned()),
            ..jsonwebtoken::Header::new(Algorithm::HS256)
        };
        let forged = jsonwebtoken::encode(
            &header,
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(&public_bytes),
        )
        .unwrap();
        let (status, headers, _) = call(address, reqwest::Method::GET, "/me", Some(&forged)).await;
        assert_eq!(status, 401);
        assert_eq!(
            headers.get("www-authenticate").unwrap(),
            "Bearer realm=\"api\", error=\"invalid_token\""
        );
    }
}

#[tokio::test]
async fn object_policies_hide_what_is_not_yours() {
    let address = serve().await;
    let ada = token("ada", &["reader"], "", |_| {});
    let bob = token("bob", &["reader"], "", |_| {});
    let cases = [
        (reqwest::Method::GET, "/notes/2", &ada, 200),
        (reqwest::Method::GET, "/notes/3", &ada, 404),
        (reqwest::Method::GET, "/notes/2", &bob, 404),
        (reqwest::Method::DELETE, "/notes/2", &ada, 200),
        (reqwest::Method::DELETE, "/notes/3", &ada, 403),
        // Validation answers before the policy sees a bad id.
        (reqwest::Method::GET, "/notes/0", &ada, 422),
    ];
    for (method, path, bearer, expected) in cases {
        let (status, _, body) = call(address, method.clone(), path, Some(bearer)).await;
        assert_eq!(status, expected, "{method} {path}: {body}");
    }
    // One audit event per call, with the policy's answer.
    let request = reqwest::Client::new()
        .get(format!("http://{address}/notes/4"))
        .header("authorization", format!("Bearer {bob}"))
        .header("x-request-id", "policy-audit-1");
    assert_eq!(request.send().await.unwrap().status(), 404);
    let log = support::global_logs().text();
    let events: Vec<&str> = log
        .lines()
        .filter(|line| {
            line.contains("palisade::audit") && line.contains("request_id=\"policy-audit-1\"")
        })
        .collect();
    assert_eq!(events.len(), 1, "{events:#?}");
    assert!(
        events[0].contains("outcome=\"denied\"") && events[0].contains("reason=\"policy\""),
        "{}",
        events[0]
    );
    assert!(
        events[0].contains("rule=\"role = Role::Reader\""),
        "{}",
        events[0]
    );
    // The policy's argument is the event's resource.
    assert!(
        events[0].contains("resource=\"NoteId { id: 4 }\""),
        "{}",
        events[0]
    );
}

#[tokio::test]
async fn async_policies_see_the_state_and_several_arguments() {
    let address = serve().await;
    let ada = token("ada", &["reader"], "", |_| {});
    let client = reqwest::Client::new();
    let edit = |path: &str, bearer: &str, request_id: &str| {
        client
            .put(format!("http://{address}{path}"))
            .header("authorization", format!("Bearer {bearer}"))
            .header("x-request-id", request_id)
            .json(&json!({"title": "groceries"}))
            .send()
    };
    let response = edit("/notes/10", &ada, "async-policy-1").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.text().await.unwrap(),
        "ada's note 10 is now groceries"
    );
    // Bob's note, and a note the store does not have, answer alike.
    for path in ["/notes/11", "/notes/12"] {
        let response = edit(path, &ada, "async-policy-2").await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
    let log = support::global_logs().text();
    let allowed = log
        .lines()
        .find(|line| line.contains("palisade::audit") && line.contains("async-policy-1"))
        .expect("the call is audited");
    for field in [
        "handler=\"edit_note\"",
        "outcome=\"allowed\"",
        "reason=\"policy\"",
        // The state is no resource; the id is.
        "resource=\"NoteId { id: 10 }\"",
    ] {
        assert!(allowed.contains(field), "{field} in {allowed}");
    }
}

#[tokio::test]
async fn audit_resources_are_redacted() {
    // The canary suite's rule for audit resources: a policy's argument shows masked.
    let address = serve().await;
    let fixture = canary::Fixture::new();
    let client = reqwest::Client::new();
    for (subject, request_id, expected) in [
        ("ada", "canary-resource-1", 200),
        ("bob", "canary-resource-2", 404),
    ] {
        let response = client
            .put(format!("http://{address}/account"))
            .header(
                "authorization",
                format!("Bearer {}", token(subject, &[], "", |_| {})),
            )
            .header("x-request-id", request_id)
            .json(&fixture.json())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected, "{subject}");
    }
    let log = support::global_logs().text();
    for request_id in ["canary-resource-1", "canary-resource-2"] {
        let event = log
            .lines()
            .find(|line| line.contains("palisade::audit") && line.contains(request_id))
            .expect("the call is audited");
        assert!(event.contains("resource=\"Account { "), "{event}");
        // Cut at 128 bytes: the first masks show, no canary does.
        let findings = fixture.check("audit resource", event, &["[REDACTED]", "****0000"]);
        assert!(findings.is_empty(), "{findings:#?}");
    }
    let findings = fixture.check("the whole log", &log, &[]);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[tokio::test]
async fn audit_events_carry_no_claim_but_the_subject() {
    // The canary suite's rule for audit events: nothing of the token but its subject.
    let address = serve().await;
    let canary = "canary-audit-claim-5f2e";
    let bearer = token("carol", &["reader"], "", |claims| {
        claims["email"] = json!(format!("{canary}@example.com"));
    });
    let request = reqwest::Client::new()
        .get(format!("http://{address}/me"))
        .header("authorization", format!("Bearer {bearer}"))
        .header("x-request-id", "canary-audit-1");
    assert_eq!(request.send().await.unwrap().status(), 200);
    let log = support::global_logs().text();
    let event = log
        .lines()
        .find(|line| line.contains("palisade::audit") && line.contains("canary-audit-1"))
        .expect("the call is audited");
    assert!(event.contains("subject=\"carol\""), "{event}");
    assert!(!log.contains(canary) && !log.contains(&bearer));
}
