//! `SafeResponse` written by hand would let a handler send any body.

use axum::response::{IntoResponse, Response};

struct Raw(Response);

impl IntoResponse for Raw {
    fn into_response(self) -> Response {
        self.0
    }
}

impl palisade::error::SafeResponse for Raw {}

fn main() {}
