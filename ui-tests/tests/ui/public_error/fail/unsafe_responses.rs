use axum::Json;
use axum::response::Response;
use palisade::error::SafeResponse;

/// The check a handler macro makes on a return type.
fn handler_returns<R: SafeResponse>() {}

fn main() {
    handler_returns::<Result<Json<Vec<u32>>, std::io::Error>>();
    handler_returns::<Result<String, String>>();
    handler_returns::<Response>();
}
