use palisade::public;

#[public(reason = "anyone may look")]
async fn show(uri: axum::http::Uri) -> String {
    uri.to_string()
}

fn main() {}
