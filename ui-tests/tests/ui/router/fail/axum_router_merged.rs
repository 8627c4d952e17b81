// An axum router's routes would bypass the access decision and the stack; merging or nesting
// one is refused with why, and what to do instead.

async fn legacy() -> &'static str {
    "legacy"
}

fn main() {
    let old = axum::Router::<()>::new().route("/legacy", axum::routing::get(legacy));
    let _ = palisade::Router::<()>::new().merge(old.clone());
    let _ = palisade::Router::<()>::new().nest("/old", old);
}
