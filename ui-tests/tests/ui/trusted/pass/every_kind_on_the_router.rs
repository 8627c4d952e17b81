//! Each door through the seal, used where it is needed, and shown in the route report.

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use palisade::router::DoorKind;
use palisade::{Router, Sanitized, Valid, public};

/// An extractor of the application's own.
#[palisade::trusted(input, reason = "reads only the proxy's verified tenant header")]
struct Tenant(u8);

impl<S: Send + Sync> FromRequestParts<S> for Tenant {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, StatusCode> {
        parts
            .headers
            .get("x-tenant")
            .and_then(|value| value.to_str().ok()?.parse().ok())
            .map(Tenant)
            .ok_or(StatusCode::BAD_REQUEST)
    }
}

/// A response type of the application's own, generic.
#[palisade::trusted(response, reason = "a count and nothing else")]
struct Count<T>(T);

impl<T: Into<u64>> IntoResponse for Count<T> {
    fn into_response(self) -> Response {
        self.0.into().to_string().into_response()
    }
}

/// A fixed-size type inside a request, bounded and an input both.
#[palisade::trusted(bounded, reason = "a u16 on the wire")]
#[derive(serde::Deserialize)]
struct Port(u16);

#[derive(serde::Deserialize, Sanitized)]
struct Probe {
    #[validate(skip(reason = "any port may be probed"))]
    port: Port,
    #[validate(length(max = 8))]
    more: Vec<Port>,
}

/// Another fixed-size type, inside a generic request type: its door is reported too.
#[palisade::trusted(bounded, reason = "one byte on the wire")]
#[derive(serde::Deserialize)]
struct Weight(u8);

/// A typed id: its parameter is a marker, holding no data, so any row type will do.
#[palisade::trusted(bounded, reason = "a u64 on the wire")]
#[derive(serde::Deserialize)]
struct Id<T>(u64, #[serde(skip)] std::marker::PhantomData<fn() -> T>);

#[derive(serde::Deserialize, Sanitized)]
struct Weighed<T> {
    #[validate(length(max = 4))]
    weights: Vec<Weight>,
    #[validate(length(max = 4))]
    rows: Vec<Id<String>>,
    #[validate(dive)]
    of: T,
}

#[public(reason = "anyone may count")]
async fn count(Tenant(tenant): Tenant, probe: Valid<Json<Weighed<Probe>>>) -> (StatusCode, Count<u16>) {
    let _ = probe.rows.iter().map(|id| id.0).sum::<u64>();
    let probe = &probe.of;
    let more: u16 = probe.more.iter().map(|port| port.0).sum();
    (StatusCode::OK, Count(u16::from(tenant) + probe.port.0 + more))
}

fn main() {
    let report = Router::<()>::new().post("/count", count).route_report();
    let doors = &report.0[0].doors;
    let kinds: Vec<DoorKind> = doors.iter().map(|door| door.kind).collect();
    // `Weight` and `Id<String>` are found in the generic `Weighed`, and `Port` in `Probe`
    // through its `dive`.
    assert_eq!(
        kinds,
        [
            DoorKind::Input,
            DoorKind::Bounded,
            DoorKind::Bounded,
            DoorKind::Bounded,
            DoorKind::Response
        ]
    );
    assert!(doors.iter().any(|door| door.type_name.ends_with("Id<alloc::string::String>")));
    assert!(doors.iter().any(|door| door.type_name.ends_with("Port")));
    let weight = doors.iter().find(|door| door.type_name.ends_with("Weight")).unwrap();
    assert_eq!(weight.reason, "one byte on the wire");
    assert!(report.to_string().contains("input `Tenant`: reads only the proxy's verified tenant header"));
}
