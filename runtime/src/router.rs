//! The secure router (DESIGN.md G1): it takes only handlers that carry an access decision, and
//! puts the default stack on every route, nested and merged ones included, when it is finished.

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::handler::Handler;
use axum::response::Response;
use axum::routing::{IntoMakeService, MethodRouter};

use crate::layers::SecureDefaults;

/// What an access attribute decided for a handler.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// `#[public(reason = "...")]`.
    Public {
        /// Why anyone may call it.
        reason: &'static str,
    },
    /// `#[requires_auth(...)]`.
    Authenticated {
        /// The rule as written.
        rule: &'static str,
        /// The object-level policy, as written.
        policy: Option<&'static str>,
        /// Why cookie-authenticated writes are not CSRF-checked, if they are not.
        csrf_exempt: Option<&'static str>,
    },
}

/// The marker of `#[public]` and `#[requires_auth]` handlers: the only handlers the secure
/// router takes.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "handler has no access decision: add `#[requires_auth(...)]` or `#[public(reason = \"...\")]`",
    label = "this handler says nothing about who may call it",
    note = "palisade's router takes only handlers whose attribute decides their access; a plain `async fn` can go on axum's own router, outside palisade's guarantees"
)]
pub trait AccessDecided {
    /// The decision.
    const ACCESS: Access;
}

/// The extractor marker of decided handlers.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Decided;

/// A handler argument that carries no raw request data (G2).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` hands the handler unchecked request data",
    label = "take a validated extractor instead",
    note = "request data reaches a palisade handler only as `Valid<Json<T>>`, `Valid<Query<T>>`, `Valid<Form<T>>` or `Valid<Path<T>>` of a `#[derive(Sanitized)]` type; `State`, `RequestId` and `CspNonce` are accepted as they are; credentials come through the authenticated principal, not `HeaderMap`"
)]
pub trait TrustedInput {}

impl<T: crate::Sanitized> TrustedInput for crate::Valid<axum::Json<T>> {}
impl<T: crate::Sanitized> TrustedInput for crate::Valid<axum::extract::Query<T>> {}
impl<T: crate::Sanitized> TrustedInput for crate::Valid<axum::Form<T>> {}
impl<T: crate::Sanitized> TrustedInput for crate::Valid<axum::extract::Path<T>> {}
impl<S> TrustedInput for axum::extract::State<S> {}
impl TrustedInput for axum::Extension<crate::layers::RequestId> {}
impl TrustedInput for axum::Extension<crate::csp::CspNonce> {}
#[cfg(any(feature = "jwt", feature = "session"))]
impl<P> TrustedInput for crate::auth::Auth<P> {}
#[cfg(feature = "session")]
impl TrustedInput for crate::session::Session {}
#[cfg(feature = "session")]
impl TrustedInput for crate::session::ClientAddr {}

/// Compiles only where `T` is a trusted argument; the error lands on the argument's type.
#[doc(hidden)]
pub const fn assert_trusted_input<T: TrustedInput>() {}

/// Answers a handler's output, which must be a safe response; the error lands on the return
/// type.
#[doc(hidden)]
pub fn into_safe_response<R: crate::SafeResponse>(output: R) -> Response {
    axum::response::IntoResponse::into_response(output)
}

/// A router that takes only decided handlers, and finishes into a service with the secure
/// default stack on every route.
///
/// ```
/// use palisade::{Router, public};
///
/// /// Load balancers probe it.
/// #[public(reason = "health checks are open to load balancers")]
/// async fn healthz() -> &'static str {
///     "ok"
/// }
///
/// let app = Router::new().get("/healthz", healthz).into_make_service();
/// # drop(app);
/// ```
///
/// A plain `async fn` does not go on it:
///
/// ```compile_fail
/// async fn open() -> &'static str { "anyone" }
/// let app = palisade::Router::new().get("/open", open);
/// ```
#[must_use]
pub struct Router<S = ()> {
    inner: axum::Router<S>,
    defaults: SecureDefaults,
    routes: Vec<Route>,
}

/// One route of the attack surface (DESIGN.md G10): who may call it, as the handler's attribute
/// decided.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Route {
    /// `GET`, `POST`, …
    pub method: &'static str,
    /// The path, with nesting prefixes.
    pub path: String,
    /// The handler's name.
    pub handler: &'static str,
    /// `public` or `authenticated`.
    pub access: &'static str,
    /// The public handler's reason, or the authenticated handler's rule.
    pub decision: &'static str,
    /// The object-level policy, if any.
    pub policy: Option<&'static str>,
    /// Why the CSRF check is waived, if it is.
    pub csrf_exempt: Option<&'static str>,
}

impl Route {
    fn new<H: AccessDecided>(method: &'static str, path: &str) -> Self {
        let name = std::any::type_name::<H>();
        let handler = name.rsplit("::").next().unwrap_or(name);
        let (access, decision, policy, csrf_exempt) = match H::ACCESS {
            Access::Public { reason } => ("public", reason, None, None),
            Access::Authenticated {
                rule,
                policy,
                csrf_exempt,
            } => ("authenticated", rule, policy, csrf_exempt),
        };
        Self {
            method,
            path: path.to_owned(),
            handler,
            access,
            decision,
            policy,
            csrf_exempt,
        }
    }
}

