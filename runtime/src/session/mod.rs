//! Cookie sessions (DESIGN.md G8): ids of 256 random bits from the operating system, kept
//! server-side under their SHA-256 only; a `__Host-` cookie that is `Secure`, `HttpOnly`,
//! `SameSite=Lax` or `Strict`, `Path=/`, without `Domain`; idle and absolute expiry; the id
//! rotated on login and on every privilege change; logout destroys the session and clears the
//! site's data. The settings cannot be built insecure: the one relaxation, plain HTTP for local
//! development, says so in its name and is refused by release builds.

mod clock;
mod cookie;
pub mod csrf;
#[cfg(feature = "redis")]
mod redis;
mod store;
mod throttle;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::hex::encode as hex;

pub use clock::{Clock, ManualClock, SystemClock};
pub use cookie::{SessionEnded, SessionStarted};
pub use csrf::CSRF_HEADER;
#[cfg(feature = "redis")]
pub use redis::{RedisStore, TIMEOUT as REDIS_TIMEOUT};
pub use store::{MEMORY_STORE_CAPACITY, MemoryStore, Slot, Store, StoreError, StoreFuture};
pub use throttle::{
    AccountKey, ClientAddr, FAILURE_WINDOW, FIRST_DELAY, FREE_ACCOUNT_FAILURES,
    FREE_ADDRESS_FAILURES, FREE_PAIR_FAILURES, KNOWN_ADDRESS_TTL, LoginRefused, LoginThrottle,
    MAX_DELAY, ShortAccountKey,
};

pub use cookie::Session;
#[cfg(feature = "jwt")]
pub(crate) use cookie::TokenId;
pub(crate) use cookie::{session_id, unavailable};

/// The default idle timeout: a session unused this long ends.
pub const DEFAULT_IDLE: Duration = Duration::from_mins(30);
/// The default absolute timeout: a session ends this long after login, used or not.
pub const DEFAULT_ABSOLUTE: Duration = Duration::from_hours(8);
/// The most live sessions of one account (the login claims' `sub`) by default: a login past it
/// ends that account's oldest session.
pub const MAX_SESSIONS_PER_ACCOUNT: usize = 10;
/// The longest absolute timeout the settings accept.
pub const MAX_ABSOLUTE: Duration = Duration::from_hours(30 * 24);

/// The `SameSite` attribute of the session cookie. `None` is not offered: a session cookie
/// sent on cross-site requests is what CSRF rides on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SameSite {
    /// Sent on top-level cross-site navigations (links), not on cross-site subrequests or
    /// forms' POSTs: the default.
    #[default]
    Lax,
    /// Never sent on cross-site requests.
    Strict,
}

impl SameSite {
    /// `SameSite=None` is refused on purpose; this constant exists so that writing it is an
    /// error that says so, not a missing variant.
    ///
    /// ```compile_fail
    /// use palisade::session::{MemoryStore, SameSite, SessionSettings};
    /// let _ = SessionSettings::builder()
    ///     .store(MemoryStore::new())
    ///     .same_site(SameSite::None);
    /// ```
    #[doc(hidden)]
    #[allow(non_upper_case_globals)]
    pub const None: RefusedSameSiteNone = RefusedSameSiteNone;
}

/// What `SameSite::None` names: a setting the builder refuses.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct RefusedSameSiteNone;

/// A `SameSite` value the session cookie may take: [`SameSite::Lax`] or [`SameSite::Strict`].
#[diagnostic::on_unimplemented(
    message = "`SameSite=None` is refused on purpose: a session cookie sent on cross-site requests is what CSRF rides on",
    label = "use `SameSite::Lax` (the default) or `SameSite::Strict`",
    note = "a front end on another site calls the API with a bearer token (`JwtSettings`), not with the session cookie; an origin of your own that posts forms is named with `.allowed_origin(...)`"
)]
pub trait SameSiteSetting: sealed::Sealed {
    /// The attribute.
    fn same_site(self) -> SameSite;
}

impl SameSiteSetting for SameSite {
    fn same_site(self) -> SameSite {
        self
    }
}

