//! Login throttling: failures counted per account and per client address in the shared store,
//! with delays that double after a few free failures, answered 429 with `Retry-After`. An
//! unknown account and a wrong password are one failure, answered alike.

use std::borrow::Cow;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::header::{self, HeaderValue};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::{Clock, Store, StoreError, SystemClock};
use crate::auth::ProvidesAuth;
use crate::error::{Level, PublicError};
use crate::problem::Problem;

/// Failures of one account before delays start.
pub const FREE_ACCOUNT_FAILURES: u64 = 5;
/// Failures from one client address before delays start (addresses are shared behind NAT).
pub const FREE_ADDRESS_FAILURES: u64 = 20;
/// The first delay; each further failure doubles it.
pub const FIRST_DELAY: Duration = Duration::from_secs(1);
/// The longest delay.
pub const MAX_DELAY: Duration = Duration::from_mins(15);
/// How long failures are remembered after the first.
pub const FAILURE_WINDOW: Duration = Duration::from_hours(1);

/// Counts login failures per account and per client address, in a [`Store`] shared by every
/// instance.
#[derive(Clone)]
pub struct LoginThrottle {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    key_prefix: String,
}

impl fmt::Debug for LoginThrottle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginThrottle").finish_non_exhaustive()
    }
}

/// Why a login was refused. Implements [`PublicError`]: a login handler returns
/// `Result<…, LoginRefused>`.
#[derive(Debug)]
pub enum LoginRefused {
    /// Too many failures: 429 with `Retry-After`.
    Throttled(Duration),
    /// An unknown account or a wrong password, answered alike: 401.
    WrongCredentials,
    /// The store failed: 503.
    Unavailable(StoreError),
    /// The check itself failed (the account database, say): 500, logged with its source, and
    /// not counted as a failed login.
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl fmt::Display for LoginRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoginRefused::Throttled(wait) => write!(f, "throttled for {} s", wait.as_secs()),
            LoginRefused::WrongCredentials => f.write_str("wrong credentials"),
            LoginRefused::Unavailable(error) => error.fmt(f),
            LoginRefused::Internal(error) => write!(f, "the login check failed: {error}"),
        }
    }
}

impl std::error::Error for LoginRefused {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoginRefused::Unavailable(error) => Some(error),
            LoginRefused::Internal(error) => Some(&**error),
            _ => None,
        }
    }
}

impl LoginRefused {
    fn message(&self) -> &'static str {
        match self {
            LoginRefused::Throttled(_) => "too many failed logins: try again later",
            LoginRefused::WrongCredentials => "the email or the password is wrong",
            LoginRefused::Unavailable(_) => "logins are not possible right now",
            LoginRefused::Internal(_) => crate::error::SERVER_ERROR_DETAIL,
        }
    }
}

impl From<StoreError> for LoginRefused {
    fn from(error: StoreError) -> Self {
        LoginRefused::Unavailable(error)
    }
}

impl crate::seal::PublicErrorSeal for LoginRefused {
    const SEAL: crate::seal::Seal<Self, crate::seal::PublicErrorMark> = crate::seal::Seal::PALISADE;
}

impl PublicError for LoginRefused {
    fn status(&self) -> u16 {
        match self {
            LoginRefused::Throttled(_) => 429,
            LoginRefused::WrongCredentials => 401,
            LoginRefused::Unavailable(_) => 503,
            LoginRefused::Internal(_) => 500,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            LoginRefused::Throttled(_) => "too_many_attempts",
            LoginRefused::WrongCredentials => "invalid_credentials",
            LoginRefused::Unavailable(_) => "unavailable",
            LoginRefused::Internal(_) => "internal_error",
        }
    }

    fn public_message(&self) -> Cow<'static, str> {
        Cow::Borrowed(self.message())
    }

    fn level(&self) -> Level {
        match self {
            LoginRefused::Unavailable(_) | LoginRefused::Internal(_) => Level::Error,
            _ => Level::Info,
        }
    }
}

impl IntoResponse for LoginRefused {
    fn into_response(self) -> Response {
        match &self {
            LoginRefused::Unavailable(error) => tracing::error!(%error, "login throttle store"),
            LoginRefused::Internal(error) => tracing::error!(%error, "login check"),
            _ => {}
        }
        let mut response = Problem::new(self.status(), self.code(), self.message()).into_response();
        if let LoginRefused::Throttled(wait) = self {
            // Whole seconds, rounded up, at least one.
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        }
        response
    }
}

