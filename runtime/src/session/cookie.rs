//! The session cookie on the wire, and the `Session` extractor that login and logout handlers
//! use.

use std::fmt;

use axum::extract::FromRequestParts;
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::request::Parts;
use axum::response::{IntoResponse, IntoResponseParts, Response, ResponseParts};
use serde::Serialize;

use super::{Active, SameSite, SessionSettings, Settings, StoreError};
use crate::auth::ProvidesAuth;
use crate::error::SafeResponse;
use crate::problem::Problem;
use crate::seal::{SafeResponseMark, SafeResponseSeal, Seal, response_doors_of};

/// The id of the session cookie named `name`, if the request carries one that palisade could
/// have made (64 hex digits); anything else is no session.
pub(crate) fn session_id<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
        .filter(|value| value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl Settings {
    /// The cookie's attributes after its value.
    fn attributes(&self) -> String {
        let same_site = match self.same_site {
            SameSite::Lax => "Lax",
            SameSite::Strict => "Strict",
        };
        let secure = if self.insecure_http { "" } else { "; Secure" };
        format!("Path=/{secure}; HttpOnly; SameSite={same_site}")
    }

    /// The `Set-Cookie` that makes the browser drop the session cookie.
    pub(crate) fn expired_cookie(&self) -> HeaderValue {
        cookie_header(&format!(
            "{}=; Max-Age=0; {}",
            self.cookie,
            self.attributes()
        ))
    }
}

fn cookie_header(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).expect("a cookie of checked name, hex value and fixed attributes")
}

/// The `Set-Cookie` of a new session, for the response of a login (or of a privilege change):
/// return `(started, body)`. No `Max-Age`: the browser forgets the cookie when it closes, and
/// the server forgets the session at its timeouts.
#[must_use = "the session exists only once its cookie is in the response"]
pub struct SessionStarted {
    cookie: HeaderValue,
    csrf: String,
}

impl SessionStarted {
    /// The synchronizer token of the new session, for clients that send neither
    /// `Sec-Fetch-Site` nor `Origin`: they send it back in `X-CSRF-Token`.
    pub fn csrf_token(&self) -> &str {
        &self.csrf
    }
}

impl fmt::Debug for SessionStarted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionStarted([REDACTED])")
    }
}

impl IntoResponseParts for SessionStarted {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut parts: ResponseParts) -> Result<ResponseParts, Self::Error> {
        parts.headers_mut().append(header::SET_COOKIE, self.cookie);
        parts
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        Ok(parts)
    }
}

/// The end of a session, for the response of a logout: the cookie expired and the site's
/// cookies, storage and cache cleared (`Clear-Site-Data`). Return `(ended, body)`.
#[must_use = "the browser drops the cookie only when this is in the response"]
#[derive(Debug)]
pub struct SessionEnded {
    cookie: HeaderValue,
}

impl IntoResponseParts for SessionEnded {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut parts: ResponseParts) -> Result<ResponseParts, Self::Error> {
        parts.headers_mut().append(header::SET_COOKIE, self.cookie);
        let (name, value) = crate::layers::CLEAR_SITE_DATA;
        parts.headers_mut().insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
        Ok(parts)
    }
}

impl<T: SafeResponse> SafeResponseSeal for (SessionStarted, T) {
    const SEAL: Seal<Self, SafeResponseMark> = Seal::around(response_doors_of::<T>);
}
impl<T: SafeResponse> SafeResponse for (SessionStarted, T) {}
impl<T: SafeResponse> SafeResponseSeal for (SessionEnded, T) {
    const SEAL: Seal<Self, SafeResponseMark> = Seal::around(response_doors_of::<T>);
}
impl<T: SafeResponse> SafeResponse for (SessionEnded, T) {}

/// The request's session, for handlers that start or end one: a login handler calls
/// [`login`](Session::login), a logout handler [`logout`](Session::logout), a handler that
/// changes the user's roles [`change_privileges`](Session::change_privileges). Each gives the
/// response part that sets the cookie.
///
/// ```ignore
/// #[public(reason = "the login form")]
/// async fn login(session: Session, form: Valid<Json<Login>>) -> Result<(SessionStarted, StatusCode), LoginError> {
///     let user = check_password(&form).await?;
///     Ok((session.login(&Claims { sub: user.id, roles: user.roles }).await?, StatusCode::NO_CONTENT))
/// }
/// ```
pub struct Session {
    settings: SessionSettings,
    active: Option<Active>,
    /// The request's bearer token, when it carried a `jti`: what `logout` revokes.
    token: Option<TokenId>,
}

/// The `jti` and `exp` of the request's accepted bearer token.
#[derive(Clone, Debug)]
pub(crate) struct TokenId {
    pub(crate) jti: String,
    pub(crate) exp: u64,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("active", &self.active.is_some())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Whether the request came with a live session.
    pub fn is_active(&self) -> bool {
        self.active.is_some()
    }

    /// The synchronizer token of the live session, to hand to clients that send neither
    /// `Sec-Fetch-Site` nor `Origin`.
    pub fn csrf_token(&self) -> Option<&str> {
        self.active
            .as_ref()
            .map(|active| active.record.csrf.as_str())
    }

