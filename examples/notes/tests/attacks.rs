//! Attacks on the running service, over loopback HTTP: the SQL injection and XSS payloads of
//! `PayloadsAllTheThings` (`testkit/corpora/{sqli,xss}/`, MIT) in every field that reaches the
//! database or a page, malformed and oversized requests, and the canary rule (no password,
//! token, cookie or hash in the log or in any answer but the one that hands it out). Each test
//! starts its own service on its own data folder.

mod common;

use std::collections::BTreeSet;
use std::hash::{BuildHasher as _, RandomState};
use std::time::Duration;

use common::{Answer, Client, Credential, PASSWORD, Service, TempDir, User};
use palisade_testkit::assert_none;
use palisade_testkit::corpus::payloads;
use palisade_testkit::html::{csp_nonce, unsafe_parts, unsafe_parts_of_page};
use serde_json::{Value, json};

/// `text` as a query-string value.
fn query(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The title rule, as the service states it: plain text of 1 to 200 characters, none of them
/// a control character.
fn valid_title(title: &str) -> bool {
    (1..=200).contains(&title.chars().count()) && !title.chars().any(char::is_control)
}

/// What the service stores of a rich-text body.
fn sanitized_body(body: &str) -> String {
    let mut body = body.to_owned();
    palisade::sanitize::basic_html(&mut body);
    body
}

/// A note as the API returned it.
struct StoredNote {
    id: i64,
    title: String,
    body: String,
}

/// Whether `SQLite`'s `LIKE '%text%'` (case-insensitive for ASCII only, its default)
/// matches `haystack`.
fn like_matches(haystack: &str, text: &str) -> bool {
    haystack
        .to_ascii_lowercase()
        .contains(&text.to_ascii_lowercase())
}

/// The ids a search for `q` must answer: the caller's matching notes, newest first, at most
/// a page of 100.
fn expected_search(notes: &[StoredNote], q: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = notes
        .iter()
        .filter(|note| like_matches(&note.title, q) || like_matches(&note.body, q))
        .map(|note| note.id)
        .collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids.truncate(100);
    ids
}

fn ids_of(answer: &Answer) -> Vec<i64> {
    answer
        .json()
        .as_array()
        .expect("a list of notes")
        .iter()
        .map(|note| note["id"].as_i64().expect("a note id"))
        .collect()
}

/// Reads note `id` back; the failure, if the service does not answer it.
async fn read_back(client: &Client, user: &User, id: i64) -> Result<Value, String> {
    let answer = client
        .get(&format!("/api/notes/{id}"), &user.bearer())
        .await;
    if answer.status == 200 {
        Ok(answer.json())
    } else {
        Err(format!(
            "reading note {id} back: {} {}",
            answer.status, answer.body
        ))
    }
}

/// The attacker's side of the SQL injection test: her notes as the service stored them, and
/// every failure seen.
struct Injector<'a> {
    client: &'a Client,
    user: &'a User,
    notes: Vec<StoredNote>,
    titles_stored: usize,
    failures: Vec<String>,
}

