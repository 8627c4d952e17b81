//! A load check, not a benchmark: a bounded number of requests from concurrent clients, each
//! its own user walking the notes journey, with every answer checked. Under load the service
//! must not fail a single request, and no note may be lost, duplicated or shown to another
//! user. `cargo test --test load -- --nocapture` shows the line it prints.

mod common;

use std::collections::BTreeSet;
use std::io::Write as _;
use std::time::Instant;

use common::{Answer, Client, PASSWORD, Service, TempDir, User};
use serde_json::json;

/// Concurrent clients, each with its own account.
const CLIENTS: usize = 8;
/// Rounds of the journey per client, 7 requests each: about 300 requests per client, and at
/// most one more note per round, so that a list (a page of 100) holds all of them.
const ROUNDS: usize = 42;

/// What one client did.
#[derive(Default)]
struct Tally {
    requests: usize,
    errors: Vec<String>,
}

impl Tally {
    /// Counts `answer`; an error unless it has `status`.
    fn expect(&mut self, what: &str, answer: &Answer, status: u16) -> bool {
        self.requests += 1;
        if answer.status == status {
            return true;
        }
        self.errors
            .push(format!("{what}: {} {}", answer.status, answer.body));
        false
    }

    /// Counts `answer` of a list or a search; an error unless it holds exactly `expected`.
    fn expect_notes(&mut self, what: &str, answer: &Answer, expected: &BTreeSet<i64>) {
        if !self.expect(what, answer, 200) {
            return;
        }
        let ids: Vec<i64> = answer
            .json()
            .as_array()
            .map(|notes| {
                notes
                    .iter()
                    .filter_map(|note| note["id"].as_i64())
                    .collect()
            })
            .unwrap_or_default();
        let unique: BTreeSet<i64> = ids.iter().copied().collect();
        if unique.len() != ids.len() || unique != *expected {
            self.errors
                .push(format!("{what}: {ids:?}, expected {expected:?}"));
        }
    }
}

/// One client's journey; its user and the notes it expects to have left.
async fn journey(client: Client, n: usize) -> (Option<User>, BTreeSet<i64>, Tally) {
    let mut tally = Tally::default();
    let mut notes = BTreeSet::new();
    let email = format!("load{n}@example.com");
    let registered = client.register(&email).await;
    let login = client.login(&email, PASSWORD).await;
    let registered = tally.expect("register", &registered, 202);
    if !tally.expect("login", &login, 200) || !registered {
        return (None, notes, tally);
    }
    let token = login.json()["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let user = User {
        email,
        token,
        cookie: login.session_cookie().unwrap_or_default(),
        csrf: login.json()["csrf_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    };
    let me = user.bearer();
    let id_of = |answer: &Answer| answer.json()["id"].as_i64();

    for round in 0..ROUNDS {
        // A word no other note of this user holds: `w3r7z` is not in `w3r17z`, nor the reverse.
        let word = format!("w{n}r{round}z");
        let mut created = Vec::new();
        for which in ["kept", "deleted"] {
            let answer = client
                .post(
                    "/api/notes",
                    &me,
                    json!({"title": format!("{which} {round}"), "body": "<p>some <b>text</b></p>"}),
                )
                .await;
            if tally.expect("create", &answer, 201)
                && let Some(id) = id_of(&answer)
            {
                notes.insert(id);
                created.push(id);
            }
        }
        let [kept, deleted] = created[..] else {
            continue;
        };
        let answer = client.get(&format!("/api/notes/{kept}"), &me).await;
        if tally.expect("get", &answer, 200) && answer.json()["title"] != format!("kept {round}") {
            tally.errors.push(format!("get {kept}: {}", answer.body));
        }
        let answer = client
            .put(
                &format!("/api/notes/{kept}"),
                &me,
                json!({"title": format!("kept {round} {word}"), "body": "<p>changed</p>"}),
            )
            .await;
        if tally.expect("update", &answer, 200) && id_of(&answer) != Some(kept) {
            tally.errors.push(format!("update {kept}: {}", answer.body));
        }
        let answer = client.get("/api/notes", &me).await;
        tally.expect_notes("list", &answer, &notes);
        let answer = client
            .get(&format!("/api/notes/search?q={word}"), &me)
            .await;
        tally.expect_notes("search", &answer, &BTreeSet::from([kept]));
        let answer = client.delete(&format!("/api/notes/{deleted}"), &me).await;
        if tally.expect("delete", &answer, 204) {
            notes.remove(&deleted);
        }
    }
    (Some(user), notes, tally)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_journeys_lose_no_request_and_no_note() {
    let data = TempDir::new();
    let service = Service::start(data.path(), &[]);
    let client = Client::new(&service);

    let started = Instant::now();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|n| tokio::spawn(journey(client.clone(), n)))
        .collect();
    let mut journeys = Vec::new();
    for task in tasks {
        journeys.push(task.await.expect("a client's task"));
    }
    let elapsed = started.elapsed();
    let requests: usize = journeys.iter().map(|(_, _, tally)| tally.requests).sum();
    let errors: Vec<&String> = journeys
        .iter()
        .flat_map(|(_, _, tally)| &tally.errors)
        .collect();
    // Straight to the terminal, past the test harness's capture: CI's log shows it.
    let _ = writeln!(
        std::io::stderr(),
        "load check: {requests} requests, {} errors, {:.1} s",
        errors.len(),
        elapsed.as_secs_f64()
    );
    assert!(
        errors.is_empty(),
        "{} errors: {:#?}",
        errors.len(),
        &errors[..errors.len().min(20)]
    );
    assert!(
        requests >= CLIENTS * (2 + ROUNDS * 7),
        "{requests} requests"
    );

    // Afterwards, each user has exactly the notes its client kept: none lost, none twice,
    // none of another user's.
    let mut all = BTreeSet::new();
    for (user, notes, _) in &journeys {
        let user = user.as_ref().expect("every client logged in");
        let answer = client.get("/api/notes", &user.bearer()).await;
        let mut tally = Tally::default();
        tally.expect_notes(&user.email, &answer, notes);
        assert!(tally.errors.is_empty(), "{:?}", tally.errors);
        assert_eq!(notes.len(), ROUNDS, "{}", user.email);
        assert!(all.is_disjoint(notes), "two users share a note");
        all.extend(notes);
    }
}
