//! `#[derive(PublicError)]` over real HTTP on loopback: what the client is told, and what the
//! log keeps under the incident id.

mod support;

use support::Captured;

use std::net::SocketAddr;

use axum::extract::Path;
use axum::routing::get;
use axum::{Json, Router};
use palisade::{PublicError, Redact, error::PROBLEM_JSON};
use serde_json::Value;

#[derive(Redact, PublicError)]
enum NoteError {
    #[problem(status = 404, message = "there is no such note")]
    NotFound,
    #[problem(
        status = 409,
        code = "title_taken",
        message = "a note titled {title} exists"
    )]
    TitleTaken {
        title: String,
        #[redact(email)]
        owner_email: String,
    },
    #[problem(status = 500)]
    Storage(#[from] std::io::Error),
    #[problem(status = 503, code = "busy", level = "warn")]
    Busy {
        #[redact]
        connection_string: String,
    },
    #[problem(status = 502, code = "upstream")]
    Upstream {
        #[source]
        #[redact]
        cause: std::io::Error,
    },
    #[problem(status = 500, code = "boxed")]
    Boxed(#[from] Box<dyn std::error::Error + Send + Sync>),
}

/// The note handler: every outcome of `NoteError`, chosen by the id.
async fn note(Path(id): Path<u32>) -> Result<Json<Value>, NoteError> {
    match id {
        1 => Ok(Json(serde_json::json!({"id": 1, "title": "Groceries"}))),
        2 => Err(NoteError::TitleTaken {
            title: "Groceries".into(),
            owner_email: "canary-owner@example.com".into(),
        }),
        3 => {
            // `?` turns the io error into the masked variant.
            std::fs::read_to_string("/nonexistent/canary-path/notes.db")?;
            unreachable!("the file does not exist")
        }
        4 => Err(NoteError::Busy {
            connection_string: "postgres://admin:canary-pw@10.0.0.5/notes".into(),
        }),
        5 => Err(NoteError::Upstream {
            cause: std::io::Error::other("upstream at postgres://admin:canary-src@10.0.0.6"),
        }),
        6 => {
            let boxed: Box<dyn std::error::Error + Send + Sync> = "boxed detail".into();
            Err(boxed)?
        }
        _ => Err(NoteError::NotFound),
    }
}

/// Every log line of this test binary.
fn logs() -> &'static Captured {
    support::global_logs()
}

fn log_text() -> String {
    logs().text()
}

async fn serve() -> SocketAddr {
    logs();
    let app = Router::new().route("/notes/{id}", get(note));
    support::serve(app).await
}

/// The status, the content type and the problem of `GET /notes/{id}`.
async fn get_note(address: SocketAddr, id: u32) -> (u16, String, Value) {
    let response = reqwest::get(format!("http://{address}/notes/{id}"))
        .await
        .unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body: Value = response.json().await.unwrap();
    (status, content_type, body)
}

#[tokio::test]
async fn client_errors_tell_their_code_and_public_message() {
    let address = serve().await;
    let (status, content_type, body) = get_note(address, 99).await;
    assert_eq!((status, content_type.as_str()), (404, PROBLEM_JSON));
    assert_eq!(
        body,
        serde_json::json!({
            "type": "about:blank",
            "title": "Not Found",
            "status": 404,
            "detail": "there is no such note",
            "code": "not_found",
        })
    );

    let (status, _, body) = get_note(address, 2).await;
    assert_eq!(status, 409);
    assert_eq!(body["code"], "title_taken");
    assert_eq!(body["detail"], "a note titled Groceries exists");
    assert!(body.get("incident").is_none());
    assert!(!body.to_string().contains("canary"), "{body}");

    let (status, _, body) = get_note(address, 1).await;
    assert_eq!((status, body["title"].as_str()), (200, Some("Groceries")));
}

#[tokio::test]
async fn server_errors_are_masked_and_logged_once_under_their_incident_id() {
    let address = serve().await;
    for (id, status, code) in [(3, 500, "storage"), (4, 503, "busy")] {
        let (answered, content_type, body) = get_note(address, id).await;
        assert_eq!((answered, content_type.as_str()), (status, PROBLEM_JSON));
        assert_eq!(body["code"], "internal_error");
        assert_eq!(body["detail"], palisade::error::SERVER_ERROR_DETAIL);
        let incident = body["incident"].as_str().unwrap().to_owned();
        assert_eq!(incident.len(), 32);
        // Nothing of the variant, its source or its fields reaches the client.
        let text = body.to_string();
        for internal in [
            "canary",
            "Storage",
            "Busy",
            code,
            "nonexistent",
            "No such file",
            "10.0.0.5",
        ] {
            assert!(!text.contains(internal), "{internal} in {text}");
        }
        // The log has the detail, once, under the same incident id, with the masks applied.
        let log = log_text();
        let lines: Vec<&str> = log
            .lines()
            .filter(|line| line.contains(&incident))
            .collect();
        assert_eq!(lines.len(), 1, "{log}");
        let line = lines[0];
        assert!(line.contains(&format!("code=\"{code}\"")), "{line}");
        assert!(line.contains(&format!("status={status}")), "{line}");
        if id == 3 {
            assert!(line.contains("ERROR"), "{line}");
            assert!(
                line.contains("No such file or directory"),
                "the source chain: {line}"
            );
            assert!(line.contains("Storage("), "the variant: {line}");
        } else {
            assert!(line.contains("WARN"), "{line}");
            assert!(line.contains("connection_string: [REDACTED]"), "{line}");
            assert!(!line.contains("canary-pw"), "{line}");
        }
    }
}

#[tokio::test]
async fn client_errors_are_logged_with_their_masks() {
    let address = serve().await;
    let (status, _, _) = get_note(address, 2).await;
    assert_eq!(status, 409);
    let log = log_text();
    let line = log
        .lines()
        .find(|line| line.contains("title_taken"))
        .expect("the 409 is logged");
    assert!(line.contains("INFO"), "{line}");
    assert!(line.contains("owner_email: c***@example.com"), "{line}");
    assert!(!line.contains("canary-owner"), "{line}");
}

#[tokio::test]
async fn a_redacted_source_stays_out_of_the_log_and_a_boxed_one_joins_it() {
    let address = serve().await;
    let (status, _, body) = get_note(address, 5).await;
    assert_eq!(status, 502);
    let incident = body["incident"].as_str().unwrap();
    let log = log_text();
    let line = log.lines().find(|line| line.contains(incident)).unwrap();
    assert!(line.contains("cause: [REDACTED]"), "{line}");
    assert!(!line.contains("canary-src"), "{line}");

    let (status, _, body) = get_note(address, 6).await;
    assert_eq!(status, 500);
    let incident = body["incident"].as_str().unwrap();
    let log = log_text();
    let line = log.lines().find(|line| line.contains(incident)).unwrap();
    assert!(line.contains("sources=\"boxed detail\""), "{line}");
}
