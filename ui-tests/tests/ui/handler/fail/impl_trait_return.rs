#[palisade::public(reason = "anyone may ask")]
async fn open() -> impl axum::response::IntoResponse {
    "anyone"
}

fn main() {}