/// Declares settings of the session cookie that are refused on purpose: each a trait that
/// nothing implements, bounding the builder method that names the setting, so that writing it
/// is an error saying why.
macro_rules! refused_settings {
    ($($(#[doc = $doc:literal])* $name:ident: $message:literal, $label:literal, $note:literal;)*) => {$(
        $(#[doc = $doc])*
        #[doc(hidden)]
        #[diagnostic::on_unimplemented(message = $message, label = $label, note = $note)]
        pub trait $name: sealed::Sealed {}
    )*};
}

refused_settings!(
    /// A session cookie scripts may read: nothing is, so `.http_only(...)` never compiles.
    CookieReadableByScripts:
        "the session cookie is always `HttpOnly`: remove `.http_only(...)`",
        "refused on purpose: a cookie that scripts can read is one that an XSS can steal",
        "a page that needs the CSRF token renders `Session::csrf_token()` into its form or a `<meta>` element; scripts never need the cookie itself";
    /// A `Domain` for the session cookie: none is set, so `.domain(...)` never compiles.
    CookieForOtherHosts:
        "the session cookie has no `Domain`: remove `.domain(...)`",
        "refused on purpose: a `Domain` sends the cookie to every subdomain, and any of them can read or plant it",
        "the cookie's `__Host-` prefix binds it to the one host that set it; services on other hosts share the user through a bearer token (`JwtSettings`), not the cookie";
);

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::SameSite {}
}

/// A setting not given yet.
#[derive(Debug)]
pub struct Missing;
/// A setting given.
#[derive(Debug)]
pub struct Given;

/// Builds [`SessionSettings`]: there is no `build` until a store is given, and no method makes
/// the cookie readable by scripts, sent over plain HTTP in a release build, shared with other
/// hosts or sent cross-site.
#[must_use]
pub struct SessionSettingsBuilder<St> {
    draft: Draft,
    state: PhantomData<St>,
}

/// What the builder has been given so far.
struct Draft {
    store: Option<Arc<dyn Store>>,
    name: String,
    same_site: SameSite,
    idle: Duration,
    absolute: Duration,
    origins: Vec<String>,
    clock: Arc<dyn Clock>,
    insecure_http: bool,
    key_prefix: String,
    trusted_proxies: Vec<std::net::IpAddr>,
    max_sessions: usize,
    problems: Vec<String>,
}

/// Checked session settings, cheap to clone.
#[derive(Clone)]
pub struct SessionSettings(Arc<Settings>);

pub(crate) struct Settings {
    pub(crate) store: Arc<dyn Store>,
    /// The cookie's name, `__Host-` prefixed unless plain HTTP was allowed.
    pub(crate) cookie: String,
    pub(crate) same_site: SameSite,
    pub(crate) idle: Duration,
    pub(crate) absolute: Duration,
    pub(crate) origins: Vec<String>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) insecure_http: bool,
    key_prefix: String,
    /// The proxies whose `X-Forwarded-For` names the client.
    pub(crate) trusted_proxies: Vec<std::net::IpAddr>,
    /// The most live sessions one account (the claims' `sub`) holds.
    max_sessions: usize,
}

impl fmt::Debug for SessionSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionSettings")
            .field("cookie", &self.0.cookie)
            .field("same_site", &self.0.same_site)
            .field("idle", &self.0.idle)
            .field("absolute", &self.0.absolute)
            .field("origins", &self.0.origins)
            .field("insecure_http", &self.0.insecure_http)
            .finish_non_exhaustive()
    }
}

/// Why session settings were refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionConfigError(String);

impl fmt::Display for SessionConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "insecure session settings: {}", self.0)
    }
}

impl std::error::Error for SessionConfigError {}

impl SessionSettings {
    /// A builder with the secure defaults: cookie `__Host-session`, `SameSite=Lax`, idle
    /// timeout [`DEFAULT_IDLE`], absolute timeout [`DEFAULT_ABSOLUTE`], the system clock.
    pub fn builder() -> SessionSettingsBuilder<Missing> {
        SessionSettingsBuilder {
            draft: Draft {
                store: None,
                name: "session".to_owned(),
                same_site: SameSite::Lax,
                idle: DEFAULT_IDLE,
                absolute: DEFAULT_ABSOLUTE,
                origins: Vec::new(),
                clock: Arc::new(SystemClock),
                insecure_http: false,
                key_prefix: "palisade:".to_owned(),
                trusted_proxies: Vec::new(),
                max_sessions: MAX_SESSIONS_PER_ACCOUNT,
                problems: Vec::new(),
            },
            state: PhantomData,
        }
    }

