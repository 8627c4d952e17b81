//! An axum application moves onto palisade's router whole, over real HTTP on loopback: the
//! user's layers sit inside palisade's stack, the fallback is a decided handler, static files
//! serve nothing outside their folder, `head`, `options` and `any` route like the other
//! methods, and every one of them is in the route report.

mod support;
use support::header;

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use palisade::auth::{Auth, Principal, ProvidesAuth};
use palisade::jwt::{JwtSettings, now};
use palisade::{Router, public, requires_auth};
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

// ---------------------------------------------------------------------------------------------
// The folder of static files, and what lies around it.

/// What lies beside the served folder: no request may read it.
const OUTSIDE: &str = "canary-outside-the-folder";
/// What lies in a folder beside the served one.
const PRIVATE: &str = "canary-in-the-private-folder";
/// A hidden file inside the served folder.
const DOTENV: &str = "DATABASE_PASSWORD=canary-dotenv";

const INDEX: &str = "<!doctype html><title>home</title><h1>home</h1>";
const STYLE: &str = "body { color: #222; }";
const SCRIPT: &str = "console.log('hi');";
const DATA: &str = r#"{"ok":true}"#;
const LOGO: &str = r#"<svg xmlns="http://www.w3.org/2000/svg"/>"#;
const NOTES: &str = "plain notes\n";
const DEEP: &str = "deep inside";
const SECURITY_TXT: &str = "Contact: mailto:security@example.com\n";
/// Not UTF-8, and no PNG decoder needed: what matters is that the bytes come back as they are.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe";
const BLOB: &[u8] = b"\0\x01\x02 opaque";

/// The site, made once per test binary in the temporary folder:
///
/// ```text
/// site/
///   outside.txt               OUTSIDE
///   private/secret.txt        PRIVATE
///   public/                   <- served
///     index.html, app.css, app.js, data.json, logo.svg, notes.txt, image.png, blob.bin
///     sub/deep.txt
///     .env                    DOTENV (hidden)
///     .well-known/security.txt
///     inside-link   -> public/index.html
///     outside-link  -> site/outside.txt
///     private-link  -> site/private
/// ```
struct Site {
    root: PathBuf,
    public: PathBuf,
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let root =
            std::env::temp_dir().join(format!("palisade-router-adoption-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let public = root.join("public");
        for folder in [
            public.join("sub"),
            public.join(".well-known"),
            root.join("private"),
        ] {
            std::fs::create_dir_all(folder).unwrap();
        }
        let files: [(PathBuf, &[u8]); 14] = [
            (root.join("outside.txt"), OUTSIDE.as_bytes()),
            (root.join("private/secret.txt"), PRIVATE.as_bytes()),
            (public.join("index.html"), INDEX.as_bytes()),
            (public.join("app.css"), STYLE.as_bytes()),
            (public.join("app.js"), SCRIPT.as_bytes()),
            (public.join("data.json"), DATA.as_bytes()),
            (public.join("logo.svg"), LOGO.as_bytes()),
            (public.join("notes.txt"), NOTES.as_bytes()),
            (public.join("image.png"), PNG),
            (public.join("blob.bin"), BLOB),
            (public.join("sub/deep.txt"), DEEP.as_bytes()),
            (public.join(".env"), DOTENV.as_bytes()),
            (
                public.join(".well-known/security.txt"),
                SECURITY_TXT.as_bytes(),
            ),
            (public.join("sub/index.html"), INDEX.as_bytes()),
        ];
        for (path, bytes) in files {
            std::fs::write(path, bytes).unwrap();
        }
        std::os::unix::fs::symlink(public.join("index.html"), public.join("inside-link")).unwrap();
        std::os::unix::fs::symlink(root.join("outside.txt"), public.join("outside-link")).unwrap();
        std::os::unix::fs::symlink(root.join("private"), public.join("private-link")).unwrap();
        Site { root, public }
    })
}

// ---------------------------------------------------------------------------------------------
// The application.

#[public(reason = "a page anyone may read")]
async fn page() -> &'static str {
    "page"
}

#[public(reason = "monitors probe with HEAD")]
async fn probe() -> ([(&'static str, &'static str); 1], &'static str) {
    ([("x-probe", "alive")], "")
}

#[public(reason = "clients ask what the probe allows")]
async fn probe_options() -> ([(&'static str, &'static str); 1], &'static str) {
    ([("allow", "HEAD, OPTIONS")], "HEAD, OPTIONS")
}

#[public(reason = "the echo takes every method")]
async fn any_method() -> &'static str {
    "any"
}