    /// Starts a session for the principal of `claims` (what `Principal::from_claims` reads
    /// back), ending the request's session if it had one: the id after login is never the one
    /// before (no fixation).
    ///
    /// # Errors
    ///
    /// The store failed, or the claims do not serialize.
    pub async fn login<C: Serialize>(&self, claims: &C) -> Result<SessionStarted, StoreError> {
        self.start(claims, None).await
    }

    /// Starts a session as [`login`](Self::login) does, bound to the bearer token issued with
    /// the same login (its `jti` and `exp`): a logout with either credential ends both, so a
    /// token handed out beside the cookie does not outlive the cookie's logout.
    ///
    /// # Errors
    ///
    /// The store failed, or the claims do not serialize.
    pub async fn login_with_token<C: Serialize>(
        &self,
        claims: &C,
        jti: &str,
        exp: u64,
    ) -> Result<SessionStarted, StoreError> {
        self.start(claims, Some((jti.to_owned(), exp))).await
    }

    async fn start<C: Serialize>(
        &self,
        claims: &C,
        token: Option<(String, u64)>,
    ) -> Result<SessionStarted, StoreError> {
        let claims = serde_json::to_value(claims)
            .map_err(|_| StoreError::new("claims that do not serialize"))?;
        let settings = self.settings.inner();
        let active = settings
            .start(
                claims,
                self.active.as_ref().map(|active| active.id.as_str()),
                token,
            )
            .await?;
        Ok(SessionStarted {
            cookie: cookie_header(&format!(
                "{}={}; {}",
                settings.cookie,
                active.id,
                settings.attributes()
            )),
            csrf: active.record.csrf,
        })
    }

    /// Replaces the session by a new one, with a new id, for the principal's new claims: call
    /// it whenever the user's privileges change. A bearer token bound to the old session
    /// carries the old privileges, so it is revoked.
    ///
    /// # Errors
    ///
    /// The store failed, or the claims do not serialize.
    pub async fn change_privileges<C: Serialize>(
        &self,
        claims: &C,
    ) -> Result<SessionStarted, StoreError> {
        if let Some((jti, exp)) = self
            .active
            .as_ref()
            .and_then(|active| active.record.token.as_ref())
        {
            self.settings.inner().revoke(jti, *exp).await?;
        }
        self.login(claims).await
    }

    /// Ends every session of the account `subject` (the login claims' `sub`), on every device,
    /// with the bearer tokens bound to them and the request's own token: call it when the
    /// password changes or the account is taken back, then start a new login for the request
    /// if it should stay logged in. Answers how many sessions were live.
    ///
    /// # Errors
    ///
    /// The store failed.
    pub async fn end_every_session_of(&self, subject: &str) -> Result<usize, StoreError> {
        let settings = self.settings.inner();
        let ended = settings.end_account(subject).await?;
        if let Some(token) = &self.token {
            settings.revoke(&token.jti, token.exp).await?;
        }
        Ok(ended)
    }

    /// Ends the session on the server and in the browser; when the request came with a bearer
    /// token that has a `jti`, that token is refused from now on until it expires. A login made
    /// with [`login_with_token`](Self::login_with_token) ends whole, whichever credential logs
    /// out: the cookie's logout revokes the token issued with it, and the token's logout ends
    /// the session it was issued with.
    ///
    /// # Errors
    ///
    /// The store failed.
    pub async fn logout(&self) -> Result<SessionEnded, StoreError> {
        let settings = self.settings.inner();
        if let Some(active) = &self.active {
            settings.end(&active.id).await?;
            if let Some((jti, exp)) = &active.record.token {
                settings.revoke(jti, *exp).await?;
            }
        }
        if let Some(token) = &self.token {
            settings.revoke(&token.jti, token.exp).await?;
            settings.end_login_of(&token.jti).await?;
        }
        Ok(SessionEnded {
            cookie: settings.expired_cookie(),
        })
    }
}

/// 503 problem: the store did not answer.
pub(crate) fn unavailable() -> Response {
    Problem::new(
        503,
        "unavailable",
        "the service cannot check sessions right now",
    )
    .into_response()
}

impl<S: ProvidesAuth + Send + Sync> FromRequestParts<S> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let Some(settings) = state.session_settings() else {
            tracing::error!(
                "a handler takes `Session`, and the state gives no `SessionSettings`: implement `ProvidesAuth::session_settings`"
            );
            return Err(
                Problem::new(500, "internal_error", crate::error::SERVER_ERROR_DETAIL)
                    .into_response(),
            );
        };
        let token = parts.extensions.get::<TokenId>().cloned();
        // The `#[requires_auth]` gate loaded it already.
        if let Some(active) = parts.extensions.get::<Active>() {
            return Ok(Session {
                settings: settings.clone(),
                active: Some(active.clone()),
                token,
            });
        }
        let active = match session_id(&parts.headers, settings.cookie_name()) {
            Some(id) => settings.inner().load(id).await.map_err(|error| {
                tracing::error!(%error, "session store");
                unavailable()
            })?,
            None => None,
        };
        Ok(Session {
            settings: settings.clone(),
            active,
            token,
        })
    }
}
