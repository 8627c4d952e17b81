//! The grammar of a Content-Security-Policy (CSP Level 3), one for palisade: the `csp!` macro
//! checks a policy with it when the code compiles, and `palisade::csp::Csp::parse` when a
//! policy is read at run time, so both accept and refuse the same policies with the same
//! words. It uses nothing but `std`. An implementation detail of `palisade`: use it there.
//!
//! ```
//! use palisade_csp_grammar::{Allow, check};
//!
//! let checked = check("default-src 'self'; SCRIPT-SRC 'self' 'NONCE'", Allow::default()).unwrap();
//! assert_eq!(checked.text, "default-src 'self'; script-src 'self' 'nonce'; base-uri 'self'");
//! assert!(checked.nonce);
//!
//! // What a policy leaves open, palisade's defaults close.
//! let images = check("img-src 'self' data:", Allow::default()).unwrap();
//! assert_eq!(images.text, "img-src 'self' data:; script-src 'self'; object-src 'none'; base-uri 'self'");
//!
//! assert!(check("script-src 'unsafe-inline'", Allow::default()).is_err());
//! ```

#![forbid(unsafe_code)]

/// Which unsafe keywords a policy opts into, by name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Allow {
    /// `'unsafe-inline'` and `'unsafe-hashes'`.
    pub unsafe_inline: bool,
    /// `'unsafe-eval'`.
    pub unsafe_eval: bool,
}

/// A checked policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    /// The policy, normalized: directives in the order written, names in lowercase, one space
    /// between tokens, `; ` between directives.
    pub text: String,
    /// Whether it holds the per-request nonce placeholder `'nonce'`.
    pub nonce: bool,
}

const SOURCE_LISTS: &[&str] = &[
    "default-src",
    "script-src",
    "script-src-elem",
    "script-src-attr",
    "style-src",
    "style-src-elem",
    "style-src-attr",
    "img-src",
    "font-src",
    "connect-src",
    "media-src",
    "object-src",
    "frame-src",
    "child-src",
    "worker-src",
    "manifest-src",
    "fenced-frame-src",
    "base-uri",
    "form-action",
    "frame-ancestors",
];

const OTHER_DIRECTIVES: &[&str] = &[
    "sandbox",
    "upgrade-insecure-requests",
    "report-uri",
    "report-to",
    "require-trusted-types-for",
    "trusted-types",
];

const SANDBOX_TOKENS: &[&str] = &[
    "allow-downloads",
    "allow-forms",
    "allow-modals",
    "allow-orientation-lock",
    "allow-pointer-lock",
    "allow-popups",
    "allow-popups-to-escape-sandbox",
    "allow-presentation",
    "allow-same-origin",
    "allow-scripts",
    "allow-storage-access-by-user-activation",
    "allow-top-navigation",
    "allow-top-navigation-by-user-activation",
    "allow-top-navigation-to-custom-protocols",
];

/// What a policy without `script-src` or `default-src` gets: scripts from the page's origin.
pub const DEFAULT_SCRIPT_SRC: &str = "script-src 'self'";
/// What a policy without `object-src` or `default-src` gets: no plugins.
pub const DEFAULT_OBJECT_SRC: &str = "object-src 'none'";
/// What a policy without `base-uri` gets: no `<base>` pointing elsewhere.
pub const DEFAULT_BASE_URI: &str = "base-uri 'self'";

/// Whether `value`, a source of a source list, matches any host: `*`, a scheme alone that any
/// server can serve (`https:`, `data:`), or a host source whose host is `*` or a wildcard over a
/// single label (`https://*`, `*:443`, `*.com`). A wildcard over a public suffix of two labels
/// (`*.co.uk`) is not seen: that needs the Public Suffix List.
fn any_host(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "*" | "data:"
            | "blob:"
            | "http:"
            | "https:"
            | "filesystem:"
            | "javascript:"
            | "ws:"
            | "wss:"
    ) {
        return true;
    }
    if lower.starts_with('\'') {
        return false;
    }
    let rest = lower
        .split_once("://")
        .map_or(lower.as_str(), |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(host, port)| {
            // `*:443` is a host and a port; `example.com:*` a host and any port.
            if port.bytes().all(|b| b.is_ascii_digit()) || port == "*" {
                host
            } else {
                authority
            }
        });
    host == "*"
        || host
            .strip_prefix("*.")
            .is_some_and(|suffix| !suffix.contains('.'))
}

