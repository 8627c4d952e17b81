//! What an axum application brings along compiles on palisade's router: its middleware, a
//! decided fallback, static files with their reason, and every method.

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use palisade::{Router, public};

#[public(reason = "anyone may read it")]
async fn page() -> &'static str {
    "page"
}

#[public(reason = "an unknown address gets the app shell")]
async fn shell() -> &'static str {
    "shell"
}

async fn timing(request: Request, next: Next) -> Response {
    next.run(request).await
}

fn main() {
    let router = Router::new()
        .head("/page", page)
        .options("/page", page)
        .any("/any", page)
        .fallback(shell)
        .public_files("/assets", std::env::temp_dir(), "the public stylesheets")
        .layer(middleware::from_fn(timing));
    assert_eq!(router.route_report().0.len(), 5);
    let _ = router.into_make_service();
}