impl Injector<'_> {
    /// Creates a note and reads it back: the stored note, or `None` with the failure noted.
    async fn create(&mut self, origin: &str, title: &str, body: &str) -> Option<Value> {
        let created = self
            .client
            .post(
                "/api/notes",
                &self.user.bearer(),
                json!({"title": title, "body": body}),
            )
            .await;
        if created.status != 201 {
            self.failures.push(format!(
                "{origin}: note {title:?} / {body:?} answered {}: {}",
                created.status, created.body
            ));
            return None;
        }
        let id = created.json()["id"].as_i64().expect("the new note's id");
        match read_back(self.client, self.user, id).await {
            Ok(note) => {
                self.notes.push(StoredNote {
                    id,
                    title: note["title"].as_str().unwrap_or_default().to_owned(),
                    body: note["body"].as_str().unwrap_or_default().to_owned(),
                });
                Some(note)
            }
            Err(failure) => {
                self.failures.push(format!("{origin}: {failure}"));
                None
            }
        }
    }

    /// As a title: stored byte for byte, or refused by the title rule.
    async fn title(&mut self, origin: &str, text: &str) {
        if !valid_title(text) {
            let answer = self
                .client
                .post(
                    "/api/notes",
                    &self.user.bearer(),
                    json!({"title": text, "body": "title probe"}),
                )
                .await;
            if answer.status != 422 {
                self.failures.push(format!(
                    "{origin}: invalid title {text:?} answered {}: {}",
                    answer.status, answer.body
                ));
            }
            return;
        }
        if let Some(note) = self.create(origin, text, "title probe").await {
            if note["title"].as_str() == Some(text) {
                self.titles_stored += 1;
            } else {
                self.failures.push(format!(
                    "{origin}: title stored as {:?}, sent {text:?}",
                    note["title"]
                ));
            }
        }
    }

    /// As a body: stored as the rich-text sanitizer leaves it, nothing else changed.
    async fn body(&mut self, origin: &str, text: &str) {
        let expected = sanitized_body(text);
        let title = format!("body of {origin}");
        if let Some(note) = self.create(origin, &title, text).await
            && note["body"].as_str() != Some(expected.as_str())
        {
            self.failures.push(format!(
                "{origin}: body stored as {:?}, expected {expected:?}",
                note["body"]
            ));
        }
    }

    /// As a search: exactly the caller's notes that contain it, or 422 past 100 characters.
    /// The ids found.
    async fn search(&mut self, origin: &str, text: &str) -> Vec<i64> {
        let found = self
            .client
            .get(
                &format!("/api/notes/search?q={}", query(text)),
                &self.user.bearer(),
            )
            .await;
        match ((1..=100).contains(&text.chars().count()), found.status) {
            (true, 200) => {
                let ids = ids_of(&found);
                let expected = expected_search(&self.notes, text);
                if ids != expected {
                    self.failures.push(format!(
                        "{origin}: search {text:?} found {ids:?}, expected {expected:?}"
                    ));
                }
                ids
            }
            (false, 422) => Vec::new(),
            (_, status) => {
                self.failures.push(format!(
                    "{origin}: search {text:?} answered {status}: {}",
                    found.body
                ));
                Vec::new()
            }
        }
    }
}

#[tokio::test]
async fn sql_injection_in_titles_bodies_and_searches_is_only_data() {
    let data = TempDir::new();
    let service = Service::start(data.path(), &[]);
    let client = Client::new(&service);
    let mallory = client.user("mallory@example.com").await;
    let victim = client.user("victim@example.com").await;
    // Notes that most payloads would find, were the search not held to the caller's notes.
    let mut victim_notes = BTreeSet::new();
    for (title, body) in [
        (
            "' OR 1=1 -- victim's note",
            "<p>SELECT * FROM users; 1 % _ \\ admin password</p>",
        ),
        (
            "UNION SELECT NULL",
            "<p>or 1=1 waitfor delay sleep(5) ' \" ` ; --</p>",
        ),
    ] {
        victim_notes.insert(client.note(&victim, title, body).await);
    }

    let corpus = payloads("sqli");
    assert!(
        corpus.len() > 1_000,
        "expected the ~1,450 SQL injection payloads"
    );
    let mut mallory_side = Injector {
        client: &client,
        user: &mallory,
        notes: Vec::new(),
        titles_stored: 0,
        failures: Vec::new(),
    };
    let mut leaked = BTreeSet::new();
    for payload in &corpus {
        mallory_side.title(&payload.origin, &payload.text).await;
        mallory_side.body(&payload.origin, &payload.text).await;
        let found = mallory_side.search(&payload.origin, &payload.text).await;
        leaked.extend(found.into_iter().filter(|id| victim_notes.contains(id)));
    }
    let Injector {
        notes,
        titles_stored,
        failures,
        ..
    } = mallory_side;
    assert!(
        leaked.is_empty(),
        "searches showed the victim's notes {leaked:?}"
    );
    assert_none("were not handled as data", &failures);
    // Guards against a corpus whose titles all break the title rule, which would test nothing.
    assert!(titles_stored > 1_000, "only {titles_stored} titles stored");

    // The schema is intact: an account can still be made and used, and nobody's notes moved.
    let newcomer = client.user("newcomer@example.com").await;
    let id = client
        .note(&newcomer, "after the attack", "<p>still here</p>")
        .await;
    let list = client.get("/api/notes", &newcomer.bearer()).await;
    assert_eq!(ids_of(&list), vec![id]);
    let list = client.get("/api/notes", &victim.bearer()).await;
    let victims: BTreeSet<i64> = ids_of(&list).into_iter().collect();
    assert_eq!(victims, victim_notes);
    let list = client.get("/api/notes", &mallory.bearer()).await;
    let mut newest: Vec<i64> = notes.iter().map(|note| note.id).collect();
    newest.sort_unstable_by(|a, b| b.cmp(a));
    newest.truncate(100);
    assert_eq!(ids_of(&list), newest);
}

