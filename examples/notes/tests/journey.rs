//! palisade-notes end to end: the real binary on loopback, driven over HTTP through the whole
//! user journey, with owner-only notes, the admin route, CSRF, restarts, refused configurations,
//! the security report and the README's walk-through.

mod common;

use common::{Client, Credential, PASSWORD, Service, TempDir};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn the_whole_user_journey_by_token_and_by_cookie() {
    let data = TempDir::new();
    let service = Service::start(data.path(), &[]);
    let client = Client::new(&service);
    assert_eq!(client.get("/healthz", &Credential::None).await.status, 200);

    let ada = client.user("ada@example.com").await;
    for credential in [ada.bearer(), ada.cookie()] {
        let me = client.get("/api/me", &credential).await;
        assert_eq!(me.status, 200, "{}", me.body);
        let profile = me.json();
        assert_eq!(profile["email"], "ada@example.com");
        // No secret in a profile.
        assert!(profile.get("password_hash").is_none() && !me.body.contains("argon2"));
    }

    // Create by token and by cookie.
    let first = client
        .note(&ada, "Groceries", "<p>milk <b>and</b> eggs</p>")
        .await;
    let answer = client
        .post(
            "/api/notes",
            &ada.cookie(),
            json!({"title": "Ideas", "body": "<p>a <em>palisade</em></p>"}),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let second = answer.json()["id"].as_i64().unwrap();

    // List, newest first; search; read one.
    let list = client.get("/api/notes", &ada.bearer()).await.json();
    let ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|note| note["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![second, first]);
    let found = client
        .get("/api/notes/search?q=milk", &ada.cookie())
        .await
        .json();
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["id"], first);
    let note = client
        .get(&format!("/api/notes/{first}"), &ada.bearer())
        .await
        .json();
    assert_eq!(note["body"], "<p>milk <b>and</b> eggs</p>");

    // Update and delete.
    let answer = client
        .put(
            &format!("/api/notes/{first}"),
            &ada.cookie(),
            json!({"title": "Groceries", "body": "<p>bread</p>"}),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["body"], "<p>bread</p>");
    let answer = client
        .delete(&format!("/api/notes/{second}"), &ada.bearer())
        .await;
    assert_eq!(answer.status, 204);
    assert_eq!(
        client
            .get(&format!("/api/notes/{second}"), &ada.bearer())
            .await
            .status,
        404
    );

    // The HTML page: escaped title, sanitized body, a nonce'd script under a nonce CSP.
    let page = client.get(&format!("/notes/{first}"), &ada.bearer()).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap();
    assert!(page.body.contains(&format!("<script nonce=\"{nonce}\">")));
    assert!(page.body.contains("<article><p>bread</p></article>"));

    // Logout ends the login: the cookie session on the server, and the bearer token issued
    // with it, at once.
    let answer = client
        .send(Method::POST, "/api/auth/logout", &ada.cookie(), &[], None)
        .await;
    assert_eq!(answer.status, 204, "{}", answer.body);
    assert!(answer.headers.get("clear-site-data").is_some());
    assert_eq!(client.get("/api/me", &ada.cookie()).await.status, 401);
    assert_eq!(client.get("/api/me", &ada.bearer()).await.status, 401);
    // The other way round: a logout with the token ends the cookie session of the same login,
    // and leaves another login of the same user alone.
    let again = client.logged_in("ada@example.com", PASSWORD).await;
    let elsewhere = client.logged_in("ada@example.com", PASSWORD).await;
    let answer = client
        .send(Method::POST, "/api/auth/logout", &again.bearer(), &[], None)
        .await;
    assert_eq!(answer.status, 204, "{}", answer.body);
    assert_eq!(client.get("/api/me", &again.bearer()).await.status, 401);
    assert_eq!(client.get("/api/me", &again.cookie()).await.status, 401);
    assert_eq!(client.get("/api/me", &elsewhere.bearer()).await.status, 200);
    assert_eq!(client.get("/api/me", &elsewhere.cookie()).await.status, 200);
}

#[tokio::test]
async fn another_users_note_answers_404_on_every_route() {
    let data = TempDir::new();
    let service = Service::start(data.path(), &[]);
    let client = Client::new(&service);
    let ada = client.user("ada@example.com").await;
    let eve = client.user("eve@example.com").await;
    let note = client.note(&ada, "Ada's", "<p>private</p>").await;
    let missing = note + 1000;
    for id in [note, missing] {
        for credential in [eve.bearer(), eve.cookie()] {
            let body = json!({"title": "mine now", "body": ""});
            let answers = [
                client.get(&format!("/api/notes/{id}"), &credential).await,
                client
                    .put(&format!("/api/notes/{id}"), &credential, body)
                    .await,
                client
                    .delete(&format!("/api/notes/{id}"), &credential)
                    .await,
                client.get(&format!("/notes/{id}"), &credential).await,
            ];
            for answer in answers {
                assert_eq!(answer.status, 404, "{}", answer.body);
                assert!(!answer.body.contains("private"));
            }
        }
    }
    // Eve's list and search do not show it; Ada's note is untouched.
    let list = client.get("/api/notes", &eve.bearer()).await.json();
    assert_eq!(list.as_array().unwrap().len(), 0);
    let found = client
        .get("/api/notes/search?q=private", &eve.bearer())
        .await
        .json();
    assert_eq!(found.as_array().unwrap().len(), 0);
    let kept = client
        .get(&format!("/api/notes/{note}"), &ada.bearer())
        .await
        .json();
    assert_eq!(kept["title"], "Ada's");
    // The refusals are in the audit log, with the resource.
    let log = service.log();
    assert!(
        log.lines().any(|line| line.contains("palisade::audit")
            && line.contains("outcome=\"denied\"")
            && line.contains(&format!("NoteId {{ id: {note} }}"))),
        "{log}"
    );
}

#[tokio::test]
async fn the_admin_route_is_for_admins_only() {
    let data = TempDir::new();
    let service = Service::start(data.path(), &[]);
    let client = Client::new(&service);
    let user = client.user("user@example.com").await;
    let answer = client.get("/api/admin/users", &user.bearer()).await;
    assert_eq!(answer.status, 403);
    assert_eq!(answer.json()["code"], "forbidden");
    assert_eq!(
        client
            .get("/api/admin/users", &Credential::None)
            .await
            .status,
        401
    );
    let admin = client
        .logged_in("admin@notes.localhost", &service.admin_password())
        .await;
    let answer = client.get("/api/admin/users", &admin.bearer()).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let emails: Vec<String> = answer
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["email"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(emails, ["admin@notes.localhost", "user@example.com"]);
    assert!(!answer.body.contains("argon2"));
}

#[tokio::test]
async fn a_token_of_another_type_under_the_same_key_is_refused() {
    let data = TempDir::new();
    let service = Service::start(data.path(), &[]);
    let client = Client::new(&service);
    let admin = client
        .logged_in("admin@notes.localhost", &service.admin_password())
        .await;
    let me = client.get("/api/me", &admin.bearer()).await;
    assert_eq!(me.status, 200, "{}", me.body);
    // What another part of the same service might sign with the same key, issuer and
    // audience (a password-reset link, say): the admin's own claims, of another type.
    let claims = json!({
        "sub": me.json()["id"].to_string(),
        "role": "admin",
        "iss": "palisade-notes",
        "aud": "palisade-notes-api",
        "exp": palisade::jwt::now() + 300,
    });
    let minted = |typ: Option<&str>| {
        let builder = palisade::jwt::JwtSettings::builder()
            .hmac(
                palisade::jwt::Algorithm::HS256,
                "notes-1",
                common::JWT_KEY.as_bytes(),
            )
            .issuer("palisade-notes")
            .audience("palisade-notes-api");
        let builder = match typ {
            Some(typ) => builder.token_type(typ),
            None => builder,
        };
        builder.build().unwrap().issue(&claims).unwrap()
    };
    let reset = client
        .get(
            "/api/admin/users",
            &Credential::Bearer(minted(Some("reset+jwt"))),
        )
        .await;
    assert_eq!(reset.status, 401, "{}", reset.body);
    let untyped = client
        .get("/api/admin/users", &Credential::Bearer(minted(None)))
        .await;
    assert_eq!(untyped.status, 401, "{}", untyped.body);
    // The same claims as an access token pass: only the type was wrong.
    let access = client
        .get(
            "/api/admin/users",
            &Credential::Bearer(minted(Some("at+jwt"))),
        )
        .await;
    assert_eq!(access.status, 200, "{}", access.body);
}

#[tokio::test]
async fn one_mailbox_is_one_account_whatever_the_spelling() {
    let data = TempDir::new();
    let service = Service::start(data.path(), &[]);
    let client = Client::new(&service);
    let first = client.register("ada@example.com").await;
    assert_eq!(first.status, 202, "{}", first.body);
    // The same mailbox in other spellings of its domain is the account that exists: the answer
    // is the same as for a new address, and the owner hears of it by mail.
    for spelling in [
        "ada@ｅｘａｍｐｌｅ.com",
        "ada@example。com",
        "Ada@EXAMPLE．com",
    ] {
        let answer = client.register(spelling).await;
        assert_eq!(
            (answer.status, &answer.body),
            (202, &first.body),
            "{spelling}"
        );
    }
    // Look-alikes with invisible characters are no address at all.
    for spelling in ["ada@exam\u{00AD}ple.com", "ad\u{200B}a@example.com"] {
        let answer = client.register(spelling).await;
        assert_eq!(answer.status, 422, "{spelling:?}: {}", answer.body);
    }
    // The admin's address cannot be taken again in another spelling either.
    let answer = client.register("admin@ｎｏｔｅｓ。localhost").await;
    assert_eq!((answer.status, &answer.body), (202, &first.body));
    // One account each: ada's and the admin's.
    let mail = common::outbox(data.path());
    let to = |address: &str| {
        mail.iter()
            .filter(|message| message.contains(&format!("To: {address}")))
            .count()
    };
    assert_eq!(to("ada@example.com"), 4, "a welcome and three notices");
    assert_eq!(to("admin@notes.localhost"), 1, "a notice");
    let notices = mail
        .iter()
        .filter(|message| message.contains("Someone tried to open an account"))
        .count();
    assert_eq!(notices, 4);
    // Any spelling logs in to the one account.
    let ada = client.logged_in("ada@ｅｘａｍｐｌｅ.com", PASSWORD).await;
    let me = client.get("/api/me", &ada.bearer()).await;
    assert_eq!(me.json()["email"], "ada@example.com");
}

#[tokio::test]
async fn a_login_from_another_site_is_refused() {
    // Login CSRF: another site's page posts the attacker's credentials, so that the victim's
    // browser comes back logged into the attacker's account.
    let data = TempDir::new();
    let service = Service::start(data.path(), &[]);
    let client = Client::new(&service);
    client.user("mallory@example.com").await;
    let body = json!({"email": "mallory@example.com", "password": PASSWORD});
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let answer = client
            .send(
                Method::POST,
                "/api/auth/login",
                &Credential::None,
                &[(name, value)],
                Some(body.clone()),
            )
            .await;
        assert_eq!(answer.status, 403, "{name}: {}", answer.body);
        assert!(answer.session_cookie().is_none());
    }
    let answer = client
        .send(
            Method::POST,
            "/api/auth/login",
            &Credential::None,
            &[("sec-fetch-site", "same-origin")],
            Some(body),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[tokio::test]
async fn cookie_authenticated_writes_need_this_site() {
    let data = TempDir::new();
    let service = Service::start(data.path(), &[]);
    let client = Client::new(&service);
    let ada = client.user("ada@example.com").await;
    let cookie = format!("__Host-session={}", ada.cookie);
    let body = json!({"title": "forged", "body": ""});
    let write = |headers: Vec<(&'static str, String)>| {
        let client = client.clone();
        let cookie = cookie.clone();
        let body = body.clone();
        async move {
            let mut all: Vec<(&str, &str)> = vec![("cookie", cookie.as_str())];
            all.extend(headers.iter().map(|(name, value)| (*name, value.as_str())));
            client
                .send(
                    Method::POST,
                    "/api/notes",
                    &Credential::None,
                    &all,
                    Some(body),
                )
                .await
                .status
        }
    };
    assert_eq!(
        write(vec![("sec-fetch-site", "cross-site".into())]).await,
        403
    );
    assert_eq!(
        write(vec![("origin", "https://evil.example".into())]).await,
        403
    );
    assert_eq!(write(vec![]).await, 403);
    assert_eq!(write(vec![("x-csrf-token", ada.csrf.clone())]).await, 201);
    assert_eq!(
        write(vec![("sec-fetch-site", "same-origin".into())]).await,
        201
    );
    // Bearer tokens are not subject to it.
    let answer = client
        .send(
            Method::POST,
            "/api/notes",
            &ada.bearer(),
            &[("sec-fetch-site", "cross-site")],
            Some(json!({"title": "by token", "body": ""})),
        )
        .await;
    assert_eq!(answer.status, 201);
}

#[tokio::test]
async fn a_restart_keeps_the_data() {
    let data = TempDir::new();
    let service = Service::start(data.path(), &[]);
    let client = Client::new(&service);
    let ada = client.user("ada@example.com").await;
    let note = client.note(&ada, "Kept", "<p>across restarts</p>").await;
    let admin_password = service.admin_password();
    service.stop();

    let service = Service::start(data.path(), &[]);
    // No second admin, no second password.
    assert!(!service.stdout.text().contains("admin account:"));
    let client = Client::new(&service);
    // The same signing key: the token still works; sessions were in memory and are gone.
    let answer = client
        .get(&format!("/api/notes/{note}"), &ada.bearer())
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["title"], "Kept");
    assert_eq!(client.get("/api/me", &ada.cookie()).await.status, 401);
    let again = client.logged_in("ada@example.com", PASSWORD).await;
    assert_eq!(client.get("/api/notes", &again.bearer()).await.status, 200);
    client
        .logged_in("admin@notes.localhost", &admin_password)
        .await;
}

#[test]
fn an_insecure_configuration_is_refused_at_startup() {
    let data = TempDir::new();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_palisade-notes"))
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data.path())
        .env("PALISADE_NOTES_JWT_KEY", "too-short")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("refusing to start") && stderr.contains("9 bytes"),
        "{stderr}"
    );
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_palisade-notes"))
        .args(["--listen", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--listen takes an address"));
}

#[test]
fn help_and_the_security_report() {
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_palisade-notes"))
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(run(&["--help"]).contains("--jwt-key-file"));
    let markdown = run(&["--security-report", "markdown"]);
    assert!(
        markdown.contains(
            "| GET | `/api/admin/users` | `admin_users` | authenticated | role = Role::Admin |"
        ),
        "{markdown}"
    );
    assert!(markdown.contains(
        "| GET | `/healthz` | `healthz` | public | load balancers and monitors probe it |"
    ));
    let json: serde_json::Value =
        serde_json::from_str(&run(&["--security-report", "json"])).unwrap();
    let routes = json.as_array().unwrap();
    assert_eq!(routes.len(), 14);
    // The login form is CSRF-checked though public (login CSRF).
    assert!(routes.iter().any(|route| route["path"] == "/api/auth/login"
        && route["access"] == "public"
        && route["csrf_checked"] == true));
    assert!(
        routes.iter().any(
            |route| route["path"] == "/api/auth/password" && route["access"] == "authenticated"
        )
    );
    assert!(routes.iter().any(|route| route["path"] == "/api/notes/{id}"
        && route["method"] == "DELETE"
        && route["policy"] == "owns_note(state, note), deny 404"));
}

#[tokio::test]
async fn the_readme_walk_through_runs() {
    let readme = std::fs::read_to_string("../../README.md").unwrap();
    let script = readme
        .split("<!-- walk-through -->")
        .nth(1)
        .and_then(|rest| rest.split("```sh\n").nth(1))
        .and_then(|rest| rest.split("```").next())
        .expect("the README's walk-through block")
        .to_owned();
    assert!(
        script.starts_with("BASE=http://127.0.0.1:8080\n"),
        "{script}"
    );
    let data = TempDir::new();
    let service = Service::start(data.path(), &[]);
    let script = script.replacen(
        "BASE=http://127.0.0.1:8080",
        &format!("set -e\nBASE={}", service.base),
        1,
    );
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("sh")
            .args(["-c", &script])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("\"title\":\"Groceries\""), "{stdout}");
    assert!(stdout.contains("<p>milk <b>and</b> eggs</p>"), "{stdout}");
    assert!(!stdout.contains("<script>"), "{stdout}");
    assert!(stdout.contains("HTTP/1.1 401"), "{stdout}");
}

#[tokio::test]
async fn json_logs_are_one_object_a_line_with_audit_events_on_their_target() {
    let data = TempDir::new();
    let service = Service::start(data.path(), &["--json-logs"]);
    let client = Client::new(&service);
    let ada = client.user("ada@example.com").await;
    assert_eq!(client.get("/api/me", &ada.bearer()).await.status, 200);
    assert_eq!(client.get("/api/me", &Credential::None).await.status, 401);
    // The events are written as they happen; give the reader thread a moment.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let events: Vec<serde_json::Value> = loop {
        let events: Vec<serde_json::Value> = service
            .log()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
            .collect();
        let audits = events
            .iter()
            .filter(|event| event["target"] == "palisade::audit")
            .count();
        if audits >= 3 || std::time::Instant::now() > deadline {
            break events;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let audit: Vec<&serde_json::Value> = events
        .iter()
        .filter(|event| event["target"] == "palisade::audit")
        .collect();
    assert!(
        audit
            .iter()
            .any(|event| event["message"] == "login attempt" && event["outcome"] == "allowed")
    );
    assert!(audit.iter().any(|event| event["handler"] == "me"
        && event["outcome"] == "allowed"
        && event["credential"] == "bearer"));
    assert!(audit.iter().any(|event| event["handler"] == "me"
        && event["outcome"] == "unauthenticated"
        && event["reason"] == "missing_credentials"));
    let log = service.log();
    assert!(!log.contains(&ada.token) && !log.contains(&ada.cookie) && !log.contains(PASSWORD));
}

#[tokio::test]
async fn registrations_are_throttled_per_address() {
    let data = TempDir::new();
    // The test client stands for a load balancer, so that it can speak for two addresses.
    let service = Service::start(data.path(), &["--trusted-proxy", "127.0.0.1"]);
    let client = Client::new(&service);
    let register = |address: &'static str, n: usize| {
        let client = client.clone();
        async move {
            client
                .send(
                    Method::POST,
                    "/api/auth/register",
                    &Credential::None,
                    &[("x-forwarded-for", address)],
                    Some(json!({
                        "email": format!("user{n}@example.com"),
                        "password": PASSWORD,
                        "display_name": "User"
                    })),
                )
                .await
                .status
        }
    };
    // Twelve at once from one address: ten are taken, the rest wait, whatever the order.
    let tasks: Vec<_> = (0..12)
        .map(|n| tokio::spawn(register("203.0.113.7", n)))
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [[202; 10].as_slice(), &[429, 429]].concat());
    // Another address is not held up.
    assert_eq!(register("198.51.100.8", 99).await, 202);
}

