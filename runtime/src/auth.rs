//! Authentication and access rules for `#[requires_auth(...)]` handlers (DESIGN.md G1, G9):
//! the principal comes from a bearer JWT in the `Authorization` header (feature `jwt`) or from
//! a session cookie (feature `session`, with its CSRF check on writes), the handler's rule is
//! checked before its body runs, and every call is audited.

use axum::extract::FromRequestParts;
use axum::http::header::{self, HeaderValue};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

#[cfg(feature = "jwt")]
use crate::jwt::{JwtSettings, TokenError};
use crate::layers::RequestId;
use crate::problem::Problem;
#[cfg(feature = "session")]
use crate::session::SessionSettings;

/// The `tracing` target of audit events.
pub const AUDIT_TARGET: &str = "palisade::audit";

/// The application's authenticated user, made from the claims of a checked token.
///
/// ```
/// use palisade::auth::Principal;
///
/// #[derive(Clone, Debug, PartialEq)]
/// enum Role { Reader, Admin }
///
/// #[derive(Clone)]
/// struct User { id: String, roles: Vec<Role> }
///
/// #[derive(serde::Deserialize)]
/// struct Claims { sub: String, roles: Vec<String> }
///
/// impl Principal for User {
///     type Claims = Claims;
///     type Role = Role;
///     fn from_claims(claims: Claims) -> Option<Self> {
///         let roles = claims.roles.iter().filter_map(|r| match r.as_str() {
///             "reader" => Some(Role::Reader),
///             "admin" => Some(Role::Admin),
///             _ => None,
///         });
///         Some(User { id: claims.sub, roles: roles.collect() })
///     }
///     fn subject(&self) -> &str { &self.id }
///     fn has_role(&self, role: &Role) -> bool { self.roles.contains(role) }
/// }
/// ```
pub trait Principal: Clone + Send + Sync + 'static {
    /// The claims of the token, beyond the `exp`, `iss` and `aud` the settings check.
    type Claims: DeserializeOwned;
    /// The application's role enum: a misspelt role in a rule does not compile.
    type Role;
    /// The principal, or `None` to refuse the token as unauthenticated.
    fn from_claims(claims: Self::Claims) -> Option<Self>;
    /// Who it is, for audit events.
    fn subject(&self) -> &str;
    /// Whether it has `role`.
    fn has_role(&self, role: &Self::Role) -> bool;
    /// Whether it has the OAuth scope `scope`.
    fn has_scope(&self, scope: &str) -> bool {
        let _ = scope;
        false
    }
}

/// How the application state authenticates `#[requires_auth]` handlers: bearer tokens, session
/// cookies, or both. A request with an `Authorization: Bearer` header is judged by its token
/// alone; one without, by its session cookie.
///
/// ```ignore
/// impl ProvidesAuth for AppState {
///     fn jwt_settings(&self) -> Option<&JwtSettings> { Some(&self.jwt) }
///     fn session_settings(&self) -> Option<&SessionSettings> { Some(&self.sessions) }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "the state `{Self}` does not say how `#[requires_auth]` handlers authenticate",
    label = "no `palisade::auth::ProvidesAuth` for this state",
    note = "implement `palisade::auth::ProvidesAuth` for the router's state, returning its `JwtSettings` and/or `SessionSettings`"
)]
pub trait ProvidesAuth {
    /// The settings that check bearer tokens; `None` refuses every bearer token.
    #[cfg(feature = "jwt")]
    fn jwt_settings(&self) -> Option<&JwtSettings> {
        None
    }
    /// The settings of cookie sessions; `None` ignores session cookies.
    #[cfg(feature = "session")]
    fn session_settings(&self) -> Option<&SessionSettings> {
        None
    }
}

/// The authenticated principal, for a `#[requires_auth]` handler's argument.
#[derive(Clone, Debug)]
pub struct Auth<P>(pub P);

impl<P: Principal, S: Send + Sync> FromRequestParts<S> for Auth<P> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        // Put there by the `#[requires_auth]` gate; a handler without it never gets one.
        parts.extensions.get::<Auth<P>>().cloned().ok_or_else(|| {
            Problem::new(500, "internal_error", crate::error::SERVER_ERROR_DETAIL).into_response()
        })
    }
}

/// How a call ended, in audit events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The rule allowed it.
    Allowed,
    /// The principal was known, and the rule refused it.
    Denied,
    /// No valid token.
    Unauthenticated,
}