/// A login from `address`, as the trusted proxy in front of the service names it.
async fn login_from(client: &Client, address: &str, email: &str, password: &str) -> Answer {
    client
        .send(
            reqwest::Method::POST,
            "/api/auth/login",
            &Credential::None,
            &[("x-forwarded-for", address)],
            Some(json!({"email": email, "password": password})),
        )
        .await
}

#[tokio::test]
async fn concurrent_wrong_logins_are_throttled_and_the_owner_still_gets_in() {
    let data = TempDir::new();
    // The test client stands for a load balancer, so that it can speak for many addresses.
    let service = Service::start(data.path(), &["--trusted-proxy", "127.0.0.1"]);
    let client = Client::new(&service);
    let admin = "admin@notes.localhost";
    // Forty wrong passwords for the admin at once, from one address: six reach the password
    // check (five free, one that starts the delay), the rest answer 429.
    let started = std::time::Instant::now();
    let tasks: Vec<_> = (0..40)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                login_from(&client, "203.0.113.66", admin, "not the admin's password")
                    .await
                    .status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let wrong = statuses.iter().filter(|status| **status == 401).count();
    let throttled = statuses.iter().filter(|status| **status == 429).count();
    // Six, and one more for each delay (1 s, 2 s, 4 s, ...) that ran out while the burst was
    // still arriving on a loaded machine: never forty, as before the reservation.
    let elapsed = started.elapsed().as_secs() + 1;
    // Delays of 1, 2, 4, ... s: after k of them, 2^k - 1 seconds have passed.
    let delays_over = (1..=16u32)
        .take_while(|k| (1u64 << k) - 1 <= elapsed)
        .count();
    assert!(
        (6..=6 + delays_over).contains(&wrong),
        "{wrong} checks in {elapsed} s: {statuses:?}"
    );
    assert_eq!(wrong + throttled, 40, "{statuses:?}");
    // The owner, from another address, logs in at once.
    let owner = login_from(&client, "192.0.2.10", admin, &service.admin_password()).await;
    assert_eq!(owner.status, 200, "{}", owner.body);
}

#[tokio::test]
async fn sql_injection_in_login_emails_never_logs_anyone_in() {
    let data = TempDir::new();
    let service = Service::start(data.path(), &[]);
    let client = Client::new(&service);
    // Before any failure, so that the address throttle does not stand in the way.
    let admin = client
        .logged_in("admin@notes.localhost", &service.admin_password())
        .await;
    // Its password is the one every attempt sends: a payload that selected this account
    // would log in.
    let known = client.user("known@example.com").await;

    let corpus = payloads("sqli");
    let mut statuses = Vec::new();
    let mut failures = Vec::new();
    for payload in &corpus {
        let answer = client.login(&payload.text, PASSWORD).await;
        if ![401, 422, 429].contains(&answer.status) {
            failures.push(format!(
                "{}: login as {:?} answered {}: {}",
                payload.origin, payload.text, answer.status, answer.body
            ));
        }
        statuses.push(answer.status);
    }
    assert_none("were not refused", &failures);
    // Each payload is another account, so only the limit per address (20 failures) applies:
    // until it is spent, every attempt is judged on its credentials.
    assert!(
        statuses[..20]
            .iter()
            .all(|status| [401, 422].contains(status)),
        "the first 20 answers: {:?}",
        &statuses[..20]
    );
    assert!(statuses.contains(&401));
    assert!(statuses.contains(&429), "the address was never throttled");

    // The accounts are as they were: no payload made or removed one.
    let users = client.get("/api/admin/users", &admin.bearer()).await;
    assert_eq!(users.status, 200, "{}", users.body);
    let emails: Vec<Value> = users
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].clone())
        .collect();
    assert_eq!(
        emails,
        [json!("admin@notes.localhost"), json!("known@example.com")]
    );
    // And the schema still works: register, create, list; and once the throttle's wait is
    // over, log in.
    assert_eq!(client.register("later@example.com").await.status, 202);
    let id = client.note(&known, "after the attack", "").await;
    assert_eq!(
        ids_of(&client.get("/api/notes", &known.bearer()).await),
        vec![id]
    );
    let throttled = client.login("later@example.com", PASSWORD).await;
    if throttled.status == 429 {
        let wait: u64 = throttled.headers["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(wait <= 60, "throttled for {wait} s");
        tokio::time::sleep(Duration::from_secs(wait)).await;
    }
    let later = client.logged_in("later@example.com", PASSWORD).await;
    assert_eq!(client.get("/api/me", &later.bearer()).await.status, 200);
}

