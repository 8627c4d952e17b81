//! Sessions and login throttles shared through a real Redis: two application instances on one
//! `redis-server` behave as one. Also the store contract, on the in-memory store and on Redis.

mod session_app;
mod support;

use std::sync::Arc;
use std::time::Duration;

use palisade::session::{ManualClock, MemoryStore, RedisStore, Slot, Store};
use palisade_testkit::redis_server::RedisServer;
use session_app::{Client, PASSWORD, serve, state};

/// The contract every store meets.
async fn contract(store: &dyn Store) {
    assert_eq!(store.get("palisade:test:missing").await.unwrap(), None);
    store
        .set("palisade:test:a", b"one".to_vec(), Duration::from_mins(1))
        .await
        .unwrap();
    assert_eq!(
        store.get("palisade:test:a").await.unwrap().as_deref(),
        Some(&b"one"[..])
    );
    store
        .set("palisade:test:a", b"two".to_vec(), Duration::from_mins(1))
        .await
        .unwrap();
    assert_eq!(
        store.get("palisade:test:a").await.unwrap().as_deref(),
        Some(&b"two"[..])
    );
    store.delete("palisade:test:a").await.unwrap();
    assert_eq!(store.get("palisade:test:a").await.unwrap(), None);
    store.delete("palisade:test:a").await.unwrap();
    for expected in 1..=3 {
        assert_eq!(
            store
                .increment("palisade:test:n", Duration::from_mins(1))
                .await
                .unwrap(),
            expected
        );
    }
    atomic_steps(store).await;
    // Expiry, of values and of counters.
    store
        .set(
            "palisade:test:short",
            b"x".to_vec(),
            Duration::from_millis(150),
        )
        .await
        .unwrap();
    store
        .increment("palisade:test:short-n", Duration::from_millis(150))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(store.get("palisade:test:short").await.unwrap(), None);
    assert_eq!(
        store
            .increment("palisade:test:short-n", Duration::from_mins(1))
            .await
            .unwrap(),
        1,
        "an expired counter starts again"
    );
}

/// The steps the throttle and the sessions need to be atomic: a counter given back, a value
/// replaced only where it is, a time slot claimed once.
async fn atomic_steps(store: &dyn Store) {
    let minute = Duration::from_mins(1);
    // A reservation given back; a missing counter stays missing, and none goes below zero.
    store.decrement("palisade:test:n").await.unwrap();
    assert_eq!(
        store.get("palisade:test:n").await.unwrap().as_deref(),
        Some(&b"2"[..])
    );
    store.decrement("palisade:test:none").await.unwrap();
    assert_eq!(store.get("palisade:test:none").await.unwrap(), None);
    for _ in 0..3 {
        store.decrement("palisade:test:n").await.unwrap();
    }
    assert_eq!(
        store
            .increment("palisade:test:n", Duration::from_mins(1))
            .await
            .unwrap(),
        1
    );
    // Replacing only what is there: a deleted value stays deleted.
    assert!(
        !store
            .replace("palisade:test:r", b"x".to_vec(), minute)
            .await
            .unwrap()
    );
    assert_eq!(store.get("palisade:test:r").await.unwrap(), None);
    store
        .set("palisade:test:r", b"1".to_vec(), minute)
        .await
        .unwrap();
    assert!(
        store
            .replace("palisade:test:r", b"2".to_vec(), minute)
            .await
            .unwrap()
    );
    assert_eq!(
        store.get("palisade:test:r").await.unwrap().as_deref(),
        Some(&b"2"[..])
    );
    // A time slot: claimed where free or past, held otherwise.
    let slot = |now, until| Slot {
        now,
        until,
        ttl: minute,
    };
    for (now, until, answer) in [
        (100, 105, None),
        (104, 110, Some(105)),
        (105, 109, None),
        (106, 200, Some(109)),
    ] {
        assert_eq!(
            store
                .claim("palisade:test:slot", slot(now, until))
                .await
                .unwrap(),
            answer,
            "at {now}"
        );
    }
    // A capped list: the newest items stay, the dropped ones answer, oldest first.
    for n in 0u8..5 {
        let dropped = store
            .append_capped("palisade:test:list", vec![n], 3, minute)
            .await
            .unwrap();
        let expected: Vec<Vec<u8>> = if n >= 3 { vec![vec![n - 3]] } else { vec![] };
        assert_eq!(dropped, expected, "append {n}");
    }
    assert_eq!(
        store
            .append_capped("palisade:test:list", vec![9], 1, minute)
            .await
            .unwrap(),
        [vec![2], vec![3], vec![4]]
    );
    // Of many claims at once, one wins.
    let claims = futures_util::future::join_all(
        (0..20).map(|n| store.claim("palisade:test:race", slot(1, 2 + n))),
    )
    .await;
    assert_eq!(
        claims
            .iter()
            .filter(|claim| claim.as_ref().unwrap().is_none())
            .count(),
        1
    );
}

