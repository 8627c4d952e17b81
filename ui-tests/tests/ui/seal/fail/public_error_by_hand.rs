//! `PublicError` written by hand could answer with an internal error's text.

use std::borrow::Cow;

use axum::response::{IntoResponse, Response};
use palisade::error::Level;

#[derive(Debug)]
struct Leaky(std::io::Error);

impl std::fmt::Display for Leaky {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Leaky {}

impl IntoResponse for Leaky {
    fn into_response(self) -> Response {
        (axum::http::StatusCode::INTERNAL_SERVER_ERROR, self.0.to_string()).into_response()
    }
}

impl palisade::PublicError for Leaky {
    fn status(&self) -> u16 {
        500
    }
    fn code(&self) -> &'static str {
        "io"
    }
    fn public_message(&self) -> Cow<'static, str> {
        Cow::Owned(self.0.to_string())
    }
    fn level(&self) -> Level {
        Level::Error
    }
}

fn main() {}