#[public(reason = "an unknown address gets the app shell")]
async fn shell() -> &'static str {
    "shell"
}

/// The innermost user layer: marks what it wrapped.
async fn mark(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert("x-user-layer", HeaderValue::from_static("mark"));
    response
}

/// A nested router's own layer.
async fn mark_nested(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert("x-nested-layer", HeaderValue::from_static("nested"));
    response
}

/// A user layer that answers some requests itself: a leaky 500, or a panic.
async fn leak_or_panic(request: Request, next: Next) -> Response {
    match request.uri().path() {
        "/leak" => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "db password=canary-layer-leak host=10.0.0.3",
        )
            .into_response(),
        "/layer-panic" => panic!("canary-layer-panic"),
        // A problem of palisade's whose body is swapped on its way out.
        "/swapped" => {
            let mut response =
                palisade::Problem::new(404, "not_found", "there is no such note").into_response();
            *response.body_mut() = axum::body::Body::from("db password=canary-swapped");
            response
        }
        _ => next.run(request).await,
    }
}

/// The outermost user layer: removes what palisade's headers would be and sets bad values of
/// its own, as a careless proxy layer would.
async fn strip(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for name in [
        "content-security-policy",
        "strict-transport-security",
        "referrer-policy",
        "x-request-id",
    ] {
        headers.remove(name);
    }
    headers.insert("x-content-type-options", HeaderValue::from_static("sniff"));
    headers.insert("x-frame-options", HeaderValue::from_static("ALLOWALL"));
    headers.insert("server", HeaderValue::from_static("leaky/1.0"));
    headers.insert("x-strip-layer", HeaderValue::from_static("ran"));
    response
}

const FILES_REASON: &str = "the site's stylesheets, scripts and images";

/// Layers given before and after routes, a nested router with a layer of its own, static files
/// and a fallback: all of it must end up inside the stack.
fn application() -> Router {
    let api = Router::new()
        .get("/inner", page)
        .layer(middleware::map_response(mark_nested));
    Router::new()
        .get("/page", page)
        .layer(middleware::map_response(mark))
        .get("/leak", page)
        .get("/layer-panic", page)
        .head("/probe", probe)
        .options("/probe", probe_options)
        .any("/any", any_method)
        .public_files("/assets", &site().public, FILES_REASON)
        .nest("/api", api)
        .fallback(shell)
        .layer(middleware::from_fn(leak_or_panic))
        .layer(middleware::map_response(strip))
}

async fn serve(router: Router) -> SocketAddr {
    support::global_logs();
    let app = router.into_make_service();
    support::serve(app).await
}

/// The headers palisade's stack puts on every answer, at their exact values, whatever a user
/// layer did to them; and the software banners gone.
fn assert_stack_had_the_last_word(response: &reqwest::Response) {
    let url = response.url().clone();
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "no-referrer"),
        (
            "strict-transport-security",
            "max-age=63072000; includeSubDomains",
        ),
        ("content-security-policy", palisade::layers::DEFAULT_CSP),
    ] {
        assert_eq!(header(response, name), Some(value), "{url}: {name}");
    }
    assert!(header(response, "x-request-id").is_some(), "{url}");
    assert_eq!(header(response, "server"), None, "{url}");
}