#[tokio::test]
async fn the_memory_store_meets_the_contract() {
    contract(&MemoryStore::new()).await;
}

#[tokio::test]
async fn the_memory_store_is_bounded() {
    let store = MemoryStore::with_capacity(2);
    let ttl = Duration::from_mins(1);
    store.set("a", vec![1], ttl).await.unwrap();
    store.set("b", vec![2], ttl).await.unwrap();
    assert!(store.set("c", vec![3], ttl).await.is_err());
    // Replacing an entry needs no room; expired entries make room.
    store.set("a", vec![4], ttl).await.unwrap();
    store
        .set("b", vec![5], Duration::from_millis(50))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(120)).await;
    store.set("c", vec![6], ttl).await.unwrap();
}

#[tokio::test]
async fn the_redis_store_meets_the_contract() {
    let Some(server) = RedisServer::start("the_redis_store_meets_the_contract") else {
        return;
    };
    let store = RedisStore::connect(&server.url()).await.unwrap();
    contract(&store).await;
    // An address that does not answer is an error, not a hang or a panic.
    let closed = RedisStore::connect("redis://127.0.0.1:1/").await;
    assert!(closed.is_err());
    assert!(RedisStore::connect("not a url").await.is_err());
}

#[tokio::test]
async fn two_instances_on_one_redis_behave_as_one() {
    let Some(server) = RedisServer::start("two_instances_on_one_redis_behave_as_one") else {
        return;
    };
    support::global_logs();
    let clock = ManualClock::new();
    // Two instances, each with its own connection, as two processes would have.
    let mut clients = Vec::new();
    for _ in 0..2 {
        let store: Arc<dyn Store> = Arc::new(RedisStore::connect(&server.url()).await.unwrap());
        clients.push(Client::new(serve(state(store, &clock)).await));
    }
    let (one, two) = (&clients[0], &clients[1]);

    // A session created on one is valid on the other.
    let id = one.session().await;
    assert_eq!(two.me(&id).await, (200, "ada".to_owned()));

    // A logout on one is seen by the other.
    let answer = two.post("/logout", Some(&id), "same-origin").await;
    assert_eq!(answer.status, 204, "{}", answer.body);
    assert_eq!(one.me(&id).await.0, 401);

    // The throttle counts across both: three failures on each spend the five free ones.
    for client in [one, two, one, two, one, two] {
        let answer = client
            .login("bob@example.com", "not the password at all", None)
            .await;
        assert_eq!(answer.status, 401);
    }
    for client in [one, two] {
        let answer = client.login("bob@example.com", PASSWORD, None).await;
        assert_eq!(answer.status, 429, "{}", answer.body);
        assert_eq!(answer.headers["retry-after"], "1");
    }
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        two.login("bob@example.com", PASSWORD, None).await.status,
        200
    );
}
