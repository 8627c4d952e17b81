//! G4: a secret marked once never leaks, by any channel. Each test pushes the canary account
//! of `canary/mod.rs` through one channel.

mod canary;
mod support;

use axum::extract::Path;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use canary::{Account, Fixture, MASKS};
use palisade::{PublicError, Redact, Sanitized, Valid};
use support::Captured;

fn assert_clean(findings: &[String]) {
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

#[test]
fn the_fixture_holds_its_canaries() {
    // The suite would prove nothing if the canaries were not in the value.
    let fixture = Fixture::new();
    let raw = fixture.json().to_string();
    for canary in fixture.canaries() {
        assert!(
            raw.contains(canary.as_str()),
            "{canary} is not in the fixture"
        );
    }
    assert_eq!(fixture.canaries().len(), 14);
}

#[test]
fn the_check_finds_a_leak() {
    // A channel that ignored the marks would be caught: the raw value shows every canary.
    let fixture = Fixture::new();
    let raw = fixture.json().to_string();
    let findings = fixture.check("raw", &raw, MASKS);
    let shown = findings.iter().filter(|f| f.contains("shown")).count();
    assert_eq!(shown, fixture.canaries().len());
    assert!(
        findings
            .iter()
            .any(|f| f.contains("mask \"[REDACTED]\" missing"))
    );
    // So would a mask that showed a piece of one, at either end.
    let canary = &fixture.canaries()[3];
    for piece in [
        format!("{}****0000", &canary[..10]),
        format!("****{}", &canary[9..]),
    ] {
        assert!(
            !fixture.check("piece", &piece, &[]).is_empty(),
            "{piece} passed"
        );
    }
}

#[test]
fn debug_compact_and_pretty() {
    let fixture = Fixture::new();
    let account = &fixture.account;
    let mut findings = fixture.check("Debug {:?}", &format!("{account:?}"), MASKS);
    findings.extend(fixture.check("Debug {:#?}", &format!("{account:#?}"), MASKS));
    // Nested values are masked by their own type.
    findings.extend(fixture.check(
        "Debug nested",
        &format!("{:?}", account.previous),
        &["[REDACTED]"],
    ));
    assert_clean(&findings);
}

#[test]
fn display() {
    let fixture = Fixture::new();
    let shown = fixture.account.to_string();
    assert_clean(&fixture.check("Display", &shown, MASKS));
    assert!(
        shown.starts_with("ada: [REDACTED] ****0000 c***@example.com Some(********) [fp:"),
        "{shown}"
    );
    assert!(
        shown.ends_with(r#"Profile { city: "london", ssn: [REDACTED] } [REDACTED]"#),
        "{shown}"
    );
}

#[test]
fn serde_json() {
    let fixture = Fixture::new();
    let json = serde_json::to_string(&fixture.account).unwrap();
    let pretty = serde_json::to_string_pretty(&fixture.account).unwrap();
    let mut findings = fixture.check("serde_json", &json, MASKS);
    findings.extend(fixture.check("serde_json pretty", &pretty, MASKS));
    assert_clean(&findings);
}

#[test]
fn tracing_events_at_every_level() {
    let fixture = Fixture::new();
    let captured = Captured::default();
    let account = &fixture.account;
    tracing::subscriber::with_default(captured.subscriber(), || {
        tracing::trace!(account = ?account, "trace");
        tracing::debug!(account = %account, "debug");
        tracing::info!(?account, "info");
        tracing::warn!(%account, "warn");
        tracing::error!("error {account:?} {account}");
        let span = tracing::info_span!("request", account = ?account);
        let _entered = span.enter();
        tracing::info!(profile = ?account.profile, token = ?account.api_token, "inside a span");
    });
    let log = captured.text();
    for level in ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] {
        assert!(log.contains(level), "no {level} event captured:\n{log}");
    }
    assert_clean(&fixture.check("tracing", &log, MASKS));
}

fn refuse(account: Account) -> Result<(), Box<Account>> {
    Err(Box::new(account))
}

#[test]
fn panic_messages() {
    let fixture = Fixture::new();
    let message = |payload: Box<dyn std::any::Any + Send>| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(ToString::to_string))
            .unwrap_or_default()
    };
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let account = fixture.account.clone();
    let formatted = std::panic::catch_unwind(|| panic!("bad account {account:?}")).unwrap_err();
    let account = fixture.account.clone();
    let unwrapped = std::panic::catch_unwind(|| refuse(account).unwrap()).unwrap_err();
    std::panic::set_hook(previous);
    let (formatted, unwrapped) = (message(formatted), message(unwrapped));
    assert!(
        formatted.starts_with("bad account Account {"),
        "{formatted}"
    );
    assert!(
        unwrapped.starts_with("called `Result::unwrap()` on an `Err` value: Account {"),
        "{unwrapped}"
    );
    let mut findings = fixture.check("panic!", &formatted, MASKS);
    findings.extend(fixture.check("unwrap on Err", &unwrapped, MASKS));
    assert_clean(&findings);
}

