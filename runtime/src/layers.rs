//! The secure-by-default HTTP stack (DESIGN.md "Secure defaults at run time", G6): one call puts
//! the security headers, the request limits, request ids, masked panics and problem+json answers
//! on an axum router.
//!
//! ```no_run
//! use axum::{Router, routing::get};
//! use palisade::layers::SecureDefaults;
//!
//! let app: Router = SecureDefaults::new().apply(Router::new().route("/", get(|| async { "hi" })));
//! ```

use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt as _;
use tower::{Layer, Service};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tracing::Instrument as _;

use crate::csp::{Csp, CspNonce, ResponsePolicy};
use crate::error::{SERVER_ERROR_DETAIL, incident_id};
use crate::problem::Problem;

/// The default `Content-Security-Policy`: same-origin everything, no plugins, no framing, no
/// inline script or style.
pub const DEFAULT_CSP: &str = "default-src 'self'; base-uri 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self'; upgrade-insecure-requests";

/// The default `Permissions-Policy`: every powerful feature off (`sync-xhr` same-origin only).
pub const DEFAULT_PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), clipboard-read=(), clipboard-write=(), cross-origin-isolated=(), display-capture=(), encrypted-media=(), fullscreen=(), gamepad=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), interest-cohort=(), keyboard-map=(), magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), sync-xhr=(self), unload=(), usb=(), web-share=(), xr-spatial-tracking=()";

/// The headers every response carries, whatever the handler set.
pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("cross-origin-embedder-policy", "require-corp"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("origin-agent-cluster", "?1"),
    ("permissions-policy", DEFAULT_PERMISSIONS_POLICY),
    ("referrer-policy", "no-referrer"),
    (
        "strict-transport-security",
        "max-age=63072000; includeSubDomains",
    ),
    ("x-content-type-options", "nosniff"),
    ("x-dns-prefetch-control", "off"),
    ("x-frame-options", "DENY"),
    ("x-permitted-cross-domain-policies", "none"),
];

/// The `Cache-Control` of a response whose handler set none: nothing is stored.
pub const DEFAULT_CACHE_CONTROL: &str = "no-store, max-age=0";

/// Headers that tell an attacker what software answers: removed from every response.
pub const REMOVED_HEADERS: &[&str] = &[
    "server",
    "x-powered-by",
    "x-aspnet-version",
    "x-aspnetmvc-version",
    "x-runtime",
    "x-version",
];

/// The header a logout answer adds to clear the client's cache, cookies and storage (OWASP's
/// recommendation; it is not a default, since it would wipe them on every answer).
pub const CLEAR_SITE_DATA: (&str, &str) = ("clear-site-data", "\"cache\",\"cookies\",\"storage\"");

/// [`REMOVED_HEADERS`], parsed once.
static REMOVED: [HeaderName; 6] = [
    HeaderName::from_static(REMOVED_HEADERS[0]),
    HeaderName::from_static(REMOVED_HEADERS[1]),
    HeaderName::from_static(REMOVED_HEADERS[2]),
    HeaderName::from_static(REMOVED_HEADERS[3]),
    HeaderName::from_static(REMOVED_HEADERS[4]),
    HeaderName::from_static(REMOVED_HEADERS[5]),
];

/// The header that carries the request id, in and out.
pub const REQUEST_ID: &str = "x-request-id";

static REQUEST_ID_HEADER: HeaderName = HeaderName::from_static(REQUEST_ID);

/// The default limit of a request body: 64 KiB.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

/// The request id of the request being handled: taken from `x-request-id` when it is
/// well-formed (1 to 64 of `A-Z a-z 0-9 . _ -`), generated otherwise. Handlers can extract it
/// from the request's extensions; it is echoed in the response and is a field of the request's
/// tracing span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(String);

impl RequestId {
    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn of(request: &Request<Body>) -> Self {
        let given = request
            .headers()
            .get(&REQUEST_ID_HEADER)
            .and_then(|value| value.to_str().ok())
            .filter(|id| well_formed(id));
        Self(given.map_or_else(incident_id, str::to_owned))
    }
}

