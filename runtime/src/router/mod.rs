//! The secure router (DESIGN.md G1): it takes only handlers that carry an access decision, and
//! puts the default stack on every route, nested and merged ones included, when it is finished.
//! The user's own layers, fallback and static files go on it too, inside that stack.
//!
//! [`Router`] is at the crate root; here are what it reports ([`RouteReport`], [`Route`], and
//! the [`Door`]s opened with `#[palisade::trusted(...)]`) and what it finishes into
//! ([`Finished`]).

pub(crate) mod access;
pub(crate) mod csrf;
mod files;
mod report;
mod user_layer;

use std::convert::Infallible;
use std::path::Path;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::handler::Handler;
use axum::response::{IntoResponse, Response};
use axum::routing::{IntoMakeService, MethodRouter};
use tower::{Layer, Service};

use crate::layers::SecureDefaults;

pub use crate::seal::{Door, DoorKind};
use access::AccessDecided;
pub use report::{Route, RouteReport};

use files::PublicFiles;
use user_layer::UserLayer;

/// The path of a fallback in the route report: every path no route matches (`*` is no route
/// segment axum accepts, so no route can be mistaken for it).
const FALLBACK_PATH: &str = "/*";

/// An axum handler, as [`Router`]'s methods take it. A decided handler that is not one has an
/// error at its own definition (an argument that is no trusted extractor, a response that is
/// not safe), or does not fit the router's state; this names those causes instead of axum's
/// generic `Handler` error.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be routed on a router whose state is `{S}`",
    label = "not a handler of this router",
    note = "an error at the handler's own definition (an argument or the return type refused) comes first: fix it; otherwise a `State<...>` argument must name the router's state (give it with `.with_state(...)`), and a `#[requires_auth]` handler needs `{S}: palisade::auth::ProvidesAuth`"
)]
pub trait RoutableHandler<T, S>: Handler<T, S> {}

#[diagnostic::do_not_recommend]
impl<H: Handler<T, S>, T, S> RoutableHandler<T, S> for H {}

/// What [`Router::merge`] and [`Router::nest`] take: another palisade router, and nothing
/// else. An `axum::Router`'s routes carry no access decision and would be served outside the
/// stack's checks, so it is refused with a message that says so.
#[diagnostic::on_unimplemented(
    message = "only a `palisade::Router<{S}>` can be merged or nested here, not `{Self}`",
    label = "not a palisade router of this state",
    note = "an `axum::Router`'s routes would bypass the access decision and the secure stack: move its handlers onto a `palisade::Router`, each with `#[public(reason = \"...\")]` or `#[requires_auth(...)]`, and its middleware with `.layer(...)` (see the README's \"Moving an axum application\"); a palisade router of another state is merged after `.with_state(...)` makes its state this one"
)]
pub trait DecidedRoutes<S>: sealed::Sealed {
    #[doc(hidden)]
    fn into_router(self) -> Router<S>;
}

impl<S> DecidedRoutes<S> for Router<S> {
    fn into_router(self) -> Router<S> {
        self
    }
}

mod sealed {
    pub trait Sealed {}
    impl<S> Sealed for super::Router<S> {}
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
///
/// An axum application moves onto it whole: its middleware with [`layer`](Self::layer), its
/// fallback with [`fallback`](Self::fallback), its assets with
/// [`public_files`](Self::public_files), and every method, each handler decided and every
/// answer under the stack.
#[must_use]
pub struct Router<S = ()> {
    inner: axum::Router<S>,
    defaults: SecureDefaults,
    routes: Vec<Route>,
    /// The user's layers not yet put on `inner`, in the order given (innermost first).
    layers: Vec<UserLayer>,
}

impl<S: Clone + Send + Sync + 'static> Default for Router<S> {
    fn default() -> Self {
        Self::new()
    }
}

