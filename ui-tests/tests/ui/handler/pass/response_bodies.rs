//! Response bodies that derive `Redact`, and plain data, are safe responses.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use palisade::{Router, public};

#[derive(palisade::Redact)]
struct Account {
    email: String,
    #[redact]
    api_token: String,
    #[redact(no, reason = "a count of failed logins is not a secret")]
    token_count: u32,
}

#[public(reason = "the directory is public")]
async fn accounts() -> Json<Vec<Account>> {
    Json(Vec::new())
}

#[public(reason = "the counters are public")]
async fn counters() -> Json<BTreeMap<String, u64>> {
    Json(BTreeMap::new())
}

#[public(reason = "the tags are public")]
async fn tags() -> Json<(Vec<String>, HashMap<u32, Option<bool>>, f64)> {
    Json((Vec::new(), HashMap::new(), 0.5))
}

fn main() {
    let _ = Router::<()>::new()
        .get("/accounts", accounts)
        .get("/counters", counters)
        .get("/tags", tags);
}