fn well_formed(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The default stack, with its settings.
///
/// | setting | default |
/// |---|---|
/// | request body limit | 64 KiB ([`body_limit`](Self::body_limit); per route with axum's `DefaultBodyLimit::max` on the route) |
/// | whole-request timeout | 30 s, answered 408 |
/// | body-read timeout | 10 s, answered 408 |
/// | CORS | closed: no CORS headers, so browsers refuse cross-origin reads |
#[derive(Clone, Debug)]
pub struct SecureDefaults {
    body_limit: usize,
    timeout: Duration,
    body_timeout: Duration,
    cors: Option<Cors>,
    csp: Csp,
}

impl Default for SecureDefaults {
    fn default() -> Self {
        Self::new()
    }
}

impl SecureDefaults {
    /// The defaults.
    pub fn new() -> Self {
        Self {
            body_limit: DEFAULT_BODY_LIMIT,
            timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(10),
            cors: None,
            csp: Csp::checked(DEFAULT_CSP, false),
        }
    }

    /// The `Content-Security-Policy` of every response whose handler set none (see
    /// [`csp!`](crate::csp!)); with `'nonce'` in it, each request gets a fresh [`CspNonce`].
    #[must_use]
    pub fn csp(self, csp: Csp) -> Self {
        Self { csp, ..self }
    }

    /// Opens CORS to the origins of `cors`; without it, CORS stays closed.
    #[must_use]
    pub fn cors(self, cors: Cors) -> Self {
        Self {
            cors: Some(cors),
            ..self
        }
    }

    /// The largest request body, in bytes.
    #[must_use]
    pub fn body_limit(self, bytes: usize) -> Self {
        Self {
            body_limit: bytes,
            ..self
        }
    }

    /// How long a whole request may take.
    #[must_use]
    pub fn timeout(self, timeout: Duration) -> Self {
        Self { timeout, ..self }
    }

    /// How long reading the request body may take.
    #[must_use]
    pub fn body_read_timeout(self, timeout: Duration) -> Self {
        Self {
            body_timeout: timeout,
            ..self
        }
    }

    /// Puts the stack on every route of `router` (routes added afterwards are not covered:
    /// apply it last).
    pub fn apply<S: Clone + Send + Sync + 'static>(
        self,
        router: axum::Router<S>,
    ) -> axum::Router<S> {
        let router = router
            .layer(DefaultBodyLimit::max(self.body_limit))
            .layer(RequestBodyTimeoutLayer::new(self.body_timeout))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                self.timeout,
            ))
            .layer(SetSensitiveRequestHeadersLayer::new([
                header::AUTHORIZATION,
                header::PROXY_AUTHORIZATION,
                header::COOKIE,
            ]))
            .layer(SecureLayer::new(self.csp));
        // Outermost, so that every answer, the stack's own included, carries the CORS headers
        // a browser needs to read it.
        match self.cors {
            Some(cors) => router.layer(cors.layer()),
            None => router,
        }
    }
}

/// Cross-origin access, opened to a list of exact origins; there is no wildcard, so
/// credentials are never offered to every origin.
///
/// ```
/// use palisade::layers::Cors;
///
/// let cors = Cors::allow_origins(["https://app.example.com"]).unwrap().allow_credentials();
/// assert!(Cors::allow_origins(["*"]).is_err());
/// assert!(Cors::allow_origins(["https://app.example.com/path"]).is_err());
/// ```
#[derive(Clone, Debug)]
pub struct Cors {
    origins: Vec<HeaderValue>,
    credentials: bool,
}

/// Why an origin was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorsError(String);

impl std::fmt::Display for CorsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CorsError {}