async fn create(account: Valid<Json<Account>>) -> String {
    account.display_name.clone()
}

#[tokio::test]
async fn failing_validation_answered_over_http() {
    let fixture = Fixture::new();
    let app = Router::new().route("/accounts", post(create));
    let address = support::serve(app).await;
    let client = reqwest::Client::new();
    let url = format!("http://{address}/accounts");

    // Invalid: the name breaks its pattern, and the redacted fields are too long, so that
    // their rules fail too.
    let mut body = fixture.json();
    body["displayName"] = "Not Valid!".into();
    for key in ["password", "cardNumber", "email"] {
        let long = format!("{}{}", body[key].as_str().unwrap(), "9".repeat(300));
        body[key] = long.into();
    }
    let response = client.post(&url).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 422);
    let answer = response.text().await.unwrap();
    assert!(answer.contains("cardNumber"), "{answer}");
    // An error response shows no value, masked or not.
    assert_clean(&fixture.check("422 response", &answer, &[]));

    // Malformed: a canary in a body that does not parse is not echoed either.
    let broken = format!("{{\"password\": \"{}\", ", fixture.canaries()[0]);
    let response = client
        .post(&url)
        .header("content-type", "application/json")
        .body(broken)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let answer = response.text().await.unwrap();
    assert_clean(&fixture.check("400 response", &answer, &[]));

    // Valid: the handler runs.
    let response = client
        .post(&url)
        .json(&fixture.json())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ada");
}

#[test]
fn validation_errors_show_no_value() {
    // Every field that fails holds a canary (or a piece of one), shown or redacted alike.
    let fixture = Fixture::new();
    let mut account = fixture.account.clone();
    let canary = &fixture.canaries()[0];
    account.display_name = format!("Not {canary}!");
    account.password = format!("{canary}{}", "9".repeat(200));
    account.card_number = format!("{canary}{}", "9".repeat(200));
    account
        .device_tokens
        .push(format!("{canary}{}", "9".repeat(200)));
    let errors = account.sanitize_and_validate().unwrap_err();
    let paths: Vec<&str> = errors
        .iter()
        .map(palisade::validate::ValidationError::path)
        .collect();
    assert_eq!(
        paths,
        ["displayName", "password", "cardNumber", "deviceTokens[2]"]
    );
    let rendered = format!(
        "{errors} {errors:?} {}",
        serde_json::to_string(&errors).unwrap()
    );
    assert_clean(&fixture.check("ValidationErrors", &rendered, &[]));
}

/// An error that carries the canary account, as an error might carry its input.
#[derive(Redact, PublicError)]
enum AccountError {
    #[problem(status = 409, message = "the account exists")]
    Exists { account: Box<Account> },
    #[problem(status = 500)]
    Failed { account: Box<Account> },
}

async fn refuse_account(Path(id): Path<u32>) -> Result<String, AccountError> {
    let account = Box::new(Fixture::new().account);
    Err(if id == 409 {
        AccountError::Exists { account }
    } else {
        AccountError::Failed { account }
    })
}

#[test]
fn error_responses_and_their_logs() {
    let fixture = Fixture::new();
    let mut findings = Vec::new();
    for error in [
        AccountError::Exists {
            account: Box::new(fixture.account.clone()),
        },
        AccountError::Failed {
            account: Box::new(fixture.account.clone()),
        },
    ] {
        let captured = Captured::default();
        let response =
            tracing::subscriber::with_default(captured.subscriber(), || error.into_response());
        let status = response.status().as_u16();
        let body = response_text(response);
        let log = captured.text();
        findings.extend(fixture.check(&format!("{status} response"), &body, &[]));
        // The log holds the whole variant, through its masks.
        findings.extend(fixture.check(&format!("{status} log"), &log, MASKS));
    }
    assert_clean(&findings);
}

/// The body of an in-process response.
fn response_text(response: axum::response::Response) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let bytes = runtime
        .block_on(axum::body::to_bytes(response.into_body(), 64 * 1024))
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[tokio::test]
async fn error_responses_over_http() {
    let fixture = Fixture::new();
    let app = Router::new().route("/accounts/{id}", axum::routing::get(refuse_account));
    let address = support::serve(app).await;
    for (id, status) in [(409, 409), (500, 500)] {
        let response = reqwest::get(format!("http://{address}/accounts/{id}"))
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status);
        let body = response.text().await.unwrap();
        // Canaries of another fixture instance share the process marker: any piece shows.
        assert_clean(&fixture.check(&format!("{status} over HTTP"), &body, &[]));
    }
}