impl Outcome {
    fn name(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
            Outcome::Unauthenticated => "unauthenticated",
        }
    }
}

/// What the gate of one handler knows.
#[doc(hidden)]
pub struct Gate {
    /// The handler's name.
    pub handler: &'static str,
    /// The rule as written.
    pub rule: &'static str,
    /// `#[csrf_exempt(reason = "...")]`: cookie-authenticated writes are not CSRF-checked.
    pub csrf_exempt: bool,
}

/// How the request authenticated, in audit events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Credential {
    /// No credential, or one refused before it said which.
    None,
    /// `Authorization: Bearer`.
    Bearer,
    /// The session cookie.
    #[cfg(feature = "session")]
    Session,
}

impl Credential {
    fn name(self) -> &'static str {
        match self {
            Credential::None => "",
            Credential::Bearer => "bearer",
            #[cfg(feature = "session")]
            Credential::Session => "session",
        }
    }
}

/// One audit event of the request `parts`.
fn audit(
    parts: &Parts,
    gate: &Gate,
    credential: Credential,
    subject: &str,
    outcome: Outcome,
    reason: &str,
) {
    let request_id = parts
        .extensions
        .get::<RequestId>()
        .map_or("", RequestId::as_str);
    emit(
        &Call {
            request_id,
            route: parts.uri.path(),
            credential,
        },
        gate,
        subject,
        outcome,
        reason,
        None,
    );
}

/// The audit event of a request that no credential let in, with the refusal's reason.
fn audit_unauthenticated(parts: &Parts, gate: &Gate, credential: Credential, reason: &str) {
    audit(
        parts,
        gate,
        credential,
        "",
        Outcome::Unauthenticated,
        reason,
    );
}

/// What an audit event tells of the request.
struct Call<'a> {
    request_id: &'a str,
    route: &'a str,
    credential: Credential,
}

fn emit(
    call: &Call<'_>,
    gate: &Gate,
    subject: &str,
    outcome: Outcome,
    reason: &str,
    resource: Option<&str>,
) {
    tracing::info!(
        target: AUDIT_TARGET,
        request_id = call.request_id,
        credential = call.credential.name(),
        subject,
        handler = gate.handler,
        route = call.route,
        rule = gate.rule,
        resource,
        outcome = outcome.name(),
        reason,
        "access decision"
    );
}

/// The most of a resource an audit event records, in bytes.
pub const MAX_RESOURCE: usize = 128;

/// What a policy's argument records as the resource of its audit event: a validated request
/// value its `Debug` (for a `Redact` type, its masked `Debug`), nothing for the state and the
/// principal.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be given to a policy",
    label = "a policy checks validated request values, the state or the principal",
    note = "give the policy `Valid<…>` arguments whose payload implements `Debug` (derive `Debug`, or `Redact` to mask fields), `State<…>` or `Auth<…>`"
)]
pub trait AuditResource {
    /// The resource, or `None` for what is no resource.
    fn resource(&self) -> Option<String>;
}

impl<E> AuditResource for crate::Valid<E>
where
    E: crate::extract::Payload,
    E::Inner: std::fmt::Debug,
{
    fn resource(&self) -> Option<String> {
        let inner: &E::Inner = self;
        Some(format!("{inner:?}"))
    }
}

impl<S> AuditResource for axum::extract::State<S> {
    fn resource(&self) -> Option<String> {
        None
    }
}

impl<P> AuditResource for Auth<P> {
    fn resource(&self) -> Option<String> {
        None
    }
}

impl<T> AuditResource for axum::Extension<T> {
    fn resource(&self) -> Option<String> {
        None
    }
}

/// The resources of a policy's arguments, joined with `", "` and cut at [`MAX_RESOURCE`]
/// bytes; `None` when none is a resource.
#[doc(hidden)]
pub fn resource(parts: &[Option<String>]) -> Option<String> {
    let mut joined = String::new();
    for part in parts.iter().flatten() {
        if !joined.is_empty() {
            joined.push_str(", ");
        }
        joined.push_str(part);
    }
    if joined.is_empty() {
        return None;
    }
    if joined.len() > MAX_RESOURCE {
        let mut end = MAX_RESOURCE;
        while !joined.is_char_boundary(end) {
            end -= 1;
        }
        joined.truncate(end);
        joined.push('…');
    }
    Some(joined)
}