impl Cors {
    /// Allows the listed origins, each `http(s)://host[:port]` exactly as browsers send it.
    ///
    /// # Errors
    ///
    /// A wildcard, `null`, an empty list, or an origin with a path, a query, user info or
    /// another scheme.
    pub fn allow_origins<'a>(
        origins: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, CorsError> {
        let origins = origins
            .into_iter()
            .map(|origin| {
                origin_of(origin)
                    .ok_or_else(|| CorsError(format!("`{origin}` is not an exact origin like `https://app.example.com`: wildcards, `null` and paths are refused")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if origins.is_empty() {
            return Err(CorsError(
                "no origin: CORS stays closed unless origins are listed".into(),
            ));
        }
        Ok(Self {
            origins,
            credentials: false,
        })
    }

    /// Lets the listed origins send cookies and credentials.
    #[must_use]
    pub fn allow_credentials(self) -> Self {
        Self {
            credentials: true,
            ..self
        }
    }

    fn layer(self) -> tower_http::cors::CorsLayer {
        use axum::http::Method;
        tower_http::cors::CorsLayer::new()
            .allow_origin(tower_http::cors::AllowOrigin::list(self.origins))
            .allow_methods([
                Method::GET,
                Method::HEAD,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::DELETE,
            ])
            .allow_headers([
                header::CONTENT_TYPE,
                header::AUTHORIZATION,
                REQUEST_ID_HEADER.clone(),
            ])
            .expose_headers([REQUEST_ID_HEADER.clone()])
            .allow_credentials(self.credentials)
            .max_age(Duration::from_mins(10))
    }
}

/// The origin `text` names, if it is exactly `http(s)://host[:port]`.
fn origin_of(text: &str) -> Option<HeaderValue> {
    let url = url::Url::parse(text).ok()?;
    let exact = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some_and(|host| !host.contains('*'))
        && url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && url.fragment().is_none()
        && url.path() == "/"
        && !text.ends_with('/');
    if !exact {
        return None;
    }
    HeaderValue::from_str(&url.origin().ascii_serialization()).ok()
}

/// The outermost layer of the stack: request ids, security headers, masked panics, and
/// problem+json for every error answer that has no problem body.
#[derive(Clone)]
pub struct SecureLayer {
    headers: Arc<Vec<(HeaderName, HeaderValue)>>,
    csp: Arc<PolicyHeader>,
}

/// The policy, and its header value when it has no nonce.
struct PolicyHeader {
    policy: Csp,
    fixed: Option<HeaderValue>,
}

impl SecureLayer {
    fn new(csp: Csp) -> Self {
        let headers = SECURITY_HEADERS
            .iter()
            .map(|(name, value)| {
                (
                    HeaderName::from_static(name),
                    HeaderValue::from_static(value),
                )
            })
            .collect();
        let fixed = (!csp.has_nonce())
            .then(|| HeaderValue::try_from(csp.as_str()).ok())
            .flatten();
        Self {
            headers: Arc::new(headers),
            csp: Arc::new(PolicyHeader { policy: csp, fixed }),
        }
    }
}

impl<S> Layer<S> for SecureLayer {
    type Service = SecureService<S>;

    fn layer(&self, inner: S) -> SecureService<S> {
        SecureService {
            inner,
            headers: Arc::clone(&self.headers),
            csp: Arc::clone(&self.csp),
        }
    }
}

/// The service of [`SecureLayer`].
#[derive(Clone)]
pub struct SecureService<S> {
    inner: S,
    headers: Arc<Vec<(HeaderName, HeaderValue)>>,
    csp: Arc<PolicyHeader>,
}

impl<S> Service<Request<Body>> for SecureService<S>
where
    S: Service<Request<Body>, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, mut request: Request<Body>) -> Self::Future {
        let id = RequestId::of(&request);
        request.extensions_mut().insert(id.clone());
        let nonce = self.csp.policy.has_nonce().then(CspNonce::fresh);
        if let Some(nonce) = &nonce {
            request.extensions_mut().insert(nonce.clone());
        }
        let csp = Arc::clone(&self.csp);
        let span = tracing::info_span!(
            "request",
            request_id = id.as_str(),
            method = %request.method(),
            path = request.uri().path(),
        );
        // The service that was polled ready handles this request; a clone takes its place.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let headers = Arc::clone(&self.headers);
        let called = std::panic::catch_unwind(AssertUnwindSafe(|| inner.call(request)));
        Box::pin(
            async move {
                let outcome = match called {
                    Ok(future) => AssertUnwindSafe(future).catch_unwind().await,
                    Err(panic) => Err(panic),
                };
                let mut response = match outcome {
                    Ok(Ok(response)) => response,
                    Err(panic) => panic_response(&*panic),
                };
                refuse_unchecked_markup(&mut response);
                answer_errors_as_problems(&mut response);
                secure_headers(&mut response, &headers, &id, &csp, nonce.as_ref());
                Ok(response)
            }
            .instrument(span),
        )
    }
}

/// A panic, answered as a masked 500; its message is logged under the incident id.
fn panic_response(panic: &(dyn std::any::Any + Send)) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message");
    let incident = incident_id();
    tracing::error!(
        status = 500,
        code = "panic",
        incident = incident.as_str(),
        panic = message,
        "the handler panicked"
    );
    Problem::new(500, "internal_error", SERVER_ERROR_DETAIL)
        .with_incident(incident)
        .into_response()
}

/// Marks a response whose markup palisade made: a page of `palisade::page`, a static file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MarkupMade;

/// The media types a browser renders as a document that can run script.
const MARKUP_TYPES: [&str; 5] = [
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
];

/// Refuses, as a masked 500 logged once with its incident id, a response that would bring the
/// client a policy or markup palisade did not check: a `Content-Security-Policy` header written
/// by a handler or a layer (a response's own policy is a `Csp` response part), or an HTML,
/// XHTML, SVG or XML body not made by `palisade::page` or a static-file route. The compiler
/// cannot see these: a header array carries its names as values.
fn refuse_unchecked_markup(response: &mut Response) {
    let headers = response.headers();
    let policy = headers.contains_key(header::CONTENT_SECURITY_POLICY)
        || headers.contains_key(header::CONTENT_SECURITY_POLICY_REPORT_ONLY);
    let markup = response.extensions().get::<MarkupMade>().is_none()
        && headers
            .get_all(header::CONTENT_TYPE)
            .iter()
            .any(|value| is_markup_type(value.as_bytes()));
    if !(policy || markup) {
        return;
    }
    let incident = incident_id();
    let reason = if policy {
        "a Content-Security-Policy header not given as a Csp"
    } else {
        "a markup body not made by palisade::page"
    };
    tracing::error!(
        status = 500,
        code = "unchecked_markup",
        incident = incident.as_str(),
        reason,
        "a response was refused"
    );
    *response = Problem::new(500, "internal_error", SERVER_ERROR_DETAIL)
        .with_incident(incident)
        .into_response();
}

/// Whether a `Content-Type` value could make a browser render a document: a markup type in
/// any case and with any parameters, any `+xml` type or `text/xsl`, a list (browsers take its
/// last entry), and what they sniff (`*/*`, `unknown/unknown`, `application/unknown`, an
/// empty or slashless value).
fn is_markup_type(value: &[u8]) -> bool {
    if value.contains(&b',') {
        return true;
    }
    // Compared in place, without a lowercase copy: this runs on every response.
    let essence = value.split(|&b| b == b';').next().unwrap_or_default();
    let essence = essence.trim_ascii();
    let is = |kind: &str| essence.eq_ignore_ascii_case(kind.as_bytes());
    let sniffed = ["*/*", "unknown/unknown", "application/unknown", "text/xsl"];
    essence.is_empty()
        || !essence.contains(&b'/')
        || essence
            .len()
            .checked_sub(4)
            .is_some_and(|start| essence[start..].eq_ignore_ascii_case(b"+xml"))
        || sniffed.into_iter().any(is)
        || MARKUP_TYPES.into_iter().any(is)
}

/// Headers that describe a body, dropped with the body they described.
const BODY_HEADERS: [HeaderName; 6] = [
    header::CONTENT_TYPE,
    header::CONTENT_LENGTH,
    header::CONTENT_ENCODING,
    header::CONTENT_LANGUAGE,
    header::CONTENT_DISPOSITION,
    header::ETAG,
];

/// An error answer without a problem body (axum's rejections, the layers' 408 and 413, a
/// handler's bare status or text) becomes a problem with a fixed text for its status; what its
/// body said is dropped unread.
fn answer_errors_as_problems(response: &mut Response) {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return;
    }
    // Only palisade's own problems pass, with the body they were made with: a body that merely
    // says it is a problem (a handler's header, a proxied answer) is replaced like any other,
    // and so is a problem's body swapped on its way out.
    if let Some(body) = crate::problem::made_body(response) {
        let headers = response.headers_mut();
        for name in &BODY_HEADERS {
            headers.remove(name);
        }
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(crate::error::PROBLEM_JSON),
        );
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        *response.body_mut() = Body::from(body);
        return;
    }
    let (code, detail) = match status {
        StatusCode::BAD_REQUEST => ("bad_request", "the request is malformed"),
        StatusCode::UNAUTHORIZED => ("unauthorized", "the request needs valid credentials"),
        StatusCode::FORBIDDEN => ("forbidden", "the request is not allowed"),
        StatusCode::NOT_FOUND => ("not_found", "there is nothing at this address"),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this address does not accept this method",
        ),
        StatusCode::REQUEST_TIMEOUT => ("request_timeout", "the request took too long"),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "the request body is larger than this endpoint accepts",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "the request body has a content type this endpoint does not accept",
        ),
        StatusCode::UNPROCESSABLE_ENTITY => ("unprocessable", "the request cannot be processed"),
        StatusCode::TOO_MANY_REQUESTS => ("too_many_requests", "too many requests: try later"),
        status if status.is_client_error() => ("client_error", "the request cannot be served"),
        _ => ("internal_error", SERVER_ERROR_DETAIL),
    };
    let mut problem = Problem::new(status.as_u16(), code, detail);
    if status.is_server_error() {
        let incident = incident_id();
        tracing::error!(
            status = status.as_u16(),
            code = "unexplained_server_error",
            incident = incident.as_str(),
            "a server error was answered without a problem body"
        );
        problem = problem.with_incident(incident);
    }
    let mut replacement = problem.into_response();
    *replacement.status_mut() = status;
    // What the original answer said about the exchange stays (`Allow` on a 405, CORS headers,
    // cookies); what described its body goes with it.
    for (name, value) in response.headers() {
        if !BODY_HEADERS.contains(name) && !replacement.headers().contains_key(name) {
            replacement
                .headers_mut()
                .append(name.clone(), value.clone());
        }
    }
    *response = replacement;
}

