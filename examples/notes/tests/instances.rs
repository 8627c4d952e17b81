//! Two palisade-notes processes behind one imaginary load balancer: one `SQLite` database, one
//! Redis for sessions and the login throttle. Either may answer any request.

mod common;

use common::{Client, PASSWORD, Service, TempDir};
use palisade_testkit::redis_server::RedisServer;
use reqwest::Method;

#[tokio::test]
async fn two_instances_on_one_redis_behave_as_one() {
    let Some(redis) = RedisServer::start("two_instances_on_one_redis_behave_as_one") else {
        return;
    };
    let data = TempDir::new();
    let url = redis.url();
    let first = Service::start(data.path(), &["--redis", &url]);
    let second = Service::start(data.path(), &["--redis", &url]);
    // One admin, made by the first start only.
    assert!(first.stdout.text().contains("admin account:"));
    assert!(!second.stdout.text().contains("admin account:"));
    let (one, two) = (Client::new(&first), Client::new(&second));

    // A session and a note made on one are there on the other.
    let ada = one.user("ada@example.com").await;
    let note = one.note(&ada, "Shared", "<p>one database</p>").await;
    let answer = two.get(&format!("/api/notes/{note}"), &ada.cookie()).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(two.get("/api/me", &ada.bearer()).await.status, 200);

    // A logout on the other ends it on both.
    let answer = two
        .send(Method::POST, "/api/auth/logout", &ada.cookie(), &[], None)
        .await;
    assert_eq!(answer.status, 204, "{}", answer.body);
    assert_eq!(one.get("/api/me", &ada.cookie()).await.status, 401);

    // The login throttle counts across both: three failures on each spend the five free ones.
    for client in [&one, &two, &one, &two, &one, &two] {
        let answer = client
            .login("ada@example.com", "not the password at all")
            .await;
        assert_eq!(answer.status, 401);
    }
    for client in [&one, &two] {
        let answer = client.login("ada@example.com", PASSWORD).await;
        assert_eq!(answer.status, 429, "{}", answer.body);
        assert!(answer.headers.get("retry-after").is_some());
    }
}
