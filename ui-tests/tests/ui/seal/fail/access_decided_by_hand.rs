//! The access marker written by hand would put an undecided handler on the router.

use axum::extract::Request;
use axum::handler::Handler;
use axum::response::{IntoResponse, Response};

#[derive(Clone, Copy)]
struct Open;

impl<S: Send + Sync + 'static> Handler<((),), S> for Open {
    type Future = std::future::Ready<Response>;
    fn call(self, _: Request, _: S) -> Self::Future {
        std::future::ready("anyone".into_response())
    }
}

impl palisade::__private::AccessDecided for Open {
    const ACCESS: palisade::__private::Access = palisade::__private::Access::Public {
        reason: "",
        csrf_checked: false,
        csrf_exempt: None,
    };
    fn doors(_: &mut palisade::__private::Doors) {}
}

fn main() {}
