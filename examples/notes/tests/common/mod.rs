//! The real `palisade-notes` binary, started on a free loopback port with a temporary data
//! folder, and a client that drives it over HTTP.

// Each test binary compiles this module on its own and uses part of it.
#![allow(dead_code)]

use std::io::{BufRead as _, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A signing key for the runs of one test, so that tokens survive a restart.
pub const JWT_KEY: &str = "e2e-test-signing-key-of-at-least-32-bytes";
/// A password that meets the policy.
pub const PASSWORD: &str = "correct horse battery staple";

/// A temporary folder, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "palisade-notes-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What the process wrote, as it comes.
#[derive(Clone, Default)]
pub struct Output(Arc<Mutex<String>>);

impl Output {
    pub fn text(&self) -> String {
        self.0.lock().unwrap().clone()
    }

    fn follow(&self, stream: impl Read + Send + 'static) {
        let output = self.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                let mut text = output.0.lock().unwrap();
                text.push_str(&line);
                text.push('\n');
            }
        });
    }
}

/// A running service.
pub struct Service {
    child: Child,
    pub base: String,
    pub stdout: Output,
    pub stderr: Output,
}

impl Service {
    /// Starts the binary on `data` with `extra` arguments, and waits until it listens.
    pub fn start(data: &Path, extra: &[&str]) -> Service {
        let mut child = Command::new(env!("CARGO_BIN_EXE_palisade-notes"))
            .args(["--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data)
            .args(extra)
            .env("PALISADE_NOTES_JWT_KEY", JWT_KEY)
            .env_remove("PALISADE_NOTES_REDIS")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the palisade-notes binary starts");
        let (stdout, stderr) = (Output::default(), Output::default());
        stdout.follow(child.stdout.take().unwrap());
        stderr.follow(child.stderr.take().unwrap());
        let deadline = Instant::now() + Duration::from_secs(30);
        let base = loop {
            if let Some(line) = stdout
                .text()
                .lines()
                .find_map(|line| line.strip_prefix("listening on ").map(str::to_owned))
            {
                break line;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("palisade-notes exited with {status}: {}", stderr.text());
            }
            assert!(
                Instant::now() < deadline,
                "palisade-notes did not start: {}",
                stderr.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        Service {
            child,
            base,
            stdout,
            stderr,
        }
    }

    /// The admin password the first start printed.
    pub fn admin_password(&self) -> String {
        let text = self.stdout.text();
        let line = text
            .lines()
            .find(|line| line.starts_with("admin account: "))
            .expect("the first start prints the admin password");
        line.split("password: ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .unwrap()
            .to_owned()
    }

    /// Everything the process logged (standard error).
    pub fn log(&self) -> String {
        self.stderr.text()
    }

    /// Stops the process.
    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|_| panic!("JSON expected, got {}: {}", self.status, self.body))
    }

    /// The session cookie's value this answer sets.
    pub fn session_cookie(&self) -> Option<String> {
        palisade_testkit::set_cookie_value(
            self.headers
                .get_all("set-cookie")
                .iter()
                .filter_map(|value| value.to_str().ok()),
            "__Host-session",
        )
    }
}

/// How a request authenticates.
#[derive(Clone, Debug)]
pub enum Credential {
    None,
    Bearer(String),
    /// A session cookie, with `Sec-Fetch-Site: same-origin` as a browser on the site sends.
    Cookie(String),
}

/// A logged-in user.
#[derive(Clone, Debug)]
pub struct User {
    pub email: String,
    pub token: String,
    pub cookie: String,
    pub csrf: String,
}

impl User {
    pub fn bearer(&self) -> Credential {
        Credential::Bearer(self.token.clone())
    }

    pub fn cookie(&self) -> Credential {
        Credential::Cookie(self.cookie.clone())
    }
}

/// A client of one service.
#[derive(Clone)]
pub struct Client {
    base: String,
    http: reqwest::Client,
}

impl Client {
    pub fn new(service: &Service) -> Self {
        Self {
            base: service.base.clone(),
            http: reqwest::Client::new(),
        }
    }

    /// `method path` with `credential`, extra `headers` and a JSON `body`.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        credential: &Credential,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Answer {
        let mut request = self.request(method, path, credential, headers);
        if let Some(body) = body {
            request = request.json(&body);
        }
        Self::answer(request).await
    }

    /// `method path` with `credential`, extra `headers` (the content type among them, if
    /// any) and `body` sent as it is: for bodies that are not JSON, or too large to be.
    pub async fn send_raw(
        &self,
        method: reqwest::Method,
        path: &str,
        credential: &Credential,
        headers: &[(&str, &str)],
        body: impl Into<reqwest::Body>,
    ) -> Answer {
        Self::answer(self.request(method, path, credential, headers).body(body)).await
    }

    fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        credential: &Credential,
        headers: &[(&str, &str)],
    ) -> reqwest::RequestBuilder {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        match credential {
            Credential::None => {}
            Credential::Bearer(token) => {
                request = request.header("authorization", format!("Bearer {token}"));
            }
            Credential::Cookie(id) => {
                request = request
                    .header("cookie", format!("__Host-session={id}"))
                    .header("sec-fetch-site", "same-origin");
            }
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request
    }

    async fn answer(request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.expect("the service answers");
        Answer {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str, credential: &Credential) -> Answer {
        self.send(reqwest::Method::GET, path, credential, &[], None)
            .await
    }

    pub async fn post(&self, path: &str, credential: &Credential, body: Value) -> Answer {
        self.send(reqwest::Method::POST, path, credential, &[], Some(body))
            .await
    }

    pub async fn put(&self, path: &str, credential: &Credential, body: Value) -> Answer {
        self.send(reqwest::Method::PUT, path, credential, &[], Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, credential: &Credential) -> Answer {
        self.send(reqwest::Method::DELETE, path, credential, &[], None)
            .await
    }

    /// Registers `email` with [`PASSWORD`].
    pub async fn register(&self, email: &str) -> Answer {
        self.post(
            "/api/auth/register",
            &Credential::None,
            json!({"email": email, "password": PASSWORD, "display_name": "Test User"}),
        )
        .await
    }

    /// Logs in.
    pub async fn login(&self, email: &str, password: &str) -> Answer {
        self.post(
            "/api/auth/login",
            &Credential::None,
            json!({"email": email, "password": password}),
        )
        .await
    }

    /// Registers and logs in `email`.
    pub async fn user(&self, email: &str) -> User {
        let answer = self.register(email).await;
        assert_eq!(answer.status, 202, "{}", answer.body);
        self.logged_in(email, PASSWORD).await
    }

    /// Logs in `email` with `password`, which must succeed.
    pub async fn logged_in(&self, email: &str, password: &str) -> User {
        let answer = self.login(email, password).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        let body = answer.json();
        User {
            email: email.to_owned(),
            token: body["token"].as_str().unwrap().to_owned(),
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
            cookie: answer.session_cookie().expect("a session cookie"),
        }
    }

    /// Creates a note and returns its id.
    pub async fn note(&self, user: &User, title: &str, body: &str) -> i64 {
        let answer = self
            .post(
                "/api/notes",
                &user.bearer(),
                json!({"title": title, "body": body}),
            )
            .await;
        assert_eq!(answer.status, 201, "{}", answer.body);
        answer.json()["id"].as_i64().unwrap()
    }
}

/// The messages in the service's outbox (`outbox/` in its data folder), in no order.
pub fn outbox(data: &Path) -> Vec<String> {
    std::fs::read_dir(data.join("outbox"))
        .map(|entries| {
            entries
                .filter_map(|entry| std::fs::read_to_string(entry.ok()?.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}