macro_rules! methods {
    ($($method:ident $name:literal),* $(,)?) => {$(
        #[doc = concat!("Routes `", $name, "` requests on `path` to `handler`, a `#[public]` or `#[requires_auth]` handler.")]
        ///
        /// ```
        /// use palisade::{Router, public};
        ///
        /// #[public(reason = "anyone may ask")]
        /// async fn answer() -> &'static str {
        ///     "42"
        /// }
        ///
        #[doc = concat!("let router = Router::<()>::new().", stringify!($method), "(\"/answer\", answer);")]
        #[doc = concat!("assert_eq!(router.route_report().0[0].method, \"", $name, "\");")]
        /// ```
        pub fn $method<H, T>(self, path: &str, handler: H) -> Self
        where
            H: RoutableHandler<T, S>,
            H: AccessDecided,
            T: 'static,
        {
            let mut router = self.on(path, axum::routing::$method(handler));
            router.routes.push(Route::decided::<H>($name, path));
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
            layers: Vec::new(),
        }
    }

    /// The stack to put on every route when the router is finished.
    pub fn defaults(self, defaults: SecureDefaults) -> Self {
        Self { defaults, ..self }
    }

    methods!(
        get "GET",
        post "POST",
        put "PUT",
        patch "PATCH",
        delete "DELETE",
        head "HEAD",
        options "OPTIONS",
        any "ANY",
    );

    fn on(self, path: &str, method_router: MethodRouter<S>) -> Self {
        Self {
            inner: self.inner.route(path, method_router),
            ..self
        }
    }

    /// Answers every request that no route matches with `handler`, a `#[public]` or
    /// `#[requires_auth]` handler like any route's; without one, such a request is answered
    /// palisade's problem+json 404. A second call replaces the first. Nested, it answers what
    /// no route under its prefix matches. The route report shows it as `ANY /*`.
    ///
    /// ```
    /// use palisade::{Router, public};
    ///
    /// #[public(reason = "the single-page app routes in the browser")]
    /// async fn app_shell() -> &'static str {
    ///     "<!doctype html><title>app</title>"
    /// }
    ///
    /// let router = Router::<()>::new().fallback(app_shell);
    /// let route = &router.route_report().0[0];
    /// assert_eq!((route.method, route.path.as_str()), ("ANY", "/*"));
    /// ```
    ///
    /// An undecided handler does not go there either:
    ///
    /// ```compile_fail
    /// async fn anything() -> &'static str { "anyone" }
    /// let router = palisade::Router::<()>::new().fallback(anything);
    /// ```
    pub fn fallback<H, T>(mut self, handler: H) -> Self
    where
        H: RoutableHandler<T, S>,
        H: AccessDecided,
        T: 'static,
    {
        self.routes.retain(|route| route.path != FALLBACK_PATH);
        self.routes.push(Route::decided::<H>("ANY", FALLBACK_PATH));
        Self {
            inner: self.inner.fallback(handler),
            ..self
        }
    }

    /// Serves the files of `folder` under `path` (`GET` and `HEAD`), to anyone, for `reason`,
    /// which the route report shows as it shows a `#[public]` handler's.
    ///
    /// A file's `Content-Type` follows its extension (text declared UTF-8, unknown kinds
    /// `application/octet-stream`), and the stack adds `X-Content-Type-Options: nosniff`, its
    /// other headers and `Cache-Control: no-store` unless a [`layer`](Self::layer) sets a
    /// caching policy. Ranges and `If-Modified-Since` are honoured. A folder is never listed;
    /// a path that climbs out (`..`, encoded or not, backslashes, absolute paths), names a
    /// hidden file (only `.well-known` is served), or leads out through a symbolic link is
    /// answered like a missing file: palisade's problem+json 404. At `/`, the files answer
    /// every path no other route matches, before a [`fallback`](Self::fallback).
    ///
    /// ```
    /// use palisade::Router;
    ///
    /// # let folder = std::env::temp_dir();
    /// let router = Router::<()>::new().public_files(
    ///     "/assets",
    ///     &folder,
    ///     "the stylesheets and images of the public pages",
    /// );
    /// let route = &router.route_report().0[0];
    /// assert_eq!((route.path.as_str(), route.access), ("/assets/{*file}", "public"));
    /// assert_eq!(route.decision, "the stylesheets and images of the public pages");
    /// ```
    ///
    /// # Panics
    ///
    /// When `reason` is blank, `path` is not a fixed path starting with `/`, or `folder` is
    /// not a folder that can be read: the router is being built, and a server must not start
    /// with a door it cannot explain or assets it cannot serve.
    ///
    /// ```should_panic
    /// let router = palisade::Router::<()>::new().public_files("/assets", std::env::temp_dir(), " ");
    /// ```
    pub fn public_files(self, path: &str, folder: impl AsRef<Path>, reason: &'static str) -> Self {
        assert!(
            !reason.trim().is_empty(),
            "static files at `{path}` are public: say why in `reason`"
        );
        let folder = folder.as_ref();
        let files = PublicFiles::new(path, folder);
        let pattern = files.pattern();
        let mut router = self.on(&pattern, axum::routing::get_service(files));
        router
            .routes
            .push(Route::files(pattern, folder.display().to_string(), reason));
        router
    }

    /// Wraps every route of this router, the fallback and static files included, in `layer`
    /// (any layer axum's `Router::layer` takes), whatever the order of the calls. It sits
    /// inside palisade's stack, which still has the last word on the way out: an error
    /// answer it makes is masked like a handler's, a security header it removes is put back,
    /// its panic is a masked 500; headers it adds stay. A later call wraps the earlier ones.
    /// The route report lists each route's layers by type name, outermost first.
    ///
    /// ```
    /// use axum::http::header::{CACHE_CONTROL, HeaderValue};
    /// use axum::middleware::map_response;
    /// use axum::response::Response;
    /// use palisade::{Router, public};
    ///
    /// #[public(reason = "anyone may read the news")]
    /// async fn news() -> &'static str {
    ///     "nothing new"
    /// }
    ///
    /// async fn cache_a_minute(mut response: Response) -> Response {
    ///     let policy = HeaderValue::from_static("public, max-age=60");
    ///     response.headers_mut().insert(CACHE_CONTROL, policy);
    ///     response
    /// }
    ///
    /// let router = Router::<()>::new()
    ///     .get("/news", news)
    ///     .layer(map_response(cache_a_minute));
    /// assert!(router.route_report().0[0].layers[0].contains("MapResponseLayer"));
    /// ```
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Error: Into<Infallible> + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        self.layers.push(UserLayer::new(layer));
        self
    }

    /// Mounts `router`'s routes under `path`. Its stack settings give way to this router's;
    /// its layers wrap its own routes, inside this router's.
    pub fn nest<R: DecidedRoutes<S>>(self, path: &str, router: R) -> Self {
        let router = router.into_router();
        let prefix = path.trim_end_matches('/');
        let (nested, nested_routes) = router.wrapped();
        let mut this = Self {
            inner: self.inner.nest(path, nested),
            ..self
        };
        this.routes
            .extend(nested_routes.into_iter().map(|route| Route {
                path: format!("{prefix}{}", route.path),
                ..route
            }));
        this
    }

    /// Adds `router`'s routes. Its stack settings give way to this router's; its layers wrap
    /// its own routes, inside this router's.
    pub fn merge<R: DecidedRoutes<S>>(self, router: R) -> Self {
        let (merged, merged_routes) = router.into_router().wrapped();
        let mut this = Self {
            inner: self.inner.merge(merged),
            ..self
        };
        this.routes.extend(merged_routes);
        this
    }

    /// The routes so far, who may call them, and the layers around them (DESIGN.md G10).
    pub fn route_report(&self) -> RouteReport {
        let mut routes = self.routes.clone();
        for route in &mut routes {
            route.layers.splice(0..0, self.layer_names());
        }
        routes.sort_by(|a, b| (&a.path, a.method).cmp(&(&b.path, b.method)));
        RouteReport(routes)
    }

    /// Gives the handlers their state. Layers given before it wrap the routes added after it
    /// too.
    pub fn with_state<S2>(self, state: S) -> Router<S2> {
        Router {
            inner: self.inner.with_state(state),
            defaults: self.defaults,
            routes: self.routes,
            layers: self.layers,
        }
    }

    /// This router's own layer names, outermost first.
    fn layer_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.layers.iter().rev().map(|layer| layer.name)
    }

    /// The routes with this router's layers put on them, for a router that takes no more.
    fn wrapped(self) -> (axum::Router<S>, Vec<Route>) {
        let routes = self.route_report().0;
        let inner = self
            .layers
            .into_iter()
            .fold(self.inner, axum::Router::layer);
        (inner, routes)
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
        let defaults = self.defaults.clone();
        let (inner, _) = self.wrapped();
        defaults.apply(inner)
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
