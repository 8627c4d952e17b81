//! The user's tower layers, kept apart from the routes until the router is finished so that they
//! wrap every route whatever the order of the calls, the way palisade's own stack does.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use axum::routing::Route;
use tower::util::BoxCloneSyncService;
use tower::{Layer, Service, ServiceExt as _};

/// The service a user layer makes of a route, its response and error types made uniform.
type Wrapped = BoxCloneSyncService<Request, Response, Infallible>;

/// One of the user's layers with its type erased: its state-independent `Layer<Route>` survives
/// `with_state`, so a layer given before it still wraps the routes added after it.
#[derive(Clone)]
pub(super) struct UserLayer {
    /// The layer's type name, for the route report.
    pub(super) name: &'static str,
    wrap: Arc<dyn Fn(Route) -> Wrapped + Send + Sync>,
}

impl UserLayer {
    /// Takes any layer axum's own `Router::layer` takes.
    pub(super) fn new<L>(layer: L) -> Self
    where
        L: Layer<Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Error: Into<Infallible> + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        Self {
            name: std::any::type_name::<L>(),
            wrap: Arc::new(move |route| {
                BoxCloneSyncService::new(
                    layer
                        .layer(route)
                        .map_response(IntoResponse::into_response)
                        .map_err(Into::into),
                )
            }),
        }
    }
}

impl Layer<Route> for UserLayer {
    type Service = Wrapped;

    fn layer(&self, route: Route) -> Wrapped {
        (self.wrap)(route)
    }
}
