// A palisade router of another state cannot be merged as it is: the error says to give it its
// state first, not that it would bypass the access decision.

#[derive(Clone)]
struct AppState;

#[palisade::public(reason = "anyone may ask")]
async fn answer() -> &'static str {
    "42"
}

fn main() {
    let api = palisade::Router::<AppState>::new().get("/answer", answer);
    let _ = palisade::Router::<()>::new().merge(api);
}