async fn get(address: SocketAddr, path: &str) -> reqwest::Response {
    reqwest::get(format!("http://{address}{path}"))
        .await
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// A raw HTTP/1.1 client: reqwest (like every URL parser) folds `..` and `%2e%2e` away before
// sending, so the hostile paths would never reach the server.

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One kept-alive connection, opened again when the server closes it.
struct RawClient {
    address: SocketAddr,
    stream: Option<TcpStream>,
}

impl RawClient {
    fn new(address: SocketAddr) -> Self {
        Self {
            address,
            stream: None,
        }
    }

    /// Sends `target` exactly as given.
    async fn send(&mut self, method: &str, target: &str) -> Answer {
        for _ in 0..3 {
            if self.stream.is_none() {
                self.stream = Some(TcpStream::connect(self.address).await.unwrap());
            }
            let stream = self.stream.as_mut().unwrap();
            let request = format!("{method} {target} HTTP/1.1\r\nhost: localhost\r\n\r\n");
            if stream.write_all(request.as_bytes()).await.is_err() {
                self.stream = None;
                continue;
            }
            match read_answer(stream, method == "HEAD").await {
                Some((answer, keep_alive)) => {
                    if !keep_alive {
                        self.stream = None;
                    }
                    return answer;
                }
                // A kept-alive connection the server had let go.
                None => self.stream = None,
            }
        }
        panic!("no answer to {method} {target}");
    }
}

/// One answer and whether the connection stays open; `None` when it closed before the answer.
async fn read_answer(stream: &mut TcpStream, head: bool) -> Option<(Answer, bool)> {
    let mut buffer = Vec::new();
    let end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let mut chunk = [0; 4096];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head_text = String::from_utf8(buffer[..end].to_vec()).unwrap();
    let mut lines = head_text.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.trim().to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    let find = |name: &str| {
        headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    assert_eq!(find("transfer-encoding"), None, "every answer has a length");
    let length: usize = find("content-length").map_or(0, |n| n.parse().unwrap());
    let mut body = buffer[end + 4..].to_vec();
    if !head && status != 304 {
        while body.len() < length {
            let mut chunk = [0; 4096];
            let read = stream.read(&mut chunk).await.ok()?;
            if read == 0 {
                return None;
            }
            body.extend_from_slice(&chunk[..read]);
        }
    }
    let keep_alive = find("connection").is_none_or(|value| !value.eq_ignore_ascii_case("close"));
    Some((
        Answer {
            status,
            headers,
            body,
        },
        keep_alive,
    ))
}

/// `prefix` and `payload` as a request target: the payload's own `%`, `/`, `.` and `\`
/// (encoded) reach the server as written; what a request line cannot carry (spaces, `?`, `#`,
/// non-ASCII, controls) is percent-encoded, so that every payload reaches the router.
fn target(prefix: &str, payload: &str) -> String {
    let mut target = prefix.to_owned();
    for byte in payload.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%".contains(&byte) {
            target.push(char::from(byte));
        } else {
            write!(target, "%{byte:02X}").unwrap();
        }
    }
    target
}

/// What a file outside the folder would show if it were served.
fn leaks(text: &str) -> bool {
    text.contains("canary-") || text.contains("root:x:0:0") || text.contains("[fonts]")
}

// ---------------------------------------------------------------------------------------------
// The user's layers.

#[tokio::test]
async fn user_layers_wrap_every_route_inside_the_stack() {
    let address = serve(application()).await;
    // Routes given before and after the layers, nested, static, the fallback: all wrapped.
    for path in [
        "/page",
        "/any",
        "/api/inner",
        "/assets/app.css",
        "/no/such/route",
    ] {
        let response = get(address, path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(header(&response, "x-user-layer"), Some("mark"), "{path}");
        assert_eq!(header(&response, "x-strip-layer"), Some("ran"), "{path}");
        assert_stack_had_the_last_word(&response);
    }
    // A nested router's layer wraps its own routes only.
    let nested = get(address, "/api/inner").await;
    assert_eq!(header(&nested, "x-nested-layer"), Some("nested"));
    let outer = get(address, "/page").await;
    assert_eq!(header(&outer, "x-nested-layer"), None);
    assert_eq!(outer.text().await.unwrap(), "page");
}

#[tokio::test]
async fn an_error_a_user_layer_makes_is_masked() {
    let address = serve(application()).await;
    let response = get(address, "/leak").await;
    assert_eq!(response.status(), 500);
    assert_eq!(
        header(&response, "content-type"),
        Some("application/problem+json")
    );
    assert_stack_had_the_last_word(&response);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "internal_error");
    assert!(problem["incident"].is_string(), "{problem}");
    let text = problem.to_string();
    assert!(
        !text.contains("canary") && !text.contains("10.0.0.3"),
        "{text}"
    );
}

#[tokio::test]
async fn a_problem_whose_body_a_layer_swapped_is_sent_as_it_was_made() {
    let address = serve(application()).await;
    let response = get(address, "/swapped").await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        header(&response, "content-type"),
        Some("application/problem+json")
    );
    let text = response.text().await.unwrap();
    assert!(!text.contains("canary-swapped"), "{text}");
    let problem: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(problem["code"], "not_found");
    assert_eq!(problem["detail"], "there is no such note");
}

