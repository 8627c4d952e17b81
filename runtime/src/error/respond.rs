//! How a `#[derive(PublicError)]` type answers: the problem it becomes, and the one log line
//! that keeps what the client is not told. The generated code calls [`respond`].

use std::error::Error;
use std::fmt::{self, Write as _};

use axum::response::{IntoResponse, Response};

use super::{Level, PublicError, SERVER_ERROR_DETAIL, incident_id};
use crate::problem::Problem;

/// Views an error source as `dyn Error`, also through a pointer (`anyhow::Error`,
/// `Box<dyn Error + Send + Sync>`): what the derive's `source()` returns.
pub trait AsDynError {
    /// The source as a trait object.
    fn as_dyn_error(&self) -> &(dyn Error + 'static);
}

impl<T: Error + 'static> AsDynError for T {
    fn as_dyn_error(&self) -> &(dyn Error + 'static) {
        self
    }
}

impl AsDynError for dyn Error + Send + Sync + 'static {
    fn as_dyn_error(&self) -> &(dyn Error + 'static) {
        self
    }
}

impl AsDynError for dyn Error + Send + 'static {
    fn as_dyn_error(&self) -> &(dyn Error + 'static) {
        self
    }
}

impl AsDynError for dyn Error + 'static {
    fn as_dyn_error(&self) -> &(dyn Error + 'static) {
        self
    }
}

/// The sources of `error`, outermost first, joined by `: `.
fn source_chain(error: &dyn Error) -> String {
    let mut chain = String::new();
    let mut next = error.source();
    while let Some(source) = next {
        if !chain.is_empty() {
            chain.push_str(": ");
        }
        let _ = write!(chain, "{source}");
        next = source.source();
    }
    chain
}

/// Logs `error` once, at its level, with its incident id when it has one.
fn log<E: PublicError + fmt::Debug>(error: &E, incident: Option<&str>) {
    let status = error.status();
    let code = error.code();
    let sources = source_chain(error);
    let incident = incident.unwrap_or("");
    macro_rules! event {
        ($level:ident) => {
            tracing::$level!(status, code, incident, sources, error = ?error, "request failed")
        };
    }
    match error.level() {
        Level::Error => event!(error),
        Level::Warn => event!(warn),
        Level::Info => event!(info),
        Level::Debug => event!(debug),
        Level::Trace => event!(trace),
    }
}

/// The problem that answers `error`, logging it: called by the `IntoResponse` that
/// `#[derive(PublicError)]` writes.
fn problem_for<E: PublicError + fmt::Debug>(error: &E) -> Problem {
    let status = error.status();
    if status >= 500 {
        let incident = incident_id();
        log(error, Some(&incident));
        Problem::new(status, "internal_error", SERVER_ERROR_DETAIL).with_incident(incident)
    } else {
        log(error, None);
        Problem::with_detail(status, error.code(), error.public_message())
    }
}

/// Answers `error` as `application/problem+json`, logging it.
pub fn respond<E: PublicError + fmt::Debug>(error: &E) -> Response {
    problem_for(error).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Layer(&'static str, Option<Box<Layer>>);

    impl fmt::Display for Layer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    impl Error for Layer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            self.1
                .as_deref()
                .map(|layer| layer as &(dyn Error + 'static))
        }
    }

    #[test]
    fn the_chain_lists_every_source_but_the_error_itself() {
        let error = Layer(
            "query failed",
            Some(Box::new(Layer(
                "connection reset",
                Some(Box::new(Layer("disk full", None))),
            ))),
        );
        assert_eq!(source_chain(&error), "connection reset: disk full");
        assert_eq!(source_chain(&Layer("alone", None)), "");
    }
}
