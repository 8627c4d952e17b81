//! Error enums that decide what the client sees, and the return types a handler may have.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palisade::{Problem, PublicError, Redact, error::SafeResponse};

#[derive(Redact, PublicError)]
enum NoteError {
    #[problem(status = 404, message = "there is no such note")]
    NotFound,
    #[problem(status = 409, code = "title_taken", message = "a note titled {title} exists, {{sorry}}")]
    TitleTaken { title: String, #[redact] owner_email: String },
    #[problem(status = 400, message = "line {0} is too long", level = "debug")]
    TooLong(usize),
    #[problem(status = 403, message = "you may not do that")]
    Forbidden {
        #[redact(no, reason = "a count of tokens, not a token")]
        token_count: u32,
    },
    #[problem(status = 500)]
    Storage(#[from] std::io::Error),
    #[problem(status = 503, code = "busy", level = "warn")]
    Busy {
        #[source]
        cause: std::fmt::Error,
    },
}

fn handler_returns<R: SafeResponse>() {}

fn read() -> Result<u32, NoteError> {
    let text = std::fs::read_to_string("/nonexistent/palisade")?;
    Ok(u32::try_from(text.len()).unwrap_or(0))
}

fn main() {
    handler_returns::<Result<Json<Vec<u32>>, NoteError>>();
    handler_returns::<NoteError>();
    handler_returns::<Problem>();
    handler_returns::<StatusCode>();
    handler_returns::<(StatusCode, Json<u32>)>();
    handler_returns::<Result<Redirect, NoteError>>();
    handler_returns::<&'static str>();
    handler_returns::<()>();

    let conflict = NoteError::TitleTaken { title: "Groceries".into(), owner_email: "ada@example.com".into() };
    assert_eq!(conflict.public_message(), "a note titled Groceries exists, {sorry}");
    assert_eq!(conflict.to_string(), "a note titled Groceries exists, {sorry}");
    assert_eq!(NoteError::TooLong(7).public_message(), "line 7 is too long");
    assert_eq!(NoteError::TooLong(7).level(), palisade::error::Level::Debug);
    let storage = read().unwrap_err();
    assert_eq!((storage.status(), storage.code()), (500, "storage"));
    assert_eq!(storage.public_message(), palisade::error::SERVER_ERROR_DETAIL);
    assert!(std::error::Error::source(&storage).is_some());
    assert_eq!(storage.into_response().status(), 500);
    let busy = NoteError::Busy { cause: std::fmt::Error };
    assert_eq!((busy.code(), busy.level()), ("busy", palisade::error::Level::Warn));
    assert_eq!(NoteError::Forbidden { token_count: 2 }.to_string(), "you may not do that");
}