#[tokio::test]
async fn a_panicking_user_layer_is_a_masked_500() {
    let address = serve(application()).await;
    let response = get(address, "/layer-panic").await;
    assert_eq!(response.status(), 500);
    assert_stack_had_the_last_word(&response);
    let text = response.text().await.unwrap();
    assert!(!text.contains("canary-layer-panic"), "{text}");
    assert!(text.contains("incident"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// HEAD, OPTIONS, any.

#[tokio::test]
async fn head_options_and_any_route_like_the_other_methods() {
    let address = serve(application()).await;
    let client = reqwest::Client::new();
    let url = format!("http://{address}/probe");

    let response = client.head(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "x-probe"), Some("alive"));
    assert_stack_had_the_last_word(&response);

    let response = client
        .request(reqwest::Method::OPTIONS, &url)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "allow"), Some("HEAD, OPTIONS"));
    assert_eq!(response.text().await.unwrap(), "HEAD, OPTIONS");

    // Neither GET nor POST was routed there: a 405 problem that names what is.
    for method in [reqwest::Method::GET, reqwest::Method::POST] {
        let response = client.request(method.clone(), &url).send().await.unwrap();
        assert_eq!(response.status(), 405, "{method}");
        let allow = header(&response, "allow").unwrap().to_owned();
        assert!(
            allow.contains("HEAD") && allow.contains("OPTIONS") && !allow.contains("GET"),
            "{allow}"
        );
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["code"], "method_not_allowed");
    }

    let url = format!("http://{address}/any");
    for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let response = client.request(method.clone(), &url).send().await.unwrap();
        assert_eq!(response.status(), 200, "{method}");
        assert_eq!(response.text().await.unwrap(), "any", "{method}");
    }
}

// ---------------------------------------------------------------------------------------------
// The fallback.

#[tokio::test]
async fn the_fallback_answers_what_no_route_matches_under_the_stack() {
    let address = serve(application()).await;
    // `/assets/` is no file's address: the files' route does not take it, the fallback does.
    for path in ["/nowhere", "/api/nowhere", "/a/b/c?d=e", "/assets/"] {
        let response = get(address, path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_stack_had_the_last_word(&response);
        assert_eq!(response.text().await.unwrap(), "shell", "{path}");
    }
    // A routed address is not the fallback's, whatever the method.
    let response = reqwest::Client::new()
        .delete(format!("http://{address}/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
}

#[tokio::test]
async fn without_a_fallback_an_unknown_address_is_a_problem_404() {
    let address = serve(Router::new().get("/page", page)).await;
    let response = get(address, "/nowhere").await;
    assert_eq!(response.status(), 404);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "not_found");
}

#[tokio::test]
async fn a_second_fallback_replaces_the_first_in_the_service_and_the_report() {
    #[public(reason = "the newer shell")]
    async fn newer() -> &'static str {
        "newer"
    }
    let router = Router::new().fallback(shell).fallback(newer);
    let report = router.route_report();
    assert_eq!(report.0.len(), 1);
    assert_eq!(
        (report.0[0].handler, report.0[0].path.as_str()),
        ("newer", "/*")
    );
    let address = serve(router).await;
    assert_eq!(get(address, "/x").await.text().await.unwrap(), "newer");
}

#[derive(Clone)]
struct MemberState {
    jwt: Arc<JwtSettings>,
}

impl ProvidesAuth for MemberState {
    fn jwt_settings(&self) -> Option<&JwtSettings> {
        Some(&self.jwt)
    }
}

#[derive(Clone, Debug)]
struct Member {
    id: String,
}

#[derive(serde::Deserialize)]
struct MemberClaims {
    sub: String,
}

impl Principal for Member {
    type Claims = MemberClaims;
    type Role = ();

    fn from_claims(claims: MemberClaims) -> Option<Self> {
        Some(Self { id: claims.sub })
    }

    fn subject(&self) -> &str {
        &self.id
    }

    fn has_role(&self, (): &()) -> bool {
        false
    }
}

#[requires_auth(Member)]
async fn members_only(member: Auth<Member>) -> String {
    format!("members' page for {}", member.0.id)
}

#[tokio::test]
async fn an_authenticated_fallback_refuses_strangers() {
    let jwt = palisade_testkit::jwt::hs256_settings(b"0123456789abcdef0123456789abcdef-adopt");
    let token = jwt
        .issue(&serde_json::json!({
            "sub": "ada",
            "iss": palisade_testkit::jwt::ISSUER,
            "aud": palisade_testkit::jwt::AUDIENCE,
            "exp": now() + 600,
        }))
        .unwrap();
    let router = Router::new()
        .fallback(members_only)
        .with_state(MemberState { jwt: Arc::new(jwt) });
    let report = router.route_report();
    assert_eq!(
        (report.0[0].access, report.0[0].handler),
        ("authenticated", "members_only")
    );
    let address = serve(router).await;
    let client = reqwest::Client::new();
    let url = format!("http://{address}/anything");

    let response = client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "unauthenticated");

    let response = client
        .get(&url)
        .bearer_auth(format!("{token}x"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    let response = client.get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "members' page for ada");
}

// ---------------------------------------------------------------------------------------------
// Static files.

#[tokio::test]
async fn files_are_served_with_their_exact_type_and_bytes() {
    let address = serve(application()).await;
    for (path, content_type, bytes) in [
        ("index.html", "text/html; charset=utf-8", INDEX.as_bytes()),
        ("app.css", "text/css; charset=utf-8", STYLE.as_bytes()),
        (
            "app.js",
            "text/javascript; charset=utf-8",
            SCRIPT.as_bytes(),
        ),
        ("data.json", "application/json", DATA.as_bytes()),
        ("logo.svg", "image/svg+xml", LOGO.as_bytes()),
        ("notes.txt", "text/plain; charset=utf-8", NOTES.as_bytes()),
        ("image.png", "image/png", PNG),
        ("blob.bin", "application/octet-stream", BLOB),
        ("sub/deep.txt", "text/plain; charset=utf-8", DEEP.as_bytes()),
        (
            ".well-known/security.txt",
            "text/plain; charset=utf-8",
            SECURITY_TXT.as_bytes(),
        ),
        // A link inside the folder is served as what it leads to.
        ("inside-link", "text/html; charset=utf-8", INDEX.as_bytes()),
        ("app.css?v=3", "text/css; charset=utf-8", STYLE.as_bytes()),
        (
            "sub%2Fdeep.txt",
            "text/plain; charset=utf-8",
            DEEP.as_bytes(),
        ),
    ] {
        let response = get(address, &format!("/assets/{path}")).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            header(&response, "content-type"),
            Some(content_type),
            "{path}"
        );
        assert_eq!(
            header(&response, "content-length"),
            Some(bytes.len().to_string().as_str()),
            "{path}"
        );
        assert_stack_had_the_last_word(&response);
        assert_eq!(&response.bytes().await.unwrap()[..], bytes, "{path}");
    }
}