/// Checks `policy` and returns it normalized, or says what is wrong, in words fit for a
/// compiler error. Where the policy does not restrict scripts (`script-src` or `default-src`),
/// plugins (`object-src` or `default-src`) or the base URL (`base-uri`), palisade's default for
/// it is added: [`DEFAULT_SCRIPT_SRC`], [`DEFAULT_OBJECT_SRC`], [`DEFAULT_BASE_URI`].
///
/// ```
/// use palisade_csp_grammar::{Allow, check};
///
/// let error = check("default-src *", Allow::default()).unwrap_err();
/// assert!(error.contains("lets a script or plugin load from anywhere"));
/// ```
pub fn check(policy: &str, allow: Allow) -> Result<Checked, String> {
    if policy.contains(',') {
        return Err(
            "a `,` separates two policies: write one policy, directives separated by `;`".into(),
        );
    }
    if let Some(c) = policy
        .chars()
        .find(|c| !c.is_ascii() || c.is_ascii_control() && !c.is_ascii_whitespace())
    {
        return Err(format!(
            "{c:?} cannot appear in a policy: it is printable ASCII"
        ));
    }
    let mut names: Vec<String> = Vec::new();
    let mut parts = Vec::new();
    let mut nonce = false;
    let mut default_is_dynamic = false;
    for directive in policy.split(';') {
        let mut tokens = directive.split_ascii_whitespace();
        let Some(name) = tokens.next() else {
            continue;
        };
        let name = name.to_ascii_lowercase();
        let values: Vec<&str> = tokens.collect();
        if names.contains(&name) {
            return Err(format!(
                "duplicate directive `{name}`: browsers ignore the second, so give its sources once"
            ));
        }
        if SOURCE_LISTS.contains(&name.as_str()) {
            nonce |= source_list(&name, &values, allow)?;
            default_is_dynamic |= name == "default-src"
                && values
                    .iter()
                    .any(|v| v.eq_ignore_ascii_case("'strict-dynamic'"));
        } else if OTHER_DIRECTIVES.contains(&name.as_str()) {
            other(&name, &values)?;
        } else {
            return Err(format!(
                "unknown directive `{name}`: expected one of {}",
                SOURCE_LISTS
                    .iter()
                    .chain(OTHER_DIRECTIVES)
                    .map(|d| format!("`{d}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let mut part = name.clone();
        for value in &values {
            part.push(' ');
            // Keywords and schemes are case-insensitive: written in lowercase, so that `'NONCE'`
            // is found where each response's nonce goes.
            if value.starts_with('\'') && !is_hash(value) {
                part.push_str(&value.to_ascii_lowercase());
            } else {
                part.push_str(value);
            }
        }
        names.push(name);
        parts.push(part);
    }
    if parts.is_empty() {
        return Err("the policy is empty: give at least `default-src 'self'`".into());
    }
    // What the policy leaves open, palisade's defaults close: scripts and plugins fall back to
    // `default-src`, the base URL to nothing.
    let has = |directive: &str| names.iter().any(|name| name == directive);
    if !has("script-src") && !has("default-src") {
        parts.push(DEFAULT_SCRIPT_SRC.to_owned());
    }
    // `object-src` falls back to `default-src`, whose `'strict-dynamic'` excused its hosts for
    // scripts only.
    if !has("object-src") && (!has("default-src") || default_is_dynamic) {
        parts.push(DEFAULT_OBJECT_SRC.to_owned());
    }
    if !has("base-uri") {
        parts.push(DEFAULT_BASE_URI.to_owned());
    }
    Ok(Checked {
        text: parts.join("; "),
        nonce,
    })
}

/// Checks the sources of a source-list directive; says whether the nonce placeholder is there.
fn source_list(name: &str, values: &[&str], allow: Allow) -> Result<bool, String> {
    if values.is_empty() {
        return Err(format!(
            "`{name}` has no source: write `'none'` to allow nothing"
        ));
    }
    if values.len() > 1 && values.iter().any(|v| v.eq_ignore_ascii_case("'none'")) {
        return Err(format!(
            "`'none'` in `{name}` stands alone: remove it or the other sources"
        ));
    }
    let ancestors = name == "frame-ancestors";
    // Where scripts, plugins and the base URL come from, a source that matches any host lets
    // an attacker's script in, as `'unsafe-inline'` would, unless `'strict-dynamic'` makes
    // browsers ignore host sources.
    let code = matches!(
        name,
        "default-src" | "script-src" | "script-src-elem" | "object-src" | "base-uri"
    );
    // `'strict-dynamic'` makes browsers ignore host sources where scripts load from, and only
    // there: `object-src` and `base-uri` keep every source they list.
    let strict_dynamic = matches!(name, "default-src" | "script-src" | "script-src-elem")
        && values
            .iter()
            .any(|v| v.eq_ignore_ascii_case("'strict-dynamic'"));
    if code
        && !strict_dynamic
        && let Some(value) = values.iter().find(|value| any_host(value))
    {
        return Err(format!(
            "`{value}` in `{name}` lets a script or plugin load from anywhere: list the hosts, or use `'nonce'` with `'strict-dynamic'` in `script-src`"
        ));
    }
    let mut nonce = false;
    for value in values {
        let lower = value.to_ascii_lowercase();
        if let Some(keyword) = lower.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
            if ancestors && !matches!(keyword, "self" | "none") {
                return Err(format!(
                    "`frame-ancestors` takes `'self'`, `'none'`, schemes and hosts, not `{value}`"
                ));
            }
            match keyword {
                "self"
                | "none"
                | "strict-dynamic"
                | "report-sample"
                | "wasm-unsafe-eval"
                | "inline-speculation-rules" => {}
                "unsafe-inline" | "unsafe-hashes" if allow.unsafe_inline => {}
                "unsafe-eval" if allow.unsafe_eval => {}
                "unsafe-inline" | "unsafe-hashes" => {
                    return Err(format!(
                        "`{value}` lets injected markup run: use a nonce (`'nonce'`) or a hash, or opt in by name with `csp!(unsafe_inline, \"...\")`"
                    ));
                }
                "unsafe-eval" => {
                    return Err(format!(
                        "`{value}` lets strings run as code: opt in by name with `csp!(unsafe_eval, \"...\")`"
                    ));
                }
                "nonce" => nonce = true,
                _ if keyword.starts_with("nonce-") => {
                    return Err(format!(
                        "`{value}` is the same on every response, so it protects nothing: write `'nonce'` and each response gets a fresh one"
                    ));
                }
                _ => {
                    let hash = ["sha256-", "sha384-", "sha512-"]
                        .iter()
                        .find_map(|prefix| value[1..value.len() - 1].strip_prefix(prefix));
                    match hash {
                        Some(digest) if base64_value(digest) => {}
                        Some(_) => {
                            return Err(format!(
                                "`{value}`: a hash is base64 after `sha256-`, `sha384-` or `sha512-`"
                            ));
                        }
                        None => {
                            return Err(format!(
                                "unknown keyword `{value}`: expected `'self'`, `'none'`, `'nonce'`, a hash, `'strict-dynamic'` or `'report-sample'`"
                            ));
                        }
                    }
                }
            }
        } else if value.contains('\'') {
            return Err(format!(
                "malformed source `{value}`: keywords are quoted whole, like `'self'`"
            ));
        } else if !scheme_source(&lower) && !host_source(&lower) {
            return Err(format!(
                "malformed source `{value}`: expected a scheme like `https:` or a host like `https://cdn.example.com`"
            ));
        }
    }
    Ok(nonce)
}

fn other(name: &str, values: &[&str]) -> Result<(), String> {
    match name {
        "upgrade-insecure-requests" if values.is_empty() => Ok(()),
        "upgrade-insecure-requests" => Err("`upgrade-insecure-requests` takes no value".into()),
        "sandbox" => match values
            .iter()
            .find(|v| !SANDBOX_TOKENS.contains(&v.to_ascii_lowercase().as_str()))
        {
            Some(value) => Err(format!(
                "unknown sandbox token `{value}`: expected `allow-…` tokens such as `allow-scripts`"
            )),
            None => Ok(()),
        },
        "report-uri" if !values.is_empty() => Ok(()),
        "report-to" if values.len() == 1 => Ok(()),
        "require-trusted-types-for" if values.len() == 1 && values[0] == "'script'" => Ok(()),
        "trusted-types" => Ok(()),
        _ => Err(format!("malformed `{name}`: see its syntax in CSP Level 3")),
    }
}

/// `'sha256-…'` and the like, whose base64 is case-sensitive.
fn is_hash(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    ["'sha256-", "'sha384-", "'sha512-"]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
}

fn base64_value(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'='))
}

/// `https:`, `data:`, `blob:`.
fn scheme_source(value: &str) -> bool {
    value.strip_suffix(':').is_some_and(scheme)
}

fn scheme(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase())
        && text.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.')
        })
}

