// A value a layer put in the request extensions is request data palisade did not check; the
// authenticated user comes through `Auth<P>` or `#[requires_auth]`.

use palisade::public;

#[derive(Clone)]
struct CurrentUser {
    name: String,
}

#[public(reason = "the layer checks who is calling")]
async fn me(axum::Extension(user): axum::Extension<CurrentUser>) -> String {
    user.name
}

fn main() {}