/// A call that passed its rule and waits for its object-level policy, which runs on the
/// validated arguments: it holds what the audit event needs once the request is taken apart.
#[doc(hidden)]
pub struct Pending<P> {
    principal: P,
    request_id: String,
    route: String,
    credential: Credential,
}

/// The principal the gate let through, and what its audit event needs.
#[doc(hidden)]
pub fn pending<P: Principal>(parts: &Parts) -> Option<Pending<P>> {
    let Auth(principal) = parts.extensions.get::<Auth<P>>()?.clone();
    let credential = *parts.extensions.get::<Credential>()?;
    Some(Pending {
        principal,
        credential,
        request_id: parts
            .extensions
            .get::<RequestId>()
            .map_or_else(String::new, |id| id.as_str().to_owned()),
        route: parts.uri.path().to_owned(),
    })
}

impl<P: Principal> Pending<P> {
    /// The principal, for the policy.
    pub fn principal(&self) -> &P {
        &self.principal
    }

    /// Audits the policy's answer on `resource`; a refusal answers `deny` (404 by default, so
    /// that the object's existence does not leak, or 403).
    pub fn decide(
        &self,
        gate: &Gate,
        allowed: bool,
        deny: u16,
        resource: Option<&str>,
    ) -> Option<Response> {
        let outcome = if allowed {
            Outcome::Allowed
        } else {
            Outcome::Denied
        };
        emit(
            &Call {
                request_id: &self.request_id,
                route: &self.route,
                credential: self.credential,
            },
            gate,
            self.principal.subject(),
            outcome,
            "policy",
            resource,
        );
        if allowed {
            return None;
        }
        Some(if deny == 403 {
            Problem::new(403, "forbidden", "the request is not allowed for this user")
                .into_response()
        } else {
            Problem::new(404, "not_found", "there is nothing at this address").into_response()
        })
    }
}

/// The bearer token of `parts`, from the `Authorization` header only.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|token| !token.is_empty())
}

fn unauthenticated(invalid: bool) -> Response {
    let mut response = Problem::new(
        401,
        "unauthenticated",
        "the request needs a valid bearer token or session",
    )
    .into_response();
    let challenge = if invalid {
        "Bearer realm=\"api\", error=\"invalid_token\""
    } else {
        "Bearer realm=\"api\""
    };
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    );
    response
}

/// Authenticates the request and checks the rule: the principal goes into the request's
/// extensions for the handler (`None`), or the refusal, 401 or 403, is returned. Audited either
/// way.
#[doc(hidden)]
pub async fn authorize<P: Principal, S: ProvidesAuth>(
    parts: &mut Parts,
    state: &S,
    gate: &Gate,
    rule: impl FnOnce(&P) -> bool,
    policy_follows: bool,
) -> Option<Response> {
    let (credential, principal) = match authenticate::<P, S>(parts, state, gate).await {
        Ok(found) => found,
        Err(response) => return Some(response),
    };
    if !rule(&principal) {
        audit(
            parts,
            gate,
            credential,
            principal.subject(),
            Outcome::Denied,
            "rule",
        );
        return Some(forbidden());
    }
    // With a policy to come, the call is audited once, when the policy has answered.
    if policy_follows {
        parts.extensions.insert(credential);
    } else {
        audit(
            parts,
            gate,
            credential,
            principal.subject(),
            Outcome::Allowed,
            "rule",
        );
    }
    parts.extensions.insert(Auth(principal));
    None
}

fn forbidden() -> Response {
    Problem::new(403, "forbidden", "the request is not allowed for this user").into_response()
}