#[tokio::test]
async fn head_of_a_file_has_its_headers_and_no_body() {
    let address = serve(application()).await;
    let mut client = RawClient::new(address);
    let answer = client.send("HEAD", "/assets/app.css").await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        answer.header("content-length"),
        Some(STYLE.len().to_string().as_str())
    );
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
    assert!(answer.body.is_empty());
    // The connection is still good for the next request: nothing was left unread.
    let answer = client.send("GET", "/assets/app.css").await;
    assert_eq!(answer.text(), STYLE);
}

#[tokio::test]
async fn ranges_and_conditional_requests_are_honoured() {
    let address = serve(application()).await;
    let client = reqwest::Client::new();
    let url = format!("http://{address}/assets/notes.txt");
    let response = client
        .get(&url)
        .header("range", "bytes=0-4")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 206);
    assert_eq!(response.text().await.unwrap(), "plain");

    let modified = header(&client.get(&url).send().await.unwrap(), "last-modified")
        .unwrap()
        .to_owned();
    let response = client
        .get(&url)
        .header("if-modified-since", modified)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 304);
}

/// A 404 as palisade answers any: problem+json, nothing about the file system.
async fn assert_not_found(response: reqwest::Response) {
    let url = response.url().clone();
    assert_eq!(response.status(), 404, "{url}");
    assert_eq!(
        header(&response, "content-type"),
        Some("application/problem+json"),
        "{url}"
    );
    assert_stack_had_the_last_word(&response);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "not_found", "{url}");
}

#[tokio::test]
async fn folders_missing_and_hidden_files_are_a_problem_404() {
    // No fallback here: it would answer `/assets/`, which is no file's address.
    let router = Router::new()
        .public_files("/assets", &site().public, FILES_REASON)
        .layer(middleware::map_response(strip));
    let address = serve(router).await;
    for path in [
        "/assets",
        "/assets/",
        "/assets/sub",
        "/assets/sub/",
        "/assets/.well-known",
        "/assets/missing.css",
        "/assets/sub/missing.txt",
        "/assets/.env",
        "/assets/%2eenv",
        "/assets/index.html/",
        "/assets//index.html",
    ] {
        assert_not_found(get(address, path).await).await;
    }
}

#[tokio::test]
async fn symbolic_links_out_of_the_folder_are_not_followed() {
    let address = serve(application()).await;
    for path in [
        "/assets/outside-link",
        "/assets/private-link/secret.txt",
        "/assets/private-link",
    ] {
        let response = get(address, path).await;
        assert_eq!(response.status(), 404, "{path}");
        let text = response.text().await.unwrap();
        assert!(!leaks(&text), "{path}: {text}");
    }
    // The link that stays inside is served: the refusal above is about where they lead.
    let response = get(address, "/assets/inside-link").await;
    assert_eq!(response.text().await.unwrap(), INDEX);
}

