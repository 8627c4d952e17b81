//! The route report (DESIGN.md G10): every route, who may call it, what serves it and which of
//! the user's layers wrap it.

use super::access::{Access, AccessDecided};
use crate::seal::{Door, Doors};

/// One route of the attack surface (DESIGN.md G10): who may call it, as the handler's attribute
/// decided.
///
/// ```
/// use palisade::{Router, public};
///
/// #[public(reason = "load balancers probe it")]
/// async fn healthz() -> &'static str {
///     "ok"
/// }
///
/// let report = Router::<()>::new().head("/healthz", healthz).route_report();
/// let route = &report.0[0];
/// assert_eq!((route.method, route.path.as_str(), route.handler), ("HEAD", "/healthz", "healthz"));
/// assert_eq!((route.access, route.decision), ("public", "load balancers probe it"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Route {
    /// `GET`, `POST`, …; `ANY` for [`any`](crate::Router::any) and the
    /// [`fallback`](crate::Router::fallback).
    pub method: &'static str,
    /// The path, with nesting prefixes: `…/{*file}` for [static
    /// files](crate::Router::public_files), `…/*` for the fallback (every path no route
    /// matches).
    pub path: String,
    /// The handler's name; `static files` for [static files](crate::Router::public_files).
    pub handler: &'static str,
    /// `public` or `authenticated`.
    pub access: &'static str,
    /// The public handler's reason, or the authenticated handler's rule.
    pub decision: &'static str,
    /// The object-level policy, if any.
    pub policy: Option<&'static str>,
    /// Whether its writes are CSRF-checked: every authenticated handler's not exempt, and a
    /// public handler's that takes the session or a form body (login CSRF).
    pub csrf_checked: bool,
    /// Why the CSRF check is waived, if it is.
    pub csrf_exempt: Option<&'static str>,
    /// The folder that static files are served from, as the code names it.
    pub folder: Option<String>,
    /// The user's layers around the handler (inside palisade's stack), outermost first, by type
    /// name.
    pub layers: Vec<&'static str>,
    /// The types the handler takes or returns that were declared trusted with
    /// `#[palisade::trusted(...)]`, with their reasons (DESIGN.md G11), those inside its
    /// validated inputs included.
    pub doors: Vec<Door>,
}

impl Route {
    /// The route of a decided handler.
    pub(super) fn decided<H: AccessDecided>(method: &'static str, path: &str) -> Self {
        let name = std::any::type_name::<H>();
        let handler = name.rsplit("::").next().unwrap_or(name);
        let (access, decision, policy, csrf_checked, csrf_exempt) = match H::ACCESS {
            Access::Public {
                reason,
                csrf_checked,
                csrf_exempt,
            } => ("public", reason, None, csrf_checked, csrf_exempt),
            Access::Authenticated {
                rule,
                policy,
                csrf_exempt,
            } => (
                "authenticated",
                rule,
                policy,
                csrf_exempt.is_none(),
                csrf_exempt,
            ),
        };
        let mut doors = Doors::default();
        H::doors(&mut doors);
        Self {
            method,
            path: path.to_owned(),
            handler,
            access,
            decision,
            policy,
            csrf_checked,
            csrf_exempt,
            folder: None,
            layers: Vec::new(),
            doors: doors.into_vec(),
        }
    }

    /// The route of a folder of static files, public for `reason`.
    pub(super) fn files(path: String, folder: String, reason: &'static str) -> Self {
        Self {
            method: "GET",
            path,
            handler: "static files",
            access: "public",
            decision: reason,
            policy: None,
            csrf_checked: false,
            csrf_exempt: None,
            folder: Some(folder),
            layers: Vec::new(),
            doors: Vec::new(),
        }
    }
}

/// The routes of a router, for the security report: `Display` writes a Markdown table,
/// `Serialize` the JSON.
///
/// ```
/// use palisade::{Router, public};
///
/// #[public(reason = "load balancers probe it")]
/// async fn healthz() -> &'static str {
///     "ok"
/// }
///
/// let report = Router::<()>::new().get("/healthz", healthz).route_report();
/// assert!(report.to_string().contains("| GET | `/healthz` | `healthz` | public | load balancers probe it |"));
/// assert_eq!(serde_json::to_value(&report).unwrap()[0]["path"], "/healthz");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct RouteReport(pub Vec<Route>);

impl std::fmt::Display for RouteReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "| method | path | handler | access | rule or reason | policy | CSRF | layers | trusted |"
        )?;
        writeln!(f, "|---|---|---|---|---|---|---|---|---|")?;
        for route in &self.0 {
            writeln!(
                f,
                "| {} | `{}` | {} | {} | {} | {} | {} | {} | {} |",
                route.method,
                cell(&route.path),
                match &route.folder {
                    Some(folder) => format!("files in `{}`", cell(folder)),
                    None => format!("`{}`", route.handler),
                },
                route.access,
                cell(route.decision),
                route
                    .policy
                    .map_or_else(String::new, |policy| format!("`{}`", cell(policy))),
                match (route.csrf_checked, route.csrf_exempt) {
                    (_, Some(reason)) => format!("exempt: {}", cell(reason)),
                    (true, None) => "checked".to_owned(),
                    (false, None) => String::new(),
                },
                route
                    .layers
                    .iter()
                    .map(|layer| format!("`{}`", cell(&short_type_name(layer))))
                    .collect::<Vec<_>>()
                    .join(" → "),
                route
                    .doors
                    .iter()
                    .map(|door| format!(
                        "{} `{}`: {}",
                        door.kind.as_str(),
                        cell(&short_type_name(door.type_name)),
                        cell(door.reason)
                    ))
                    .collect::<Vec<_>>()
                    .join("; "),
            )?;
        }
        Ok(())
    }
}

/// `text` fit for one cell of a Markdown table: a `|` escaped, a line break a space, so that
/// a reason can neither end its cell nor its row.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// `name` without module paths, as a reader names the type:
/// `tower_http::set_header::SetResponseHeaderLayer<http::header::HeaderValue>` becomes
/// `SetResponseHeaderLayer<HeaderValue>`.
fn short_type_name(name: &str) -> String {
    let mut short = String::with_capacity(name.len());
    let mut segment = String::new();
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            segment.clear();
        } else if c.is_alphanumeric() || c == '_' {
            segment.push(c);
        } else {
            short.push_str(&segment);
            segment.clear();
            short.push(c);
        }
    }
    short.push_str(&segment);
    short
}

#[cfg(test)]
mod tests {
    use super::{cell, short_type_name};

    #[test]
    fn a_cell_keeps_to_its_cell_and_its_row() {
        assert_eq!(cell("a | b\nc\r\nd"), "a \\| b c  d");
    }

    #[test]
    fn type_names_lose_their_module_paths_only() {
        assert_eq!(
            short_type_name(
                "tower_http::set_header::SetResponseHeaderLayer<http::header::HeaderValue>"
            ),
            "SetResponseHeaderLayer<HeaderValue>"
        );
        assert_eq!(
            short_type_name("axum::middleware::FromFnLayer<app::strip, (), (a::B, c::D<u8>)>"),
            "FromFnLayer<strip, (), (B, D<u8>)>"
        );
        assert_eq!(short_type_name("app::serve::{{closure}}"), "{{closure}}");
        assert_eq!(short_type_name("Plain"), "Plain");
    }
}