/// The client's address, for the throttle: the connection's peer (serve with
/// `into_make_service_with_connect_info`), or, when the peer is one of the session settings'
/// trusted proxies, the address `X-Forwarded-For` names before the trusted hops. A client
/// cannot choose its address by sending the header itself: from an untrusted peer it is
/// ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The client behind `peer`: walking `X-Forwarded-For` from the right, the first address that
/// is not a trusted proxy. An entry that does not parse ends the walk at the last trusted hop.
pub(crate) fn client_address(headers: &HeaderMap, peer: IpAddr, trusted: &[IpAddr]) -> IpAddr {
    let mut client = peer;
    if !trusted.contains(&peer) {
        return client;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .collect();
    for entry in forwarded.iter().rev() {
        let Ok(address) = entry.trim().parse::<IpAddr>() else {
            break;
        };
        client = address;
        if !trusted.contains(&address) {
            break;
        }
    }
    client
}

impl<S: ProvidesAuth + Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        if let Some(ConnectInfo(address)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() {
            let trusted = state.session_settings().map_or(&[][..], |settings| {
                settings.inner().trusted_proxies.as_slice()
            });
            return Ok(ClientAddr(client_address(
                &parts.headers,
                address.ip(),
                trusted,
            )));
        }
        tracing::error!(
            "a handler takes `ClientAddr`, and the server gives no peer address: serve with `into_make_service_with_connect_info`"
        );
        Err(Problem::new(500, "internal_error", crate::error::SERVER_ERROR_DETAIL).into_response())
    }
}

/// What is counted: an account (by the SHA-256 of its normalised name, so the store holds no
/// email) or an address (IPv6 by its /64, which one client commonly holds whole).
fn subject(kind: &str, value: &[u8]) -> String {
    format!(
        "{kind}:{}",
        crate::hex::encode(&Sha256::digest(value)[..16])
    )
}

fn account_subject(account: &str) -> String {
    subject("account", account.trim().to_lowercase().as_bytes())
}

fn address_subject(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => subject("ip", &v4.octets()),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => subject("ip", &v4.octets()),
            None => subject("ip", &v6.octets()[..8]),
        },
    }
}

/// One audit event per login attempt, on the audit target: the account by its hash (the same
/// for every attempt on it, and no email in the log), the client's address, the outcome.
fn audit_login(account: &str, client: IpAddr, outcome: &str, reason: &str) {
    tracing::info!(
        target: crate::auth::AUDIT_TARGET,
        account,
        address = %client,
        outcome,
        reason,
        "login attempt"
    );
}

/// The delay after `failures` failures of which `free` cost nothing.
fn delay(failures: u64, free: u64) -> Option<Duration> {
    let over = failures.checked_sub(free).filter(|over| *over > 0)?;
    let doublings = u32::try_from(over - 1).unwrap_or(u32::MAX).min(20);
    Some(FIRST_DELAY.saturating_mul(1 << doublings).min(MAX_DELAY))
}