/// `[scheme://]host[:port][/path]`, the host `*`, `*.example.com` or `example.com`.
fn host_source(value: &str) -> bool {
    let rest = match value.split_once("://") {
        Some((scheme_part, rest)) if scheme(scheme_part) => rest,
        Some(_) => return false,
        None => value,
    };
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    let path_ok = path
        .bytes()
        .all(|b| b.is_ascii_graphic() && !matches!(b, b';' | b',' | b'\''));
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let port_ok = port.is_none_or(|port| {
        port == "*" || (!port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
    });
    let labels = host.strip_prefix("*.").unwrap_or(host);
    let host_ok = host == "*"
        || (!labels.is_empty()
            && labels.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            }));
    path_ok && port_ok && host_ok
}

#[cfg(test)]
mod tests {
    use super::{Allow, check};

    #[test]
    fn every_source_that_matches_any_host_is_refused_where_code_loads() {
        let any = [
            "*",
            "https:",
            "http:",
            "data:",
            "blob:",
            "ws:",
            "wss:",
            "https://*",
            "http://*",
            "*:*",
            "*:443",
            "https://*:443",
            "https://*/js/",
            "*.com",
            "https://*.com",
            "*.com:443",
            "HTTPS://*",
        ];
        for directive in [
            "default-src",
            "script-src",
            "script-src-elem",
            "object-src",
            "base-uri",
        ] {
            for source in any {
                let policy = format!("{directive} 'self' {source}");
                let error = check(&policy, Allow::default()).unwrap_err();
                assert!(error.contains("from anywhere"), "{policy}: {error}");
            }
        }
        // Elsewhere, and for hosts that are named, they are fine.
        for policy in [
            "img-src https: data:; default-src 'self'",
            "script-src 'self' https://*.cdn.example.com https://cdn.example.com:443/js/",
            "connect-src *",
        ] {
            assert!(check(policy, Allow::default()).is_ok(), "{policy}");
        }
    }