    /// The cookie's name.
    pub fn cookie_name(&self) -> &str {
        &self.0.cookie
    }

    pub(crate) fn inner(&self) -> &Settings {
        &self.0
    }
}

impl<St> SessionSettingsBuilder<St> {
    fn to<T>(self) -> SessionSettingsBuilder<T> {
        SessionSettingsBuilder {
            draft: self.draft,
            state: PhantomData,
        }
    }

    /// The cookie's name after its `__Host-` prefix: letters, digits, `-` and `_`.
    pub fn cookie_name(mut self, name: &str) -> Self {
        if name.is_empty()
            || name.len() > 64
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            self.draft.problems.push(format!(
                "the cookie name {name:?} is not 1 to 64 letters, digits, `-` or `_`"
            ));
        }
        name.clone_into(&mut self.draft.name);
        self
    }

    /// `SameSite=Strict` instead of `Lax`. `SameSite::None` is refused:
    ///
    /// ```
    /// use palisade::session::{MemoryStore, SameSite, SessionSettings};
    /// let settings = SessionSettings::builder()
    ///     .store(MemoryStore::new())
    ///     .same_site(SameSite::Strict)
    ///     .build()?;
    /// # drop(settings);
    /// # Ok::<(), palisade::session::SessionConfigError>(())
    /// ```
    pub fn same_site(mut self, same_site: impl SameSiteSetting) -> Self {
        self.draft.same_site = same_site.same_site();
        self
    }

    /// The session cookie is always `HttpOnly`: this method exists only so that turning it off
    /// is an error that says why.
    ///
    /// ```compile_fail
    /// use palisade::session::{MemoryStore, SessionSettings};
    /// let _ = SessionSettings::builder().store(MemoryStore::new()).http_only(false);
    /// ```
    #[doc(hidden)]
    pub fn http_only<V: CookieReadableByScripts>(self, _readable: V) -> Self {
        self
    }

    /// The session cookie has no `Domain`: this method exists only so that setting one is an
    /// error that says why.
    ///
    /// ```compile_fail
    /// use palisade::session::{MemoryStore, SessionSettings};
    /// let _ = SessionSettings::builder().store(MemoryStore::new()).domain("example.com");
    /// ```
    #[doc(hidden)]
    pub fn domain<V: CookieForOtherHosts>(self, _domain: V) -> Self {
        self
    }

    /// How long an unused session lives, at least one minute and at most the absolute
    /// timeout.
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.draft.idle = idle;
        self
    }

    /// How long a session lives after login however much it is used, at most
    /// [`MAX_ABSOLUTE`].
    pub fn absolute_timeout(mut self, absolute: Duration) -> Self {
        self.draft.absolute = absolute;
        self
    }

    /// An origin (`https://notes.example.com`) that cookie-authenticated writes may come from,
    /// for the CSRF check of `Origin`. Without any, `Origin` must name the request's own host.
    pub fn allowed_origin(mut self, origin: &str) -> Self {
        let valid = url::Url::parse(origin).ok().filter(|url| {
            matches!(url.scheme(), "https" | "http")
                && url.host().is_some()
                && url.path() == "/"
                && url.query().is_none()
                && url.fragment().is_none()
                && url.username().is_empty()
                && !origin.ends_with('/')
        });
        if valid.is_none() {
            self.draft.problems.push(format!(
                "{origin:?} is not an origin such as `https://notes.example.com`"
            ));
        }
        self.draft.origins.push(origin.to_ascii_lowercase());
        self
    }

    /// The clock sessions are timed by (a [`ManualClock`] in tests).
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.draft.clock = Arc::new(clock);
        self
    }

    /// A load balancer or reverse proxy in front of the service, whose `X-Forwarded-For` names
    /// the client for `ClientAddr` (the login throttle's per-address count). Only its own
    /// connections are believed: a client cannot forge the header past it.
    pub fn trusted_proxy(mut self, proxy: std::net::IpAddr) -> Self {
        self.draft.trusted_proxies.push(proxy);
        self
    }

    /// The most live sessions one account holds, at least one (default
    /// [`MAX_SESSIONS_PER_ACCOUNT`]): a login past it ends the account's oldest session, so that
    /// one account cannot fill the store. The account is the login claims' `sub`.
    pub fn max_sessions_per_account(mut self, sessions: usize) -> Self {
        if sessions == 0 {
            self.draft
                .problems
                .push("an account needs room for one session".to_owned());
        }
        self.draft.max_sessions = sessions;
        self
    }

    /// What the store's keys start with, to share one store between applications.
    pub fn key_prefix(mut self, prefix: &str) -> Self {
        prefix.clone_into(&mut self.draft.key_prefix);
        self
    }

    /// Drops `Secure` and the `__Host-` prefix so that sessions work on `http://localhost`.
    /// For local development only: [`build`](SessionSettingsBuilder::build) refuses it in a
    /// release build.
    pub fn insecure_http_for_local_development(mut self) -> Self {
        self.draft.insecure_http = true;
        self
    }
}

