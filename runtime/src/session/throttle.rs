//! Login throttling that holds under concurrency and cannot be turned against an account's
//! owner: failures are counted per account and client address, per address, and per account
//! from every address, each attempt reserving its place before the password is checked, with
//! delays that double after a few free failures, answered 429 with `Retry-After`. An unknown
//! account and a wrong password are one failure, answered alike. See `docs/session.md` for the
//! choice against OWASP's authentication cheat sheet and NIST SP 800-63B §5.2.2.

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
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::{Clock, Slot, Store, StoreError, SystemClock};
use crate::auth::ProvidesAuth;
use crate::error::{Level, PublicError};
use crate::problem::Problem;

/// Failures of one account from one client address before that pair's delays start.
pub const FREE_PAIR_FAILURES: u64 = 5;
/// Failures from one client address, over every account, before its delays start (addresses
/// are shared behind NAT).
pub const FREE_ADDRESS_FAILURES: u64 = 20;
/// Failures of one account, from every address, before its delays start for addresses it has
/// never logged in from: NIST SP 800-63B §5.2.2's ceiling of 100 consecutive failures.
pub const FREE_ACCOUNT_FAILURES: u64 = 100;
/// The first delay; each further failure doubles it.
pub const FIRST_DELAY: Duration = Duration::from_secs(1);
/// The longest delay.
pub const MAX_DELAY: Duration = Duration::from_mins(15);
/// How long failures are remembered after the first.
pub const FAILURE_WINDOW: Duration = Duration::from_hours(1);
/// How long an address an account logged in from stays known to it: from a known address the
/// account's own delay does not apply, so that guesses from elsewhere cannot lock its owner out.
pub const KNOWN_ADDRESS_TTL: Duration = Duration::from_hours(30 * 24);

/// The secret that account names and addresses are hashed with before they become store keys
/// and audit fields, so that a list of candidate emails hashed by whoever reads the store or
/// the log does not reveal whose account a key is. Every instance that shares a store needs
/// the same key; keep it with the application's other secrets.
#[derive(Clone)]
pub struct AccountKey(Arc<[u8]>);

impl fmt::Debug for AccountKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccountKey([REDACTED])")
    }
}

/// An [`AccountKey`] shorter than 32 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortAccountKey;

impl fmt::Display for ShortAccountKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an account key needs at least 32 bytes")
    }
}

impl std::error::Error for ShortAccountKey {}

impl AccountKey {
    /// A key of at least 32 bytes (256 bits).
    ///
    /// ```
    /// use palisade::session::AccountKey;
    /// assert!(AccountKey::from_bytes(&[7; 32]).is_ok());
    /// assert!(AccountKey::from_bytes(b"short").is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// [`ShortAccountKey`] for fewer than 32 bytes.
    pub fn from_bytes(key: &[u8]) -> Result<Self, ShortAccountKey> {
        if key.len() < 32 {
            return Err(ShortAccountKey);
        }
        Ok(Self(key.into()))
    }

    /// A key made for this process: counts are then neither shared with other instances nor
    /// kept over a restart. For one instance, or tests.
    #[must_use]
    pub fn random() -> Self {
        Self(crate::hex::random::<32>().into_bytes().into())
    }

    /// `kind:` and the first 128 bits of the keyed hash of `parts`, each length-prefixed.
    fn subject(&self, kind: &str, parts: &[&[u8]]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(kind.as_bytes());
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        format!(
            "{kind}:{}",
            crate::hex::encode(&mac.finalize().into_bytes()[..16])
        )
    }
}

/// Counts login failures per account and per client address, in a [`Store`] shared by every
/// instance.
#[derive(Clone)]
pub struct LoginThrottle {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    key_prefix: String,
    key: AccountKey,
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

/// An account name as it is counted: trimmed and lowercased.
fn account_name(account: &str) -> String {
    account.trim().to_lowercase()
}

/// An address as it is counted: IPv4 (also IPv4-mapped IPv6) whole, IPv6 by its /64, which
/// one client commonly holds whole.
fn address_bytes(address: IpAddr) -> Vec<u8> {
    match address {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.octets().to_vec(),
            None => v6.octets()[..8].to_vec(),
        },
    }
}

/// The subjects of one attempt, as store keys hold them: keyed hashes, no email, no address.
struct Subjects {
    account: String,
    address: String,
    pair: String,
    known: String,
}

