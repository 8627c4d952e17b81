async fn anything() -> &'static str {
    "anyone"
}

fn main() {
    let _ = palisade::Router::<()>::new().fallback(anything);
}