impl SessionSettingsBuilder<Missing> {
    /// Where sessions live: a [`MemoryStore`] for one instance, a `RedisStore` (feature
    /// `redis`) for several.
    pub fn store(mut self, store: impl Store) -> SessionSettingsBuilder<Given> {
        self.draft.store = Some(Arc::new(store));
        self.to()
    }

    /// A store shared with other settings (the login throttle's).
    pub fn shared_store(mut self, store: Arc<dyn Store>) -> SessionSettingsBuilder<Given> {
        self.draft.store = Some(store);
        self.to()
    }
}

/// The builder has been given a store.
#[diagnostic::on_unimplemented(
    message = "the session settings have no store yet",
    label = "`build` needs a store first",
    note = "call `.store(MemoryStore::new())` for one instance, or `.store(RedisStore::connect(url).await?)` for several, before `.build()`"
)]
pub trait HasStore {}

impl HasStore for Given {}

impl<St> SessionSettingsBuilder<St> {
    /// The settings.
    ///
    /// # Errors
    ///
    /// Plain HTTP in a release build, a bad cookie name or origin, an idle timeout under a
    /// minute or over the absolute one, an absolute timeout over [`MAX_ABSOLUTE`].
    pub fn build(mut self) -> Result<SessionSettings, SessionConfigError>
    where
        St: HasStore,
    {
        let Some(store) = self.draft.store.take() else {
            return Err(SessionConfigError("no store".to_owned()));
        };
        if self.draft.insecure_http && !cfg!(debug_assertions) {
            self.draft.problems.push(
                "plain HTTP is for local development and refused in a release build".to_owned(),
            );
        }
        if self.draft.idle < Duration::from_mins(1) {
            self.draft
                .problems
                .push("an idle timeout under a minute logs users out as they type".to_owned());
        }
        if self.draft.idle > self.draft.absolute {
            self.draft
                .problems
                .push("the idle timeout is longer than the absolute one".to_owned());
        }
        if self.draft.absolute > MAX_ABSOLUTE {
            self.draft.problems.push(format!(
                "an absolute timeout over {} days keeps stolen sessions alive",
                MAX_ABSOLUTE.as_secs() / 86_400
            ));
        }
        if !self.draft.problems.is_empty() {
            return Err(SessionConfigError(self.draft.problems.join("; ")));
        }
        let cookie = if self.draft.insecure_http {
            self.draft.name
        } else {
            format!("__Host-{}", self.draft.name)
        };
        Ok(SessionSettings(Arc::new(Settings {
            store,
            cookie,
            same_site: self.draft.same_site,
            idle: self.draft.idle,
            absolute: self.draft.absolute,
            origins: self.draft.origins,
            clock: self.draft.clock,
            insecure_http: self.draft.insecure_http,
            key_prefix: self.draft.key_prefix,
            max_sessions: self.draft.max_sessions,
            trusted_proxies: self.draft.trusted_proxies,
        })))
    }
}