#[tokio::test]
async fn xss_in_note_bodies_renders_no_script_but_the_pages_own() {
    let data = TempDir::new();
    let service = Service::start(data.path(), &[]);
    let client = Client::new(&service);
    let user = client.user("xss@example.com").await;

    let corpus = payloads("xss");
    assert!(corpus.len() > 600, "expected the ~700 XSS payloads");
    let mut failures = Vec::new();
    let mut nonces = BTreeSet::new();
    for payload in &corpus {
        let (origin, text) = (&payload.origin, &payload.text);
        // The title is escaped text on the page: it gets the payload too, when the title rule
        // lets it in.
        let title = if valid_title(text) {
            text.clone()
        } else {
            format!("xss {origin}")
        };
        let created = client
            .post(
                "/api/notes",
                &user.bearer(),
                json!({"title": title, "body": text}),
            )
            .await;
        if created.status != 201 {
            failures.push(format!(
                "{origin}: answered {}: {}",
                created.status, created.body
            ));
            continue;
        }
        let id = created.json()["id"].as_i64().expect("the new note's id");

        match read_back(&client, &user, id).await {
            Ok(note) => {
                let body = note["body"].as_str().unwrap_or_default();
                for problem in unsafe_parts(body) {
                    failures.push(format!("{origin}: stored body: {problem}\n    {body:?}"));
                }
                if body != sanitized_body(text) {
                    failures.push(format!(
                        "{origin}: stored body {body:?} is not the sanitized input"
                    ));
                }
            }
            Err(failure) => failures.push(format!("{origin}: {failure}")),
        }

        let page = client.get(&format!("/notes/{id}"), &user.bearer()).await;
        if page.status != 200 {
            failures.push(format!(
                "{origin}: the page answered {}: {}",
                page.status, page.body
            ));
            continue;
        }
        let policy = page
            .headers
            .get("content-security-policy")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        let Some(nonce) = csp_nonce(policy) else {
            failures.push(format!("{origin}: no CSP nonce in {policy:?}"));
            continue;
        };
        nonces.insert(nonce.to_owned());
        // The page's own script carries the nonce: without this, a page whose script had
        // vanished would pass.
        if !page.body.contains(&format!("<script nonce=\"{nonce}\">")) {
            failures.push(format!(
                "{origin}: the page's script does not carry the nonce"
            ));
        }
        for problem in unsafe_parts_of_page(&page.body, Some(nonce)) {
            failures.push(format!("{origin}: page: {problem}\n    input: {text:?}"));
        }
    }
    assert_none("are unsafe once stored or rendered", &failures);
    // A nonce an attacker could learn from one page would open every other.
    assert_eq!(
        nonces.len(),
        corpus.len(),
        "CSP nonces repeat across responses"
    );
}

/// A request that is not what the API takes, and the status it must be refused with.
struct Malformed {
    what: &'static str,
    path: &'static str,
    content_type: Option<&'static str>,
    body: String,
    status: u16,
}