#[tokio::test]
async fn a_password_change_ends_every_login_and_starts_a_new_one() {
    let data = TempDir::new();
    let service = Service::start(data.path(), &[]);
    let client = Client::new(&service);
    let phone = client.user("ada@example.com").await;
    let laptop = client.logged_in("ada@example.com", PASSWORD).await;
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let new_password = "a brand new passphrase of mine";
    // The current password is required, and checked as a login is.
    let wrong = client
        .post(
            "/api/auth/password",
            &laptop.bearer(),
            change("not the current one at all", new_password),
        )
        .await;
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    // A new password under the policy.
    let weak = client
        .post(
            "/api/auth/password",
            &laptop.bearer(),
            change(PASSWORD, "short"),
        )
        .await;
    assert_eq!(weak.status, 422, "{}", weak.body);
    let changed = client
        .post(
            "/api/auth/password",
            &laptop.bearer(),
            change(PASSWORD, new_password),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    // Every credential of before is over, on both devices.
    for credential in [
        phone.bearer(),
        phone.cookie(),
        laptop.bearer(),
        laptop.cookie(),
    ] {
        assert_eq!(client.get("/api/me", &credential).await.status, 401);
    }
    // The answer is a new login for this device; the old password no longer logs in.
    let token = changed.json()["token"].as_str().unwrap().to_owned();
    let fresh = Credential::Bearer(token);
    assert_eq!(client.get("/api/me", &fresh).await.status, 200);
    assert!(changed.session_cookie().is_some());
    assert_eq!(client.login("ada@example.com", PASSWORD).await.status, 401);
    client.logged_in("ada@example.com", new_password).await;
}
