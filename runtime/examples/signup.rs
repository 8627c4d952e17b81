//! A signup endpoint whose input is sanitized and validated before the handler runs.
//!
//! ```text
//! cargo run -p palisade --example signup
//! curl -si localhost:8080/signup -H 'content-type: application/json' \
//!      -d '{"email":"  Ada@Example.COM ","displayName":"Ada","age":36,"tags":["math"]}'
//! ```

use axum::routing::post;
use axum::{Json, Router};
use palisade::{Sanitized, Valid};
use serde::{Deserialize, Serialize};

/// The signup request body.
#[derive(Debug, Deserialize, Serialize, Sanitized)]
#[serde(rename_all = "camelCase")]
struct Signup {
    #[clean(trim, lowercase)]
    #[validate(email, length(max = 254))]
    email: String,
    #[clean(nfkc, strip_invisible, strip_control, collapse_whitespace)]
    #[validate(length(min = 1, max = 64))]
    display_name: String,
    #[validate(range(min = 13, max = 130))]
    age: u8,
    #[clean(trim, lowercase)]
    #[validate(
        length(max = 10),
        each(length(min = 1, max = 32), regex = "^[a-z0-9-]+$")
    )]
    tags: Vec<String>,
}

async fn signup(body: Valid<Json<Signup>>) -> Json<Signup> {
    Json(body.into_inner())
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::var("PALISADE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("listening on http://{address} — POST /signup");
    axum::serve(listener, Router::new().route("/signup", post(signup))).await
}