#[tokio::test]
async fn malformed_and_oversized_requests_are_refused_without_echo() {
    let data = TempDir::new();
    let service = Service::start(data.path(), &[]);
    let client = Client::new(&service);
    let user = client.user("sloppy@example.com").await;
    let marker = "ECHO-CANARY-4e1f9b";
    let repeated = |chars: usize| marker.chars().cycle().take(chars).collect::<String>();
    let json = Some("application/json");

    for case in [
        Malformed {
            what: "a 70 KiB note",
            path: "/api/notes",
            content_type: json,
            body: json!({"title": marker, "body": repeated(70 * 1024)}).to_string(),
            status: 413,
        },
        Malformed {
            what: "a 70 KiB login",
            path: "/api/auth/login",
            content_type: json,
            body: json!({"email": repeated(70 * 1024), "password": marker}).to_string(),
            status: 413,
        },
        Malformed {
            what: "truncated JSON",
            path: "/api/notes",
            content_type: json,
            body: format!("{{\"title\": \"{marker}\", \"body\": "),
            status: 400,
        },
        Malformed {
            what: "JSON sent as text/plain",
            path: "/api/notes",
            content_type: Some("text/plain"),
            body: json!({"title": marker, "body": marker}).to_string(),
            status: 400,
        },
        Malformed {
            what: "JSON without a content type",
            path: "/api/notes",
            content_type: None,
            body: json!({"title": marker, "body": marker}).to_string(),
            status: 400,
        },
        Malformed {
            what: "a 20,001-character body",
            path: "/api/notes",
            content_type: json,
            body: json!({"title": "long", "body": repeated(20_001)}).to_string(),
            status: 422,
        },
        Malformed {
            what: "a 201-character title",
            path: "/api/notes",
            content_type: json,
            body: json!({"title": repeated(201), "body": marker}).to_string(),
            status: 422,
        },
    ] {
        let what = case.what;
        let headers: Vec<(&str, &str)> = case
            .content_type
            .map(|value| ("content-type", value))
            .into_iter()
            .collect();
        let answer = client
            .send_raw(
                reqwest::Method::POST,
                case.path,
                &user.bearer(),
                &headers,
                case.body,
            )
            .await;
        assert_eq!(answer.status, case.status, "{what}: {}", answer.body);
        let content_type = answer.headers["content-type"].to_str().unwrap();
        assert_eq!(content_type, "application/problem+json", "{what}");
        assert_eq!(
            answer.json()["status"],
            case.status,
            "{what}: {}",
            answer.body
        );
        assert!(
            !answer.body.contains(marker),
            "{what} echoed: {}",
            answer.body
        );
        for (name, value) in &answer.headers {
            assert!(
                !String::from_utf8_lossy(value.as_bytes()).contains(marker),
                "{what} echoed in {name}"
            );
        }
    }
    // Nothing of it was stored.
    assert_eq!(
        ids_of(&client.get("/api/notes", &user.bearer()).await),
        Vec::<i64>::new()
    );
}

/// A unique secret that the password policy accepts.
fn canary(kind: &str, n: u64) -> String {
    format!("{kind}-canary-{:016x}", RandomState::new().hash_one(n))
}

/// The secrets of a session, and every answer of it with the secrets each may carry (a login
/// hands out its own token).
#[derive(Default)]
struct Transcript {
    secrets: Vec<(String, String)>,
    answers: Vec<(String, Answer, Vec<String>)>,
}

impl Transcript {
    /// Remembers `value`, a secret called `name` in the report.
    fn secret(&mut self, name: impl Into<String>, value: &str) {
        self.secrets.push((name.into(), value.to_owned()));
    }

    /// Keeps `answer` of `what`, which must have `status`.
    fn keep(&mut self, what: &str, answer: Answer, status: u16) -> &Answer {
        self.keep_handing_out(what, answer, status, Vec::new())
    }

    /// Keeps `answer`, which hands out `own` secrets.
    fn keep_handing_out(
        &mut self,
        what: &str,
        answer: Answer,
        status: u16,
        own: Vec<String>,
    ) -> &Answer {
        assert_eq!(answer.status, status, "{what}: {}", answer.body);
        self.answers.push((what.to_owned(), answer, own));
        &self.answers.last().unwrap().1
    }