    #[test]
    fn strict_dynamic_excuses_hosts_only_where_scripts_load() {
        for policy in [
            "script-src 'nonce' 'strict-dynamic' https:",
            "default-src 'nonce' 'strict-dynamic' https: 'self'",
        ] {
            assert!(check(policy, Allow::default()).is_ok(), "{policy}");
        }
        for policy in [
            "script-src 'self'; object-src 'strict-dynamic' *",
            "script-src 'self'; base-uri 'strict-dynamic' https:",
        ] {
            assert!(check(policy, Allow::default()).is_err(), "{policy}");
        }
    }

    #[test]
    fn a_policy_that_leaves_scripts_plugins_or_the_base_open_gets_the_defaults() {
        for (policy, completed) in [
            (
                "img-src 'self' data:; frame-ancestors 'none'",
                "img-src 'self' data:; frame-ancestors 'none'; script-src 'self'; object-src 'none'; base-uri 'self'",
            ),
            ("default-src 'self'", "default-src 'self'; base-uri 'self'"),
            (
                "script-src 'self'; base-uri 'none'",
                "script-src 'self'; base-uri 'none'; object-src 'none'",
            ),
            (
                "default-src 'nonce' 'strict-dynamic' https:",
                "default-src 'nonce' 'strict-dynamic' https:; object-src 'none'; base-uri 'self'",
            ),
            (
                "default-src 'none'; script-src 'self'; object-src 'none'; base-uri 'none'",
                "default-src 'none'; script-src 'self'; object-src 'none'; base-uri 'none'",
            ),
        ] {
            assert_eq!(check(policy, Allow::default()).unwrap().text, completed);
        }
    }
}
