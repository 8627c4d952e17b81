//! RFC 9457 problem details: the one shape of every error answer.

use std::borrow::Cow;

use serde::Serialize;

use crate::validate::ValidationErrors;

/// The media type of problem details.
#[cfg(feature = "axum")]
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem details object.
///
/// Every field is chosen by the server: titles and details are static text, and validation
/// errors never hold the rejected value, so a problem never echoes the request.
///
/// ```
/// use palisade::Problem;
///
/// let problem = Problem::new(404, "not_found", "the resource does not exist");
/// let json = serde_json::to_value(&problem).unwrap();
/// assert_eq!(json["status"], 404);
/// assert_eq!(json["title"], "Not Found");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    detail: Cow<'static, str>,
    code: &'static str,
    /// The id under which a server error's detail was logged.
    #[serde(skip_serializing_if = "Option::is_none")]
    incident: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<ValidationErrors>,
}

impl Problem {
    /// A problem with the given HTTP `status`, machine-readable `code` and `detail` for people.
    /// The title is the status's reason phrase, as RFC 9457 asks for the type `about:blank`.
    #[must_use]
    pub fn new(status: u16, code: &'static str, detail: &'static str) -> Self {
        Self::with_detail(status, code, Cow::Borrowed(detail))
    }

    /// A problem whose detail was built at run time: only from what `#[derive(PublicError)]`
    /// lets a public message show.
    pub(crate) fn with_detail(status: u16, code: &'static str, detail: Cow<'static, str>) -> Self {
        Self {
            kind: "about:blank",
            title: reason_phrase(status),
            status,
            detail,
            code,
            incident: None,
            errors: None,
        }
    }

    /// The same problem, naming the incident id under which its detail was logged.
    #[must_use]
    pub fn with_incident(self, incident: String) -> Self {
        Self {
            incident: Some(incident),
            ..self
        }
    }

    /// The answer to input that failed validation: 422 with every failure.
    #[must_use]
    pub fn validation(errors: ValidationErrors) -> Self {
        Self {
            errors: Some(errors),
            ..Self::new(
                422,
                "validation_failed",
                "the request did not pass validation",
            )
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The machine-readable code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The detail for people.
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// The incident id of a server error.
    pub fn incident(&self) -> Option<&str> {
        self.incident.as_deref()
    }

    /// The validation failures, for a 422.
    pub fn errors(&self) -> Option<&ValidationErrors> {
        self.errors.as_ref()
    }
}

/// Marks a response made from a [`Problem`], with the body it was made with: the secure stack
/// answers any other error response, whatever its content type says, with a problem of its own,
/// and sends a marked one with this body, so that a body swapped after the problem was made
/// (by a layer, say) never reaches the client.
#[cfg(feature = "axum")]
#[derive(Clone, Debug)]
pub(crate) struct Made(axum::body::Bytes);

/// The body `response` was made with, if it was made from a [`Problem`].
#[cfg(feature = "axum")]
pub(crate) fn made_body(response: &axum::response::Response) -> Option<axum::body::Bytes> {
    response
        .extensions()
        .get::<Made>()
        .map(|made| made.0.clone())
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ if status < 500 => "Client Error",
        _ => "Server Error",
    }
}

#[cfg(feature = "axum")]
impl axum::response::IntoResponse for Problem {
    fn into_response(self) -> axum::response::Response {
        use axum::http::{HeaderValue, StatusCode, header};

        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        // Serializing static strings and validation errors cannot fail; should it ever, the
        // answer is still a well-formed problem rather than a panic.
        let body = axum::body::Bytes::from(serde_json::to_vec(&self).unwrap_or_else(|_| {
            br#"{"type":"about:blank","title":"Internal Server Error","status":500}"#.to_vec()
        }));
        let mut response = (status, body.clone()).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        response.extensions_mut().insert(Made(body));
        response
    }
}