    /// Where a secret, or a password hash, shows in `log` or in an answer that does not hand
    /// it out (its headers but `Set-Cookie`, and its body).
    fn leaks(&self, log: &str) -> Vec<String> {
        let mut leaks = Vec::new();
        let mut look = |text: &str, own: &[String], place: &str| {
            for (name, secret) in &self.secrets {
                if !own.contains(secret) && text.contains(secret.as_str()) {
                    leaks.push(format!("{name} in {place}"));
                }
            }
            if text.contains("$argon2id$") {
                leaks.push(format!("a password hash in {place}"));
            }
        };
        look(log, &[], "the log");
        for (what, answer, own) in &self.answers {
            let place = format!("the answer to {what}");
            for (name, value) in &answer.headers {
                if name != "set-cookie" {
                    look(&String::from_utf8_lossy(value.as_bytes()), own, &place);
                }
            }
            look(&answer.body, own, &place);
        }
        leaks
    }
}

/// Registers `name` with a canary password and logs in; the user and the password.
async fn sign_up(
    client: &Client,
    transcript: &mut Transcript,
    name: &str,
    n: u64,
) -> (User, String) {
    let email = format!("{name}@canary.example");
    let password = canary("password", n);
    let answer = client
        .post(
            "/api/auth/register",
            &Credential::None,
            json!({"email": email, "password": password, "display_name": name}),
        )
        .await;
    transcript.keep("register", answer, 202);
    let answer = client.login(&email, &password).await;
    let body = answer.json();
    let user = User {
        email,
        token: body["token"].as_str().unwrap().to_owned(),
        csrf: body["csrf_token"].as_str().unwrap().to_owned(),
        cookie: answer.session_cookie().expect("a session cookie"),
    };
    transcript.keep_handing_out(
        "login",
        answer,
        200,
        vec![user.token.clone(), user.csrf.clone()],
    );
    transcript.secret(format!("{name}'s password"), &password);
    transcript.secret(format!("{name}'s bearer token"), &user.token);
    transcript.secret(format!("{name}'s session cookie"), &user.cookie);
    transcript.secret(format!("{name}'s CSRF token"), &user.csrf);
    (user, password)
}

/// Every notes route, by bearer token and by session cookie (with Fetch Metadata, and with the
/// CSRF token); the id of the note left.
async fn use_every_route(client: &Client, transcript: &mut Transcript, user: &User) -> i64 {
    let (token, cookie) = (user.bearer(), user.cookie());
    transcript.keep("me by token", client.get("/api/me", &token).await, 200);
    transcript.keep("me by cookie", client.get("/api/me", &cookie).await, 200);
    let note = json!({"title": "groceries", "body": "<p>milk</p>"});
    let answer = client.post("/api/notes", &token, note.clone()).await;
    let id = transcript.keep("create by token", answer, 201).json()["id"]
        .as_i64()
        .unwrap();
    let session = format!("__Host-session={}", user.cookie);
    let answer = client
        .send(
            reqwest::Method::POST,
            "/api/notes",
            &Credential::None,
            &[("cookie", &session), ("x-csrf-token", &user.csrf)],
            Some(note),
        )
        .await;
    let second = transcript
        .keep("create by cookie and CSRF token", answer, 201)
        .json()["id"]
        .as_i64()
        .unwrap();
    transcript.keep(
        "list by cookie",
        client.get("/api/notes", &cookie).await,
        200,
    );
    let answer = client.get("/api/notes/search?q=milk", &token).await;
    transcript.keep("search", answer, 200);
    let answer = client.get(&format!("/notes/{id}"), &token).await;
    transcript.keep("page", answer, 200);
    let changed = json!({"title": "groceries", "body": "<p>eggs</p>"});
    let answer = client
        .put(&format!("/api/notes/{id}"), &cookie, changed)
        .await;
    transcript.keep("update by cookie", answer, 200);
    let answer = client.delete(&format!("/api/notes/{second}"), &token).await;
    transcript.keep("delete", answer, 204);
    id
}

