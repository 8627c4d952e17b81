// The principal the `#[requires_auth]` cases share (included, not a case of its own).

use palisade::auth::Principal;

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