#[tokio::test]
async fn other_methods_on_files_are_a_405_problem() {
    let address = serve(application()).await;
    let client = reqwest::Client::new();
    for method in [
        reqwest::Method::POST,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
    ] {
        let response = client
            .request(method.clone(), format!("http://{address}/assets/app.css"))
            .body("overwrite")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{method}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["code"], "method_not_allowed");
    }
    assert_eq!(
        std::fs::read_to_string(site().public.join("app.css")).unwrap(),
        STYLE
    );
}

/// Hand-made climbs to the files beside the folder, in every spelling of `..` and of the
/// separator, and the absolute paths of those files.
fn climbs() -> Vec<String> {
    let dots = [
        "..",
        "%2e%2e",
        "%2E%2E",
        ".%2e",
        "%2e.",
        "%252e%252e",
        "..%00",
    ];
    let separators = ["/", "%2f", "%2F", "\\", "%5c", "%5C", "%252f"];
    let mut climbs = Vec::new();
    for dot in dots {
        for separator in separators {
            for depth in 1..=3 {
                let up = format!("{dot}{separator}").repeat(depth);
                climbs.push(format!("{up}outside.txt"));
                climbs.push(format!("{up}private{separator}secret.txt"));
                climbs.push(format!("sub{separator}{up}{up}outside.txt"));
            }
        }
    }
    let root = site().root.display().to_string();
    climbs.push(format!("{root}/outside.txt"));
    climbs.push(format!("/{root}/private/secret.txt"));
    climbs.push(target("", &format!("{root}/outside.txt")).replace('/', "%2f"));
    climbs.push(format!("file:{root}/outside.txt"));
    climbs
}

/// Every payload of the traversal corpus, `{FILE}` aimed at the file beside the folder and at
/// the system's password file.
fn corpus() -> Vec<(String, String)> {
    let mut payloads = Vec::new();
    for payload in palisade_testkit::corpus::payloads("traversal") {
        if payload.text.contains("{FILE}") {
            for file in ["outside.txt", "private/secret.txt", "etc/passwd"] {
                payloads.push((payload.origin.clone(), payload.text.replace("{FILE}", file)));
            }
        } else {
            payloads.push((payload.origin, payload.text));
        }
    }
    payloads
}

#[tokio::test]
async fn no_traversal_payload_reads_outside_the_folder() {
    let address = serve(application()).await;
    let mut hostile: Vec<(String, String)> = climbs()
        .into_iter()
        .map(|climb| ("hand-made".to_owned(), climb))
        .collect();
    hostile.extend(corpus());
    assert!(
        hostile.len() > 20_000,
        "the corpus was read: {}",
        hostile.len()
    );

    // Eight connections share the payloads.
    let hostile = Arc::new(hostile);
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..8 {
        let hostile = Arc::clone(&hostile);
        tasks.spawn(async move {
            let mut client = RawClient::new(address);
            let mut problems = Vec::new();
            let mut refused_by_the_router = 0_usize;
            for (origin, payload) in hostile.iter().skip(worker).step_by(8) {
                let target = target("/assets/", payload);
                let answer = client.send("GET", &target).await;
                let text = answer.text();
                if leaks(&text) || answer.status == 200 {
                    problems.push(format!("{origin} {target}: {} {text}", answer.status));
                } else if answer.status == 404
                    && answer.header("content-type") == Some("application/problem+json")
                    && answer.header("x-content-type-options") == Some("nosniff")
                {
                    refused_by_the_router += 1;
                } else {
                    problems.push(format!("{origin} {target}: {} {text}", answer.status));
                }
            }
            (problems, refused_by_the_router)
        });
    }
    let mut problems = Vec::new();
    let mut refused = 0;
    while let Some(result) = tasks.join_next().await {
        let (found, count) = result.unwrap();
        problems.extend(found);
        refused += count;
    }
    assert!(
        problems.is_empty(),
        "{} of {} payloads:\n{}",
        problems.len(),
        hostile.len(),
        problems[..problems.len().min(30)].join("\n")
    );
    // Every payload reached the file service and was refused there, not by the HTTP parser.
    assert_eq!(refused, hostile.len());
}

