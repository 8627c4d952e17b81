//! A response body that only derives `Serialize` would send a secret field as it is; with
//! `Redact`, the same field is the sensitive-name error, as in a request.

use axum::Json;
use palisade::public;

#[derive(Debug, serde::Serialize)]
struct User {
    email: String,
    password_hash: String,
}

#[public(reason = "the directory is public")]
async fn user() -> Json<User> {
    Json(User { email: String::new(), password_hash: String::new() })
}

#[derive(palisade::Redact)]
struct Account {
    email: String,
    api_token: String,
}

#[public(reason = "the directory is public")]
async fn account() -> Json<Vec<Account>> {
    Json(Vec::new())
}

#[public(reason = "anyone may ask")]
async fn anything() -> Json<serde_json::Value> {
    Json(serde_json::Value::Null)
}

fn main() {}

/// A plain `Serialize` type nested in a `Redact` body is not checked: refused where it is sent.
#[derive(palisade::Redact)]
struct Envelope {
    account: User,
}

#[public(reason = "the directory is public")]
async fn envelope() -> Json<Envelope> {
    Json(Envelope { account: User { email: String::new(), password_hash: String::new() } })
}
