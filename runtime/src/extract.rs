//! Validated axum extractors: `Valid<Json<T>>`, `Valid<Query<T>>`, `Valid<Form<T>>` and
//! `Valid<Path<T>>`.

use std::ops::Deref;

use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::de::DeserializeOwned;

use crate::problem::Problem;
use crate::sanitized::{ProvidesContext, Sanitized};

/// Request data that was deserialized, sanitized and validated.
///
/// `Valid<E>` can only be made by validation: it has no public constructor and does not
/// implement `Deserialize`, so holding one proves the rules ran. It dereferences to the
/// validated value and gives it up with [`into_inner`](Valid::into_inner).
///
/// | extractor | reads | answers on bad input |
/// |---|---|---|
/// | `Valid<Json<T>>` | an `application/json` body | 400 malformed or wrong type, 413 too large, 422 invalid |
/// | `Valid<Form<T>>` | an urlencoded body (query string for `GET`) | 400, 413, 422 |
/// | `Valid<Query<T>>` | the query string | 400, 422 |
/// | `Valid<Path<T>>` | path parameters | 400, 422 |
///
/// Every answer is `application/problem+json` and names neither serde internals nor the input.
///
/// ```no_run
/// use axum::{Json, Router, routing::post};
/// use palisade::{Sanitized, Valid};
/// use serde::Deserialize;
///
/// #[derive(Deserialize, Sanitized)]
/// struct NewNote {
///     #[clean(trim)]
///     #[validate(length(min = 1, max = 200))]
///     title: String,
/// }
///
/// async fn create(note: Valid<Json<NewNote>>) -> String {
///     format!("created {}", note.title)
/// }
///
/// let app: Router = Router::new().route("/notes", post(create));
/// ```
///
/// There is no way to build one by hand:
///
/// ```compile_fail
/// use axum::Json;
/// use palisade::Valid;
/// let forged: Valid<Json<String>> = Valid(Json(String::new()));
/// ```
#[derive(Debug)]
pub struct Valid<E>(E);

/// Extractors whose payload `Valid` can hold.
pub trait Payload {
    /// The payload type.
    type Inner;
    /// Borrows the payload.
    fn payload(&self) -> &Self::Inner;
    /// Takes the payload.
    fn into_payload(self) -> Self::Inner;
}

macro_rules! payloads {
    ($($extractor:ident),*) => {$(
        impl<T> Payload for $extractor<T> {
            type Inner = T;
            fn payload(&self) -> &T {
                &self.0
            }
            fn into_payload(self) -> T {
                self.0
            }
        }
    )*};
}
payloads!(Json, Query, Form, Path);

impl<E: Payload> Valid<E> {
    /// The validated value.
    pub fn into_inner(self) -> E::Inner {
        self.0.into_payload()
    }
}

impl<E: Payload> Deref for Valid<E> {
    type Target = E::Inner;

    fn deref(&self) -> &E::Inner {
        self.0.payload()
    }
}

/// Why a validated extractor refused a request; answered as `application/problem+json`.
#[derive(Debug)]
pub struct ValidRejection(Box<Problem>);

impl ValidRejection {
    /// The problem that is sent.
    pub fn problem(&self) -> &Problem {
        &self.0
    }

    /// Maps axum's rejection to a problem that keeps only its status: axum's messages quote
    /// serde's errors, which name fields, types and input values.
    fn from_status(status: StatusCode, what: Source) -> Self {
        let problem = match status {
            StatusCode::PAYLOAD_TOO_LARGE => Problem::new(
                413,
                "payload_too_large",
                "the request body is larger than this endpoint accepts",
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                Problem::new(400, "unsupported_media_type", what.media_type_detail())
            }
            status if status.is_server_error() => Problem::new(
                500,
                "internal_error",
                "the server could not process the request",
            ),
            _ => Problem::new(400, what.malformed_code(), what.malformed_detail()),
        };
        Self(Box::new(problem))
    }
}

impl IntoResponse for ValidRejection {
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}

#[derive(Clone, Copy)]
enum Source {
    Json,
    Form,
    Query,
    Path,
}

impl Source {
    fn malformed_code(self) -> &'static str {
        match self {
            Source::Json | Source::Form => "malformed_body",
            Source::Query => "malformed_query",
            Source::Path => "malformed_path",
        }
    }

    fn malformed_detail(self) -> &'static str {
        match self {
            Source::Json => "the request body is not JSON of the expected shape",
            Source::Form => "the request body is not a form of the expected shape",
            Source::Query => "the query string does not have the expected shape",
            Source::Path => "the path parameters do not have the expected shape",
        }
    }

    fn media_type_detail(self) -> &'static str {
        match self {
            Source::Form => "expected a body of type `application/x-www-form-urlencoded`",
            Source::Json | Source::Query | Source::Path => {
                "expected a body of type `application/json`"
            }
        }
    }
}

fn sanitize_and_validate<T, S>(mut value: T, state: &S) -> Result<T, ValidRejection>
where
    T: Sanitized,
    S: ProvidesContext<T::Context>,
{
    let context = state.validation_context();
    value
        .sanitize_and_validate_with(&context)
        .map_err(|errors| ValidRejection(Box::new(Problem::validation(errors))))?;
    Ok(value)
}

impl<T, S> FromRequest<S> for Valid<Json<T>>
where
    T: DeserializeOwned + Sanitized,
    S: Send + Sync + ProvidesContext<T::Context>,
{
    type Rejection = ValidRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Json(value) =
            Json::<T>::from_request(request, state)
                .await
                .map_err(|rejection: JsonRejection| {
                    ValidRejection::from_status(rejection.status(), Source::Json)
                })?;
        Ok(Valid(Json(sanitize_and_validate(value, state)?)))
    }
}

impl<T, S> FromRequest<S> for Valid<Form<T>>
where
    T: DeserializeOwned + Sanitized,
    S: Send + Sync + ProvidesContext<T::Context>,
{
    type Rejection = ValidRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Form(value) =
            Form::<T>::from_request(request, state)
                .await
                .map_err(|rejection: FormRejection| {
                    ValidRejection::from_status(rejection.status(), Source::Form)
                })?;
        Ok(Valid(Form(sanitize_and_validate(value, state)?)))
    }
}

impl<T, S> FromRequestParts<S> for Valid<Query<T>>
where
    T: DeserializeOwned + Sanitized,
    S: Send + Sync + ProvidesContext<T::Context>,
{
    type Rejection = ValidRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(value) = Query::<T>::from_request_parts(parts, state).await.map_err(
            |rejection: QueryRejection| {
                ValidRejection::from_status(rejection.status(), Source::Query)
            },
        )?;
        Ok(Valid(Query(sanitize_and_validate(value, state)?)))
    }
}

impl<T, S> FromRequestParts<S> for Valid<Path<T>>
where
    T: DeserializeOwned + Sanitized + Send,
    S: Send + Sync + ProvidesContext<T::Context>,
{
    type Rejection = ValidRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(value) = Path::<T>::from_request_parts(parts, state).await.map_err(
            |rejection: PathRejection| {
                ValidRejection::from_status(rejection.status(), Source::Path)
            },
        )?;
        Ok(Valid(Path(sanitize_and_validate(value, state)?)))
    }
}
