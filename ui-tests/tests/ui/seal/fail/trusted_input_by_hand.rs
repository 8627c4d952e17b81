//! The argument marker written by hand would let a raw body into a handler.

use axum::extract::{FromRequest, Request};

struct Body(String);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = axum::http::StatusCode;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let text = String::from_request(request, state)
            .await
            .map_err(|_| axum::http::StatusCode::BAD_REQUEST)?;
        Ok(Body(text))
    }
}

impl palisade::__private::TrustedInput for Body {}

fn main() {}