impl LoginThrottle {
    /// A throttle keeping its counts in `store` (share the sessions' store to share it between
    /// instances).
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            clock: Arc::new(SystemClock),
            key_prefix: "palisade:".to_owned(),
        }
    }

    /// The clock delays are measured by (a `ManualClock` in tests).
    #[must_use]
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// What the store's keys start with.
    #[must_use]
    pub fn key_prefix(mut self, prefix: &str) -> Self {
        prefix.clone_into(&mut self.key_prefix);
        self
    }

    fn key(&self, subject: &str, what: &str) -> String {
        format!("{}throttle:{subject}:{what}", self.key_prefix)
    }

    /// How long `subject` must still wait.
    async fn wait(&self, subject: &str) -> Result<Option<Duration>, StoreError> {
        let Some(until) = self.store.get(&self.key(subject, "until")).await? else {
            return Ok(None);
        };
        let until: u64 = std::str::from_utf8(&until)
            .ok()
            .and_then(|text| text.parse().ok())
            .unwrap_or(0);
        let now = self.clock.now();
        Ok((until > now).then(|| Duration::from_secs(until - now)))
    }

    /// Counts one failure of `subject` and starts its delay once its free failures are spent.
    async fn fail(&self, subject: &str, free: u64) -> Result<(), StoreError> {
        let failures = self
            .store
            .increment(&self.key(subject, "failures"), FAILURE_WINDOW)
            .await?;
        if let Some(delay) = delay(failures, free) {
            let until = self.clock.now() + delay.as_secs();
            self.store
                .set(
                    &self.key(subject, "until"),
                    until.to_string().into_bytes(),
                    delay,
                )
                .await?;
        }
        Ok(())
    }

    /// One login attempt for `account` from `client`: refused with the wait left while either
    /// is throttled; otherwise `check` runs, and its `Ok(None)` (unknown account or wrong
    /// password, which `check` must answer in comparable time: verify a dummy hash for unknown
    /// accounts) counts as a failure of both, its `Ok(Some)` clears the account's failures,
    /// and its `Err` (the account database failed) answers 500 and counts nothing: an outage
    /// must not lock users out.
    ///
    /// # Errors
    ///
    /// [`LoginRefused`]: throttled, wrong credentials, or the store failed.
    pub async fn attempt<T, E, F, Fut>(
        &self,
        account: &str,
        client: IpAddr,
        check: F,
    ) -> Result<T, LoginRefused>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<T>, E>>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let account = account_subject(account);
        let address = address_subject(client);
        let waits = [self.wait(&account).await?, self.wait(&address).await?];
        if let Some(wait) = waits.into_iter().flatten().max() {
            audit_login(&account, client, "denied", "throttled");
            return Err(LoginRefused::Throttled(wait));
        }
        let checked = check().await.map_err(|error| {
            audit_login(&account, client, "denied", "check_failed");
            LoginRefused::Internal(error.into())
        })?;
        if let Some(value) = checked {
            self.store.delete(&self.key(&account, "failures")).await?;
            self.store.delete(&self.key(&account, "until")).await?;
            audit_login(&account, client, "allowed", "credentials");
            return Ok(value);
        }
        self.fail(&account, FREE_ACCOUNT_FAILURES).await?;
        self.fail(&address, FREE_ADDRESS_FAILURES).await?;
        audit_login(&account, client, "denied", "wrong_credentials");
        Err(LoginRefused::WrongCredentials)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_after_the_free_failures_up_to_the_cap() {
        assert_eq!(delay(5, 5), None);
        assert_eq!(delay(6, 5), Some(Duration::from_secs(1)));
        assert_eq!(delay(7, 5), Some(Duration::from_secs(2)));
        assert_eq!(delay(10, 5), Some(Duration::from_secs(16)));
        assert_eq!(delay(1_000, 5), Some(MAX_DELAY));
        assert_eq!(delay(u64::MAX, 5), Some(MAX_DELAY));
    }

    #[test]
    fn forwarded_addresses_count_only_behind_trusted_proxies() {
        let ip = |text: &str| text.parse::<IpAddr>().unwrap();
        let headers = |values: &[&str]| {
            let mut map = HeaderMap::new();
            for value in values {
                map.append("x-forwarded-for", HeaderValue::from_str(value).unwrap());
            }
            map
        };
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        let forwarded = headers(&["198.51.100.9, 203.0.113.5", "10.0.0.2"]);
        // From a trusted proxy: the first untrusted address from the right.
        assert_eq!(
            client_address(&forwarded, ip("10.0.0.1"), &proxies),
            ip("203.0.113.5")
        );
        // From anyone else the header is the client's own claim, and ignored.
        assert_eq!(
            client_address(&forwarded, ip("192.0.2.1"), &proxies),
            ip("192.0.2.1")
        );
        assert_eq!(
            client_address(&forwarded, ip("10.0.0.1"), &[]),
            ip("10.0.0.1")
        );
        // No header, or a malformed entry: the last trusted hop.
        assert_eq!(
            client_address(&headers(&[]), ip("10.0.0.1"), &proxies),
            ip("10.0.0.1")
        );
        assert_eq!(
            client_address(
                &headers(&["203.0.113.5, not-an-ip"]),
                ip("10.0.0.1"),
                &proxies
            ),
            ip("10.0.0.1")
        );
        // Every hop trusted: the leftmost.
        assert_eq!(
            client_address(&headers(&["10.0.0.2"]), ip("10.0.0.1"), &proxies),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn subjects_hold_no_email_and_fold_ipv6_to_its_prefix() {
        let key = account_subject(" Ada@Example.com ");
        assert_eq!(key, account_subject("ada@example.com"));
        assert!(!key.contains("ada") && !key.contains("example"));
        let a: IpAddr = "2001:db8::1".parse().unwrap();
        let b: IpAddr = "2001:db8::ffff:2".parse().unwrap();
        let c: IpAddr = "2001:db9::1".parse().unwrap();
        assert_eq!(address_subject(a), address_subject(b));
        assert_ne!(address_subject(a), address_subject(c));
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        let v4: IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(address_subject(mapped), address_subject(v4));
    }
}