/// The principal of the request's bearer token or, without one, of its session cookie; a
/// refusal is audited and answered.
// Without sessions nothing here awaits, but the gate's call is the same in every build.
#[cfg_attr(not(feature = "session"), allow(clippy::unused_async))]
async fn authenticate<P: Principal, S: ProvidesAuth>(
    parts: &mut Parts,
    state: &S,
    gate: &Gate,
) -> Result<(Credential, P), Response> {
    let refuse = |parts: &Parts, credential: Credential, reason: &str| {
        audit_unauthenticated(parts, gate, credential, reason);
        unauthenticated(credential != Credential::None)
    };
    if let Some(token) = bearer(parts) {
        #[cfg(feature = "jwt")]
        if let Some(settings) = state.jwt_settings() {
            let principal = match settings.verify::<P::Claims>(token) {
                Ok(claims) => P::from_claims(claims).ok_or(TokenError::BadClaims),
                Err(error) => Err(error),
            };
            let principal = match principal {
                Ok(principal) => principal,
                Err(error) => return Err(refuse(parts, Credential::Bearer, error.reason())),
            };
            #[cfg(feature = "session")]
            if let Some(sessions) = state.session_settings()
                && let Some((jti, exp)) = crate::jwt::token_id(token)
            {
                // A token revoked at logout stays refused until it expires.
                match sessions.inner().is_revoked(&jti).await {
                    Ok(false) => {
                        parts
                            .extensions
                            .insert(crate::session::TokenId { jti, exp });
                    }
                    Ok(true) => return Err(refuse(parts, Credential::Bearer, "revoked")),
                    Err(error) => {
                        return Err(store_failed(parts, gate, Credential::Bearer, &error));
                    }
                }
            }
            return Ok((Credential::Bearer, principal));
        }
        let _ = token;
        return Err(refuse(parts, Credential::Bearer, "bearer_not_accepted"));
    }
    #[cfg(feature = "session")]
    if let Some(settings) = state.session_settings()
        && let Some(id) = crate::session::session_id(&parts.headers, settings.cookie_name())
    {
        return from_session::<P>(parts, settings, id.to_owned(), gate)
            .await
            .map(|principal| (Credential::Session, principal));
    }
    let _ = state;
    Err(refuse(parts, Credential::None, "missing_credentials"))
}

/// The session store did not answer: logged, audited, answered 503.
#[cfg(feature = "session")]
fn store_failed(
    parts: &Parts,
    gate: &Gate,
    credential: Credential,
    error: &crate::session::StoreError,
) -> Response {
    tracing::error!(%error, "session store");
    audit_unauthenticated(parts, gate, credential, "store_unavailable");
    crate::session::unavailable()
}

/// The principal of the live session `id`, after the CSRF check of writes; the session goes
/// into the request's extensions for the `Session` extractor. A refusal is audited.
#[cfg(feature = "session")]
async fn from_session<P: Principal>(
    parts: &mut Parts,
    settings: &SessionSettings,
    id: String,
    gate: &Gate,
) -> Result<P, Response> {
    use crate::session::csrf;
    let refuse = |parts: &Parts, reason: &str| {
        audit_unauthenticated(parts, gate, Credential::Session, reason);
    };
    let active = match settings.inner().load(&id).await {
        Ok(Some(active)) => active,
        Ok(None) => {
            refuse(parts, "session_expired");
            // The browser can drop the cookie too.
            let mut response = unauthenticated(true);
            response
                .headers_mut()
                .append(header::SET_COOKIE, settings.inner().expired_cookie());
            return Err(response);
        }
        Err(error) => return Err(store_failed(parts, gate, Credential::Session, &error)),
    };
    let principal = serde_json::from_value::<P::Claims>(active.record.claims.clone())
        .ok()
        .and_then(P::from_claims);
    let Some(principal) = principal else {
        refuse(parts, "bad_claims");
        return Err(unauthenticated(true));
    };
    if csrf::changes_state(&parts.method)
        && !gate.csrf_exempt
        && let Err(refusal) = csrf::check(parts, settings.inner(), &active.record.csrf)
    {
        // Audited as denied, with the subject: the session is real, the request is not
        // the user's.
        audit(
            parts,
            gate,
            Credential::Session,
            principal.subject(),
            Outcome::Denied,
            refusal.reason(),
        );
        return Err(Problem::new(
            403,
            "csrf",
            "the request did not come from this site: reload the page and try again",
        )
        .into_response());
    }
    parts.extensions.insert(active);
    Ok(principal)
}

#[cfg(test)]
mod tests {
    use super::{MAX_RESOURCE, resource};

    #[test]
    fn resources_join_skip_none_and_cut_on_a_character() {
        assert_eq!(resource(&[None, None]), None);
        assert_eq!(
            resource(&[
                Some("NoteId { id: 4 }".into()),
                None,
                Some("Tag(\"x\")".into())
            ])
            .as_deref(),
            Some("NoteId { id: 4 }, Tag(\"x\")")
        );
        // 127 ASCII bytes then a 3-byte character: the cut falls inside it and moves before.
        let long = format!("{}€€", "a".repeat(MAX_RESOURCE - 1));
        let cut = resource(&[Some(long)]).unwrap();
        assert_eq!(cut, format!("{}…", "a".repeat(MAX_RESOURCE - 1)));
    }
}