#[tokio::test]
async fn the_same_client_reads_a_file_so_the_traversal_test_can_see_one() {
    let address = serve(application()).await;
    let mut client = RawClient::new(address);
    let answer = client
        .send("GET", &target("/assets/", "sub/deep.txt"))
        .await;
    assert_eq!((answer.status, answer.text().as_str()), (200, DEEP));
    // And a naive join of the same climb would have named the canary: the payloads aim true.
    let climb = site().public.join("..").join("outside.txt");
    assert_eq!(std::fs::read_to_string(climb).unwrap(), OUTSIDE);
}

#[tokio::test]
async fn files_at_the_root_are_served_and_guarded_the_same() {
    let router = Router::new()
        .get("/page", page)
        .public_files("/", &site().public, FILES_REASON);
    assert_eq!(router.route_report().0[1].path, "/{*file}");
    let address = serve(router).await;
    assert_eq!(get(address, "/page").await.text().await.unwrap(), "page");
    assert_eq!(get(address, "/app.css").await.text().await.unwrap(), STYLE);
    let mut client = RawClient::new(address);
    for climb in climbs() {
        let answer = client.send("GET", &target("/", &climb)).await;
        assert_eq!(answer.status, 404, "{climb}");
        assert!(!leaks(&answer.text()), "{climb}");
    }
}

#[tokio::test]
async fn concurrent_requests_each_get_their_own_answer() {
    let address = serve(application()).await;
    let files: [(&str, &[u8]); 4] = [
        ("app.css", STYLE.as_bytes()),
        ("image.png", PNG),
        ("sub/deep.txt", DEEP.as_bytes()),
        ("blob.bin", BLOB),
    ];
    let mut tasks = tokio::task::JoinSet::new();
    for index in 0..200 {
        let (file, bytes) = files[index % files.len()];
        tasks.spawn(async move {
            if index % 5 == 4 {
                let mut client = RawClient::new(address);
                let answer = client
                    .send("GET", &format!("/assets/%2e%2e/outside.txt?{index}"))
                    .await;
                assert_eq!(answer.status, 404);
                assert!(!leaks(&answer.text()));
            } else {
                let response = get(address, &format!("/assets/{file}")).await;
                assert_eq!(response.status(), 200, "{file}");
                assert_eq!(header(&response, "x-content-type-options"), Some("nosniff"));
                assert_eq!(&response.bytes().await.unwrap()[..], bytes, "{file}");
            }
        });
    }
    let mut done = 0;
    while let Some(result) = tasks.join_next().await {
        result.unwrap();
        done += 1;
    }
    assert_eq!(done, 200);
}

#[test]
#[should_panic(expected = "say why in `reason`")]
fn static_files_without_a_reason_are_refused() {
    let _ = Router::<()>::new().public_files("/assets", &site().public, "  ");
}

#[test]
#[should_panic(expected = "is not a folder that can be read")]
fn static_files_from_a_missing_folder_are_refused() {
    let _ = Router::<()>::new().public_files("/assets", site().root.join("absent"), "assets");
}

#[test]
#[should_panic(expected = "is not a folder that can be read")]
fn static_files_from_a_file_are_refused() {
    let _ = Router::<()>::new().public_files("/assets", site().root.join("outside.txt"), "x");
}

#[test]
#[should_panic(expected = "need a fixed path starting with `/`")]
fn static_files_under_a_capture_are_refused() {
    let _ = Router::<()>::new().public_files("/{tenant}/assets", &site().public, "assets");
}

#[test]
#[should_panic(expected = "need a fixed path starting with `/`")]
fn static_files_under_a_relative_path_are_refused() {
    let _ = Router::<()>::new().public_files("assets", &site().public, "assets");
}

// ---------------------------------------------------------------------------------------------
// The route report.

