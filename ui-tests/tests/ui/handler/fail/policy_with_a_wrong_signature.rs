use palisade::auth::Principal;
use palisade::requires_auth;

#[derive(Clone, Debug, PartialEq)]
enum Role {
    Reader,
    Admin,
}

#[derive(Clone)]
struct User {
    roles: Vec<Role>,
}

#[derive(serde::Deserialize)]
struct Claims {
    roles: Vec<String>,
}

impl Principal for User {
    type Claims = Claims;
    type Role = Role;
    fn from_claims(claims: Claims) -> Option<Self> {
        let roles = claims.roles.iter().map(|r| if r == "admin" { Role::Admin } else { Role::Reader });
        Some(User { roles: roles.collect() })
    }
    fn subject(&self) -> &str {
        "user"
    }
    fn has_role(&self, role: &Role) -> bool {
        self.roles.contains(role)
    }
}

#[derive(serde::Deserialize, palisade::Sanitized)]
struct NoteId {
    #[validate(range(min = 1))]
    id: u64,
}

/// Takes the note id by value and answers a string: not a policy.
fn owns_note(user: User, note: u64) -> String {
    let _ = (user, note);
    String::new()
}

#[requires_auth(User, policy = owns_note(note))]
async fn show(note: palisade::Valid<axum::extract::Path<NoteId>>) -> String {
    note.id.to_string()
}

fn main() {}