/// The routes of a router, for the security report: `Display` writes a Markdown table,
/// `Serialize` the JSON.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct RouteReport(pub Vec<Route>);

impl std::fmt::Display for RouteReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "| method | path | handler | access | rule or reason | policy | CSRF |"
        )?;
        writeln!(f, "|---|---|---|---|---|---|---|")?;
        for route in &self.0 {
            let cell = |text: &str| text.replace('|', "\\|");
            writeln!(
                f,
                "| {} | `{}` | `{}` | {} | {} | {} | {} |",
                route.method,
                cell(&route.path),
                route.handler,
                route.access,
                cell(route.decision),
                route
                    .policy
                    .map_or_else(String::new, |policy| format!("`{}`", cell(policy))),
                match (route.access, route.csrf_exempt) {
                    ("public", _) => String::new(),
                    (_, Some(reason)) => format!("exempt: {}", cell(reason)),
                    (_, None) => "checked".to_owned(),
                },
            )?;
        }
        Ok(())
    }
}

impl<S: Clone + Send + Sync + 'static> Default for Router<S> {
    fn default() -> Self {
        Self::new()
    }
}

macro_rules! methods {
    ($($method:ident $name:literal),* $(,)?) => {$(
        #[doc = concat!("Routes `", stringify!($method), "` requests on `path` to `handler`, a `#[public]` or `#[requires_auth]` handler.")]
        pub fn $method<H, T>(self, path: &str, handler: H) -> Self
        where
            H: Handler<T, S>,
            H: AccessDecided,
            T: 'static,
        {
            let mut router = self.on(path, axum::routing::$method(handler));
            router.routes.push(Route::new::<H>($name, path));
            router
        }
    )*};
}

impl<S: Clone + Send + Sync + 'static> Router<S> {
    /// An empty router with the default stack.
    pub fn new() -> Self {
        Self {
            inner: axum::Router::new(),
            defaults: SecureDefaults::new(),
            routes: Vec::new(),
        }
    }

    /// The stack to put on every route when the router is finished.
    pub fn defaults(self, defaults: SecureDefaults) -> Self {
        Self { defaults, ..self }
    }

    methods!(get "GET", post "POST", put "PUT", patch "PATCH", delete "DELETE");

    fn on(self, path: &str, method_router: MethodRouter<S>) -> Self {
        Self {
            inner: self.inner.route(path, method_router),
            ..self
        }
    }

    /// Mounts `router`'s routes under `path`. Its stack settings give way to this router's.
    pub fn nest(mut self, path: &str, router: Router<S>) -> Self {
        let prefix = path.trim_end_matches('/');
        self.routes
            .extend(router.routes.into_iter().map(|route| Route {
                path: format!("{prefix}{}", route.path),
                ..route
            }));
        Self {
            inner: self.inner.nest(path, router.inner),
            ..self
        }
    }

    /// Adds `router`'s routes. Its stack settings give way to this router's.
    pub fn merge(mut self, router: Router<S>) -> Self {
        self.routes.extend(router.routes);
        Self {
            inner: self.inner.merge(router.inner),
            ..self
        }
    }

    /// The routes so far and who may call them (DESIGN.md G10).
    pub fn route_report(&self) -> RouteReport {
        let mut routes = self.routes.clone();
        routes.sort_by(|a, b| (&a.path, a.method).cmp(&(&b.path, b.method)));
        RouteReport(routes)
    }

    /// Gives the handlers their state.
    pub fn with_state<S2>(self, state: S) -> Router<S2> {
        Router {
            inner: self.inner.with_state(state),
            defaults: self.defaults,
            routes: self.routes,
        }
    }
}

impl Router<()> {
    /// The finished application for `axum::serve`: the default stack on every route, and no
    /// way to add a route around it.
    pub fn into_make_service(self) -> IntoMakeService<axum::Router> {
        self.finish().into_make_service()
    }

    /// [`into_make_service`](Self::into_make_service) that also gives each request the
    /// client's address, for the login throttle's per-address counts (`ClientAddr`).
    #[cfg(feature = "session")]
    pub fn into_make_service_with_connect_info(
        self,
    ) -> axum::extract::connect_info::IntoMakeServiceWithConnectInfo<
        axum::Router,
        std::net::SocketAddr,
    > {
        self.finish()
            .into_make_service_with_connect_info::<std::net::SocketAddr>()
    }

    /// The finished application as a `tower` service (for tests and embedding).
    pub fn into_service(self) -> Finished {
        Finished(self.finish())
    }

    fn finish(self) -> axum::Router {
        self.defaults.apply(self.inner)
    }
}

/// A finished secure router: a service, closed to new routes.
#[derive(Clone)]
pub struct Finished(axum::Router);

impl tower::Service<Request> for Finished {
    type Response = Response;
    type Error = Infallible;
    type Future = <axum::Router as tower::Service<Request>>::Future;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        tower::Service::<Request>::poll_ready(&mut self.0, context)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        self.0.call(request)
    }
}