#[test]
fn the_report_shows_every_method_the_fallback_the_files_and_the_layers() {
    let report = application().route_report();
    let find = |method: &str, path: &str| {
        report
            .0
            .iter()
            .find(|route| route.method == method && route.path == path)
            .unwrap_or_else(|| panic!("{method} {path} in\n{report}"))
    };
    assert_eq!(report.0.len(), 9, "{report}");

    let head = find("HEAD", "/probe");
    assert_eq!(
        (head.handler, head.access, head.decision),
        ("probe", "public", "monitors probe with HEAD")
    );
    let options = find("OPTIONS", "/probe");
    assert_eq!(options.handler, "probe_options");
    let any = find("ANY", "/any");
    assert_eq!(
        (any.handler, any.decision),
        ("any_method", "the echo takes every method")
    );
    let fallback = find("ANY", "/*");
    assert_eq!(
        (fallback.handler, fallback.access, fallback.decision),
        ("shell", "public", "an unknown address gets the app shell")
    );
    let files = find("GET", "/assets/{*file}");
    assert_eq!(
        (files.handler, files.access, files.decision),
        ("static files", "public", FILES_REASON)
    );
    let folder = site().public.display().to_string();
    assert_eq!(files.folder.as_deref(), Some(folder.as_str()));
    assert_eq!(find("GET", "/page").folder, None);

    // Every route has the three layers of the outer router, outermost first, whether it was
    // added before or after them; the nested route has its own innermost.
    for route in &report.0 {
        let layers = &route.layers;
        let expected = if route.path == "/api/inner" { 4 } else { 3 };
        assert_eq!(layers.len(), expected, "{}: {layers:?}", route.path);
        assert!(
            layers[0].contains("MapResponseLayer<router_adoption::strip"),
            "{layers:?}"
        );
        assert!(
            layers[1].contains("FromFnLayer<router_adoption::leak_or_panic"),
            "{layers:?}"
        );
        assert!(
            layers[2].contains("MapResponseLayer<router_adoption::mark,"),
            "{layers:?}"
        );
    }
    let nested = &find("GET", "/api/inner").layers;
    assert!(
        nested[3].contains("MapResponseLayer<router_adoption::mark_nested"),
        "{nested:?}"
    );

    let markdown = report.to_string();
    assert!(
        markdown.starts_with(
            "| method | path | handler | access | rule or reason | policy | CSRF | layers | trusted |\n"
        ),
        "{markdown}"
    );
    for row in [
        "| HEAD | `/probe` | `probe` | public | monitors probe with HEAD |  |  | `MapResponseLayer<strip, ",
        "| OPTIONS | `/probe` | `probe_options` | public | clients ask what the probe allows |",
        "| ANY | `/any` | `any_method` | public | the echo takes every method |",
        "| ANY | `/*` | `shell` | public | an unknown address gets the app shell |",
        &format!(
            "| GET | `/assets/{{*file}}` | files in `{folder}` | public | {FILES_REASON} |  |  | `MapResponseLayer<strip, "
        ),
    ] {
        assert!(markdown.contains(row), "{row}\nin\n{markdown}");
    }
    assert!(
        markdown.contains("` → `FromFnLayer<leak_or_panic, ")
            && markdown.contains("` → `MapResponseLayer<mark_nested, "),
        "{markdown}"
    );

    let json = serde_json::to_value(&report).unwrap();
    let files = json
        .as_array()
        .unwrap()
        .iter()
        .find(|route| route["path"] == "/assets/{*file}")
        .unwrap();
    assert_eq!(files["folder"], folder.as_str());
    assert_eq!(files["decision"], FILES_REASON);
    assert_eq!(files["layers"].as_array().unwrap().len(), 3);
}

#[test]
fn a_router_without_layers_reports_none() {
    let report = Router::<()>::new().get("/page", page).route_report();
    assert!(report.0[0].layers.is_empty());
    assert!(
        report
            .to_string()
            .contains("| GET | `/page` | `page` | public | a page anyone may read |  |  |  |  |\n")
    );
}

#[test]
fn a_nested_fallback_is_reported_under_its_prefix() {
    let report = Router::<()>::new()
        .nest("/api", Router::new().fallback(shell))
        .route_report();
    assert_eq!(
        (report.0[0].method, report.0[0].path.as_str()),
        ("ANY", "/api/*")
    );
}

#[tokio::test]
async fn a_nested_fallback_answers_under_its_prefix_only() {
    #[public(reason = "the API's own unknown addresses")]
    async fn api_missing() -> &'static str {
        "api fallback"
    }
    let router = Router::new()
        .nest(
            "/api",
            Router::new().get("/page", page).fallback(api_missing),
        )
        .fallback(shell);
    let address = serve(router).await;
    assert_eq!(
        get(address, "/api/nothing").await.text().await.unwrap(),
        "api fallback"
    );
    assert_eq!(
        get(address, "/nothing").await.text().await.unwrap(),
        "shell"
    );
    assert_eq!(
        get(address, "/api/page").await.text().await.unwrap(),
        "page"
    );
}

#[test]
fn the_site_has_what_the_tests_expect() {
    // The fixtures that the refusals are measured against are real.
    let site = site();
    assert!(site.public.join(".env").is_file());
    assert_eq!(
        std::fs::read_to_string(site.public.join("outside-link")).unwrap(),
        OUTSIDE
    );
    assert_eq!(
        std::fs::read_to_string(site.public.join("private-link/secret.txt")).unwrap(),
        PRIVATE
    );
    assert!(Path::new(&site.root).join("private").is_dir());
}