#[tokio::test]
async fn no_secret_reaches_the_log_or_another_answer() {
    let data = TempDir::new();
    let service = Service::start(data.path(), &[]);
    let client = Client::new(&service);
    let mut transcript = Transcript::default();

    let (ada, ada_password) = sign_up(&client, &mut transcript, "ada", 0).await;
    let (bob, bob_password) = sign_up(&client, &mut transcript, "bob", 1).await;
    let (cyd, _) = sign_up(&client, &mut transcript, "cyd", 2).await;
    // The admin's password is printed on standard output on purpose, never in the log.
    let admin_password = service.admin_password();
    let admin = client
        .logged_in("admin@notes.localhost", &admin_password)
        .await;
    transcript.secret("the admin's password", &admin_password);
    transcript.secret("the admin's bearer token", &admin.token);
    transcript.secret("the admin's session cookie", &admin.cookie);
    transcript.secret("the admin's CSRF token", &admin.csrf);

    let ada_note = use_every_route(&client, &mut transcript, &ada).await;
    for user in [&bob, &cyd] {
        use_every_route(&client, &mut transcript, user).await;
    }

    // Refusals, each carrying a secret that neither the answer nor the log may repeat.
    let session = format!("__Host-session={}", ada.cookie);
    let answer = client
        .send(
            reqwest::Method::POST,
            "/api/notes",
            &Credential::None,
            &[("cookie", &session), ("x-csrf-token", &bob.csrf)],
            Some(json!({"title": "forged", "body": ""})),
        )
        .await;
    transcript.keep("another session's CSRF token", answer, 403);
    let answer = client.login(&ada.email, &bob_password).await;
    transcript.keep("bob's password for ada", answer, 401);
    let answer = client.login("nobody@canary.example", &ada_password).await;
    transcript.keep("an unknown account", answer, 401);
    let taken = canary("taken", 9);
    transcript.secret("a password for a taken email", &taken);
    let answer = client
        .post(
            "/api/auth/register",
            &Credential::None,
            json!({"email": ada.email, "password": taken, "display_name": "again"}),
        )
        .await;
    transcript.keep("a taken email", answer, 202);
    let short = format!("short{:06x}", RandomState::new().hash_one(10) & 0xff_ffff);
    transcript.secret("a password too short", &short);
    let answer = client
        .post(
            "/api/auth/register",
            &Credential::None,
            json!({"email": "short@canary.example", "password": short, "display_name": "short"}),
        )
        .await;
    transcript.keep("a password too short", answer, 422);
    let tampered = Credential::Bearer(format!("{}x", ada.token));
    let answer = client.get("/api/me", &tampered).await;
    transcript.keep("a tampered token", answer, 401);
    let answer = client
        .get(&format!("/api/notes/{ada_note}"), &bob.bearer())
        .await;
    transcript.keep("ada's note for bob", answer, 404);
    let answer = client.get("/api/admin/users", &ada.bearer()).await;
    transcript.keep("a user at the admin list", answer, 403);
    let answer = client
        .post("/api/auth/logout", &ada.cookie(), json!({}))
        .await;
    transcript.keep("logout", answer, 204);
    let answer = client.get("/api/me", &ada.cookie()).await;
    transcript.keep("an ended session", answer, 401);
    // The one answer that lists accounts, each with a password hash in the database.
    let answer = client.get("/api/admin/users", &admin.bearer()).await;
    let listed = transcript.keep("the admin list", answer, 200);
    assert_eq!(listed.json().as_array().unwrap().len(), 4);

    let stderr = service.stderr.clone();
    service.stop();
    // The reader thread reaches the end of the closed pipe shortly after.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = stderr.text();
    // The log is read at all: every login attempt is audited in it.
    assert!(log.matches("login attempt").count() >= 6, "{log}");
    // The stored hashes themselves, in case one leaked without its `$argon2id$` prefix: their
    // last field, the digest.
    let database = rusqlite::Connection::open(data.path().join("notes.db")).unwrap();
    let mut statement = database
        .prepare("SELECT email, password_hash FROM users")
        .unwrap();
    let hashes: Vec<(String, String)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(hashes.len(), 4);
    for (email, hash) in hashes {
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        let digest = hash.rsplit('$').next().unwrap();
        transcript.secret(format!("the password hash of {email}"), digest);
    }

    let leaks = transcript.leaks(&log);
    assert!(leaks.is_empty(), "{leaks:#?}");
}