/// What the store keeps of a session.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Record {
    /// The principal's claims, as the login gave them.
    pub(crate) claims: serde_json::Value,
    /// When the session started (login), in seconds since the epoch.
    pub(crate) created: u64,
    /// When it was last used.
    pub(crate) seen: u64,
    /// The synchronizer token of the CSRF check.
    pub(crate) csrf: String,
    /// The bearer token issued with this login (`jti`, `exp`), which its logout revokes.
    #[serde(default)]
    pub(crate) token: Option<(String, u64)>,
}

/// A session the request's cookie named, found and not expired.
#[derive(Clone)]
pub(crate) struct Active {
    pub(crate) id: String,
    pub(crate) record: Record,
}

impl Settings {
    /// The store's key of a session id: its SHA-256, so that the store holds no usable id.
    fn key(&self, id: &str) -> String {
        format!(
            "{}session:{}",
            self.key_prefix,
            hex(&Sha256::digest(id.as_bytes()))
        )
    }

    /// How long the store keeps `record` unless used again.
    fn ttl(&self, record: &Record, now: u64) -> Option<Duration> {
        let ends = record.created.saturating_add(self.absolute.as_secs());
        let left = ends.checked_sub(now).filter(|left| *left > 0)?;
        Some(Duration::from_secs(left.min(self.idle.as_secs())))
    }

    /// The session `id` names, unless it is unknown or expired (then it is removed); its last
    /// use is recorded.
    pub(crate) async fn load(&self, id: &str) -> Result<Option<Active>, StoreError> {
        let key = self.key(id);
        let Some(bytes) = self.store.get(&key).await? else {
            return Ok(None);
        };
        let Ok(mut record) = serde_json::from_slice::<Record>(&bytes) else {
            self.store.delete(&key).await?;
            return Ok(None);
        };
        let now = self.clock.now();
        let idle_over = now.saturating_sub(record.seen) >= self.idle.as_secs();
        let Some(ttl) = self.ttl(&record, now).filter(|_| !idle_over) else {
            self.store.delete(&key).await?;
            return Ok(None);
        };
        // A use is written at most once a minute or a tenth of the idle timeout, whichever is
        // shorter, so that reads stay reads.
        let step = (self.idle.as_secs() / 10).clamp(1, 60);
        if now.saturating_sub(record.seen) >= step {
            record.seen = now;
            let bytes = serde_json::to_vec(&record).map_err(|_| StoreError::new("encoding"))?;
            // Only over a session that still exists: a logout (or a login that replaced this
            // session) between the read above and this write is not undone.
            if !self.store.replace(&key, bytes, ttl).await? {
                return Ok(None);
            }
        }
        Ok(Some(Active {
            id: id.to_owned(),
            record,
        }))
    }

    /// A new session for `claims`, ending `previous` (the session id changes on login and on
    /// every privilege change); `token` is the bearer token issued with it (`jti`, `exp`), bound
    /// to it so that either's logout ends both.
    pub(crate) async fn start(
        &self,
        claims: serde_json::Value,
        previous: Option<&str>,
        token: Option<(String, u64)>,
    ) -> Result<Active, StoreError> {
        if let Some(previous) = previous {
            self.store.delete(&self.key(previous)).await?;
        }
        let now = self.clock.now();
        let record = Record {
            claims,
            created: now,
            seen: now,
            csrf: random_hex(),
            token,
        };
        let id = random_hex();
        let ttl = self
            .ttl(&record, now)
            .ok_or(StoreError::new("a session that ends at once"))?;
        let bytes = serde_json::to_vec(&record).map_err(|_| StoreError::new("encoding"))?;
        let key = self.key(&id);
        self.store.set(&key, bytes, ttl).await?;
        // One account's sessions are capped: its oldest ends when a login passes the cap.
        if let Some(account) = self.account_key(&record.claims) {
            let ended = self
                .store
                .append_capped(
                    &account,
                    key.clone().into_bytes(),
                    self.max_sessions,
                    self.absolute,
                )
                .await?;
            for session in ended {
                if let Ok(session) = String::from_utf8(session) {
                    self.store.delete(&session).await?;
                }
            }
        }
        if let Some((jti, exp)) = &record.token {
            // Which session the token was issued with, for as long as either lives.
            let left = exp.saturating_sub(now).min(self.absolute.as_secs()).max(1);
            self.store
                .set(
                    &self.login_key(jti),
                    key.into_bytes(),
                    Duration::from_secs(left),
                )
                .await?;
        }
        Ok(Active { id, record })
    }

