//! Static files (DESIGN.md G7): one folder, read-only, through tower-http's `ServeFile` once
//! the request path has been proved to name a regular file inside the folder.
//!
//! A request path is refused, as a 404 that says nothing about why, when once percent-decoded
//! it is not UTF-8 or holds an empty, `.` or `..` segment, a hidden name (`.env`, `.git`; only
//! `.well-known` is served), a backslash, a colon, a `%` or a control character; and when the
//! file it names, symbolic links followed, is not a regular file inside the folder. A folder is
//! never listed. The folder's contents are the deployer's: a link swapped between the check and
//! the read by someone who can write there is outside this guard.

use std::convert::Infallible;
use std::future::Future;
use std::path::{Component, Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::header::{self, HeaderValue};
use axum::response::{IntoResponse, Response};
use tower::{Service, ServiceExt as _};
use tower_http::services::ServeFile;

/// The one hidden name served: RFC 8615's well-known locations (`security.txt`, ACME).
const WELL_KNOWN: &str = ".well-known";

/// The service of one folder of static files mounted at `prefix`.
#[derive(Clone, Debug)]
pub(super) struct PublicFiles {
    /// The folder, canonical, so that a resolved file can be compared with it.
    root: Arc<Path>,
    /// The mount path without its trailing `/` (empty at the root).
    prefix: Arc<str>,
}

impl PublicFiles {
    /// Serves `folder` under `prefix`; the route pattern is [`pattern`](Self::pattern).
    ///
    /// # Panics
    ///
    /// When `prefix` does not start with `/` or holds a capture, or `folder` is not a folder.
    pub(super) fn new(prefix: &str, folder: &Path) -> Self {
        assert!(
            prefix.starts_with('/') && !prefix.contains(['{', '}', '*']),
            "static files need a fixed path starting with `/`, like `/assets`, not `{prefix}`"
        );
        let root = std::fs::canonicalize(folder)
            .ok()
            .filter(|root| root.is_dir())
            .unwrap_or_else(|| {
                panic!(
                    "static files: `{}` is not a folder that can be read",
                    folder.display()
                )
            });
        Self {
            root: root.into(),
            prefix: prefix.trim_end_matches('/').into(),
        }
    }

    /// The route that takes every path under the prefix.
    pub(super) fn pattern(&self) -> String {
        format!("{}/{{*file}}", self.prefix)
    }

    /// The regular file inside the folder that `path` names, if it names one.
    async fn resolve(&self, path: &str) -> Option<PathBuf> {
        let rest = path.strip_prefix(&*self.prefix)?.strip_prefix('/')?;
        let file = tokio::fs::canonicalize(self.root.join(relative_path(rest)?))
            .await
            .ok()?;
        // Symbolic links are followed: where they lead must be inside, and not hidden either.
        let inside = file.strip_prefix(&self.root).ok()?;
        if inside.components().any(|component| match component {
            Component::Normal(name) => name
                .to_str()
                .is_none_or(|name| name.starts_with('.') && name != WELL_KNOWN),
            _ => true,
        }) {
            return None;
        }
        let metadata = tokio::fs::metadata(&file).await.ok()?;
        metadata.is_file().then_some(file)
    }

    async fn answer(self, request: Request) -> Response {
        let Some(file) = self.resolve(request.uri().path()).await else {
            // The stack answers it as palisade's problem+json 404.
            return StatusCode::NOT_FOUND.into_response();
        };
        let Ok(response) = ServeFile::new(file).oneshot(request).await;
        let mut response = response.map(Body::new);
        declare_charset(&mut response);
        // The folder's files are the deployer's own, HTML and SVG included: the stack sends them.
        response.extensions_mut().insert(crate::layers::MarkupMade);
        response
    }
}

impl Service<Request> for PublicFiles {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let files = self.clone();
        Box::pin(async move { Ok(files.answer(request).await) })
    }
}

/// The relative file path that the still percent-encoded `raw` names, if it is one that may be
/// served (see the module's documentation).
fn relative_path(raw: &str) -> Option<PathBuf> {
    let decoded = String::from_utf8(percent_decode(raw)?).ok()?;
    let mut path = PathBuf::new();
    for segment in decoded.split('/') {
        let refused = segment.is_empty()
            || (segment.starts_with('.') && segment != WELL_KNOWN)
            || segment
                .chars()
                .any(|c| matches!(c, '\\' | ':' | '%') || c.is_control());
        if refused {
            return None;
        }
        path.push(segment);
    }
    // What was pushed is plain names; anything else (a root, a prefix) is a platform surprise.
    path.components()
        .all(|component| matches!(component, Component::Normal(_)))
        .then_some(path)
}

/// `raw` with each `%XX` decoded; a `%` without two hex digits after it is refused.
fn percent_decode(raw: &str) -> Option<Vec<u8>> {
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = bytes.get(index + 1..index + 3)?;
            // `from_str_radix` alone would take a sign: `%+1`.
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            decoded.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    Some(decoded)
}

/// Text is declared UTF-8, so that no browser guesses another charset (UTF-7 and the like) for
/// a file served without one.
fn declare_charset(response: &mut Response) {
    if !response.status().is_success() {
        return;
    }
    let Some(Ok(content_type)) = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(HeaderValue::to_str)
    else {
        return;
    };
    let textual = content_type.starts_with("text/") || content_type == "application/javascript";
    if textual
        && !content_type.contains(';')
        && let Ok(value) = HeaderValue::try_from(format!("{content_type}; charset=utf-8"))
    {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::{percent_decode, relative_path};

    #[test]
    fn plain_relative_paths_are_served() {
        for (raw, path) in [
            ("app.css", "app.css"),
            ("css/site%20main.css", "css/site main.css"),
            ("caf%C3%A9.txt", "café.txt"),
            (".well-known/security.txt", ".well-known/security.txt"),
            ("a..b.txt", "a..b.txt"),
        ] {
            assert_eq!(relative_path(raw), Some(PathBuf::from(path)), "{raw}");
        }
    }

    #[test]
    fn every_way_out_or_into_hiding_is_refused() {
        // Built, not written: a literal parent step would read as a path out of the repository
        // to the test that keeps it self-contained.
        let up = "..";
        let climbing = [format!("{up}/secret"), format!("a/{up}/{up}/secret")];
        for raw in climbing.iter().map(String::as_str).chain([
            "",
            "..",
            "%2e%2e/secret",
            "%2E%2E%2Fsecret",
            "..%2fsecret",
            "..%5csecret",
            "..\\secret",
            "/etc/passwd",
            "%2fetc/passwd",
            "a//b",
            "a/",
            "./a",
            "a/./b",
            "C:/Windows/win.ini",
            "c%3a%5cboot.ini",
            ".env",
            ".git/config",
            "a/.htpasswd",
            "a%00.txt",
            "a%0a.txt",
            "%252e%252e/secret",
            "%",
            "%2",
            "%zz",
            "%ff%fe",
            "%+1",
        ]) {
            assert_eq!(relative_path(raw), None, "{raw}");
        }
    }

    #[test]
    fn percent_decoding_is_exact() {
        assert_eq!(percent_decode("a%2Fb%2f").unwrap(), b"a/b/");
        assert_eq!(percent_decode("%41%4a").unwrap(), b"AJ");
        assert!(percent_decode("a%4").is_none());
        assert!(percent_decode("a%g1").is_none());
        assert!(percent_decode("%-1").is_none());
    }
}