fn secure_headers(
    response: &mut Response,
    headers: &[(HeaderName, HeaderValue)],
    id: &RequestId,
    csp: &PolicyHeader,
    nonce: Option<&CspNonce>,
) {
    let map = response.headers_mut();
    map.reserve(headers.len() + 3);
    for name in &REMOVED {
        map.remove(name);
    }
    for (name, value) in headers {
        map.insert(name.clone(), value.clone());
    }
    // The response's own policy (a `Csp` response part), else the stack's. A policy without a
    // nonce is the same on every response: the stack's value is made once.
    let value = match (
        response.extensions().get::<ResponsePolicy>(),
        nonce,
        &csp.fixed,
    ) {
        // A `'nonce'` the stack made no nonce for: no handler could read one (`CspNonce` is made
        // only under a stack policy with `'nonce'`), so nothing on the page carries it; a fresh
        // one keeps the header valid and matches no script.
        (Some(ResponsePolicy(own)), None, _) if own.has_nonce() => {
            HeaderValue::try_from(own.render(Some(&CspNonce::fresh()))).ok()
        }
        (Some(ResponsePolicy(own)), ..) => HeaderValue::try_from(own.render(nonce)).ok(),
        (None, None, Some(fixed)) => Some(fixed.clone()),
        (None, ..) => HeaderValue::try_from(csp.policy.render(nonce)).ok(),
    };
    let map = response.headers_mut();
    if let Some(value) = value {
        map.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    if !map.contains_key(header::CACHE_CONTROL) {
        map.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(DEFAULT_CACHE_CONTROL),
        );
    }
    if let Ok(value) = HeaderValue::from_str(id.as_str()) {
        map.insert(REQUEST_ID_HEADER.clone(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::{is_markup_type, well_formed};

    #[test]
    fn documents_are_recognized_in_every_spelling() {
        for markup in [
            "text/html",
            "Text/HTML; charset=utf-8",
            " text/html ;charset=utf-8",
            "application/xhtml+xml",
            "image/SVG+xml",
            "application/rss+XML",
            "text/xsl",
            "text/plain, text/html",
            "*/*",
            "unknown/unknown",
            "texthtml",
            "",
        ] {
            assert!(is_markup_type(markup.as_bytes()), "{markup:?}");
        }
        for data in [
            "application/json",
            "application/problem+json",
            "text/plain; charset=utf-8",
            "image/png",
            "application/octet-stream",
            "text/csv",
        ] {
            assert!(!is_markup_type(data.as_bytes()), "{data:?}");
        }
    }

    #[test]
    fn request_ids_are_accepted_only_when_well_formed() {
        for good in ["a", "abc-123_X.y", &"a".repeat(64)] {
            assert!(well_formed(good), "{good}");
        }
        for bad in [
            "",
            &"a".repeat(65),
            "a b",
            "a\nb",
            "<script>",
            "id;drop",
            "é",
        ] {
            assert!(!well_formed(bad), "{bad}");
        }
    }
}
