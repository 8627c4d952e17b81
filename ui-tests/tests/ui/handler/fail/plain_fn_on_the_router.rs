async fn open() -> &'static str {
    "anyone"
}

fn main() {
    let _ = palisade::Router::new().get("/open", open);
}