    /// The store's key of the list of an account's sessions, the account being the claims'
    /// `sub` (a string or a number); none without one.
    fn account_key(&self, claims: &serde_json::Value) -> Option<String> {
        let subject = match claims.get("sub")? {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Number(number) => number.to_string(),
            _ => return None,
        };
        Some(self.sessions_of(&subject))
    }

    /// The store's key of the list of the sessions of the account `subject`.
    fn sessions_of(&self, subject: &str) -> String {
        format!(
            "{}sessions-of:{}",
            self.key_prefix,
            hex(&Sha256::digest(subject.as_bytes()))
        )
    }

    /// Ends every session of the account `subject`, and revokes the bearer tokens bound to
    /// them; answers how many sessions were live.
    pub(crate) async fn end_account(&self, subject: &str) -> Result<usize, StoreError> {
        // Emptying the list is one atomic step: a cap of none drops every item, the marker
        // appended for the purpose included.
        let sessions = self
            .store
            .append_capped(&self.sessions_of(subject), Vec::new(), 0, self.absolute)
            .await?;
        let mut ended = 0;
        for session in sessions.into_iter().filter(|session| !session.is_empty()) {
            let Ok(key) = String::from_utf8(session) else {
                continue;
            };
            if let Some(bytes) = self.store.get(&key).await? {
                ended += 1;
                if let Ok(Record {
                    token: Some((jti, exp)),
                    ..
                }) = serde_json::from_slice::<Record>(&bytes)
                {
                    self.revoke(&jti, exp).await?;
                }
            }
            self.store.delete(&key).await?;
        }
        Ok(ended)
    }

    /// The store's key that names the session a bearer token `jti` was issued with.
    fn login_key(&self, jti: &str) -> String {
        format!(
            "{}login:{}",
            self.key_prefix,
            hex(&Sha256::digest(jti.as_bytes()))
        )
    }

    /// Ends the session a bearer token `jti` was issued with, if any.
    pub(crate) async fn end_login_of(&self, jti: &str) -> Result<(), StoreError> {
        let login = self.login_key(jti);
        if let Some(session) = self.store.get(&login).await? {
            let session = String::from_utf8(session)
                .map_err(|_| StoreError::new("a login record that is not text"))?;
            self.store.delete(&session).await?;
            self.store.delete(&login).await?;
        }
        Ok(())
    }

    /// Ends the session `id` names.
    pub(crate) async fn end(&self, id: &str) -> Result<(), StoreError> {
        self.store.delete(&self.key(id)).await
    }

    /// The store's key of a revoked bearer token's `jti`.
    fn revoked_key(&self, jti: &str) -> String {
        format!(
            "{}revoked:{}",
            self.key_prefix,
            hex(&Sha256::digest(jti.as_bytes()))
        )
    }

    /// Refuses the bearer token `jti` until it expires at `exp` (seconds since the epoch).
    pub(crate) async fn revoke(&self, jti: &str, exp: u64) -> Result<(), StoreError> {
        // Kept a minute past `exp`, for the verifier's leeway.
        let left = exp.saturating_sub(self.clock.now()).saturating_add(60);
        self.store
            .set(
                &self.revoked_key(jti),
                b"1".to_vec(),
                Duration::from_secs(left),
            )
            .await
    }

    /// Whether the bearer token `jti` was revoked.
    #[cfg(feature = "jwt")]
    pub(crate) async fn is_revoked(&self, jti: &str) -> Result<bool, StoreError> {
        Ok(self.store.get(&self.revoked_key(jti)).await?.is_some())
    }
}

/// 256 bits from the operating system's random source, in hex.
fn random_hex() -> String {
    crate::hex::random::<32>()
}
