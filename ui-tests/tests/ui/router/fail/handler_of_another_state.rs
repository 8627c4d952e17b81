// A handler whose `State` is not the router's: the error names the router's state and the ways
// to fit them, not a definition error that is not there.

use axum::extract::State;
use palisade::public;

#[derive(Clone)]
struct AppState {
    greeting: &'static str,
}

#[public(reason = "anyone may be greeted")]
async fn greet(State(state): State<AppState>) -> &'static str {
    state.greeting
}

fn main() {
    let _ = palisade::Router::<()>::new().get("/", greet);
}
