use palisade::requires_auth;

include!("../principal.rs");

use std::sync::Arc;

use palisade::auth::{Auth, ProvidesAuth};
use palisade::jwt::{Algorithm, JwtSettings};
use palisade::Router;

#[derive(Clone)]
struct AppState {
    jwt: Arc<JwtSettings>,
}

impl ProvidesAuth for AppState {
    fn jwt_settings(&self) -> Option<&JwtSettings> {
        Some(&self.jwt)
    }
}

#[requires_auth(User)]
async fn me(user: Auth<User>) -> String {
    format!("{}", user.0.roles.len())
}

#[requires_auth(User, any(role = Role::Admin, all(role = Role::Reader, not(scope = "read-only"))))]
async fn edit() -> &'static str {
    "edited"
}

fn main() {
    let jwt = JwtSettings::builder()
        .hmac(Algorithm::HS256, "k1", b"0123456789abcdef0123456789abcdef")
        .issuer("https://auth.example.com")
        .audience("notes")
        .build()
        .unwrap();
    let app = Router::new()
        .get("/me", me)
        .put("/notes", edit)
        .with_state(AppState { jwt: Arc::new(jwt) })
        .into_make_service();
    drop(app);
}