impl Subjects {
    fn new(key: &AccountKey, account: &str, client: IpAddr) -> Self {
        let account = account_name(account);
        let address = address_bytes(client);
        Self {
            account: key.subject("account", &[account.as_bytes()]),
            address: key.subject("ip", &[&address]),
            pair: key.subject("pair", &[account.as_bytes(), &address]),
            known: key.subject("known", &[account.as_bytes(), &address]),
        }
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
    /// instances), under names hashed with `key` (the same key on every instance).
    pub fn new(store: Arc<dyn Store>, key: AccountKey) -> Self {
        Self {
            store,
            clock: Arc::new(SystemClock),
            key_prefix: "palisade:".to_owned(),
            key,
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

    /// Reserves one failure of `subject` before the check runs, so that N concurrent attempts
    /// count N. Past its free failures the attempt must also claim the subject's next slot,
    /// which starts the delay before the one after: of concurrent attempts, one claims it.
    /// `Err(Some(until))`: refused, the slot is held until then.
    async fn reserve(&self, subject: &str, free: u64) -> Result<Result<(), u64>, StoreError> {
        let failures = self
            .store
            .increment(&self.key(subject, "failures"), FAILURE_WINDOW)
            .await?;
        let Some(delay) = delay(failures, free) else {
            return Ok(Ok(()));
        };
        let now = self.clock.now();
        let held = self
            .store
            .claim(
                &self.key(subject, "until"),
                Slot {
                    now,
                    until: now + delay.as_secs(),
                    ttl: delay,
                },
            )
            .await?;
        Ok(held.map_or(Ok(()), Err))
    }

    /// Gives back the reservations of an attempt that was refused or did not count.
    async fn refund(&self, subjects: &[&str]) -> Result<(), StoreError> {
        for subject in subjects {
            self.store.decrement(&self.key(subject, "failures")).await?;
        }
        Ok(())
    }

    /// One login attempt for `account` from `client`. Each failure is reserved before `check`
    /// runs, in three counts: this account from this address (5 free), this address over
    /// every account (20 free), and this account from every address (100 free, not counted
    /// from an address the account has logged in from in the last 30 days). Past its free
    /// failures a count admits one attempt per delay, the delay doubling up to 15 minutes; an
    /// attempt that finds a count waiting is refused with the wait left, and counts nothing.
    ///
    /// Then `check` runs: its `Ok(None)` (unknown account or wrong password, which `check`
    /// must answer in comparable time: verify a dummy hash for unknown accounts) stays counted;
    /// its `Ok(Some)` clears the account's counts and makes the address known to it; its `Err`
    /// (the account database failed) answers 500 and counts nothing: an outage must not lock
    /// users out.
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
        let subjects = Subjects::new(&self.key, account, client);
        let known = self
            .store
            .get(&self.key(&subjects.known, "known"))
            .await?
            .is_some();
        // The address first: a throttled address is refused before it creates a count for
        // each account it names, so that guesses at new names cannot fill the store.
        let mut counted: Vec<(&str, u64)> = vec![
            (&subjects.address, FREE_ADDRESS_FAILURES),
            (&subjects.pair, FREE_PAIR_FAILURES),
        ];
        if !known {
            counted.push((&subjects.account, FREE_ACCOUNT_FAILURES));
        }
        let mut reserved = Vec::with_capacity(counted.len());
        for (subject, free) in counted {
            let outcome = self.reserve(subject, free).await;
            if outcome.is_ok() {
                reserved.push(subject);
            }
            match outcome {
                Ok(Ok(())) => {}
                Ok(Err(until)) => {
                    self.refund(&reserved).await?;
                    audit_login(&subjects.account, client, "denied", "throttled");
                    let wait = until.saturating_sub(self.clock.now()).max(1);
                    return Err(LoginRefused::Throttled(Duration::from_secs(wait)));
                }
                Err(error) => {
                    self.refund(&reserved).await?;
                    return Err(error.into());
                }
            }
        }
        let checked = match check().await {
            Ok(checked) => checked,
            Err(error) => {
                self.refund(&reserved).await?;
                audit_login(&subjects.account, client, "denied", "check_failed");
                return Err(LoginRefused::Internal(error.into()));
            }
        };
        if let Some(value) = checked {
            // The owner: the account's counts start again, the address is known to it, and the
            // attempt was no failure of the address.
            for subject in [&subjects.pair, &subjects.account] {
                self.store.delete(&self.key(subject, "failures")).await?;
                self.store.delete(&self.key(subject, "until")).await?;
            }
            self.refund(&[&subjects.address]).await?;
            self.store
                .set(
                    &self.key(&subjects.known, "known"),
                    b"1".to_vec(),
                    KNOWN_ADDRESS_TTL,
                )
                .await?;
            audit_login(&subjects.account, client, "allowed", "credentials");
            return Ok(value);
        }
        audit_login(&subjects.account, client, "denied", "wrong_credentials");
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
    fn subjects_hold_no_email_are_keyed_and_fold_ipv6_to_its_prefix() {
        let key = AccountKey::from_bytes(&[1; 32]).unwrap();
        let other = AccountKey::from_bytes(&[2; 32]).unwrap();
        let v4: IpAddr = "192.0.2.1".parse().unwrap();
        let subjects = Subjects::new(&key, " Ada@Example.com ", v4);
        assert_eq!(
            subjects.account,
            Subjects::new(&key, "ada@example.com", v4).account
        );
        for subject in [&subjects.account, &subjects.pair, &subjects.known] {
            assert!(!subject.contains("ada") && !subject.contains("example"));
        }
        // Another key, other names: a list of emails hashed without the key finds nothing.
        assert_ne!(
            subjects.account,
            Subjects::new(&other, "ada@example.com", v4).account
        );
        // The parts are length-prefixed: moving a character between them changes the pair.
        assert_ne!(
            key.subject("pair", &[b"ab", b"c"]),
            key.subject("pair", &[b"a", b"bc"])
        );
        let a: IpAddr = "2001:db8::1".parse().unwrap();
        let b: IpAddr = "2001:db8::ffff:2".parse().unwrap();
        let c: IpAddr = "2001:db9::1".parse().unwrap();
        let address = |ip| Subjects::new(&key, "ada@example.com", ip).address;
        assert_eq!(address(a), address(b));
        assert_ne!(address(a), address(c));
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(address(mapped), address(v4));
    }
}
