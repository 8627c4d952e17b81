//! The login throttle under concurrency and against lockout, on the in-memory store and on a
//! real `redis-server`: concurrent guesses are counted before the password check, and guesses
//! from one address, or from many, cannot keep the owner out.

mod support;

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::future::join_all;
use palisade::session::{
    AccountKey, FREE_ACCOUNT_FAILURES, FREE_PAIR_FAILURES, LoginRefused, LoginThrottle,
    ManualClock, MemoryStore, RedisStore, Store,
};
use palisade_testkit::redis_server::RedisServer;

const OWNER: &str = "admin@notes.example";
const RIGHT: &str = "the owner's own passphrase";

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

/// An address of its own for each `n`, in 198.18.0.0/15 (benchmarking addresses).
fn nth_address(n: usize) -> IpAddr {
    let [_, high, middle, low] = u32::try_from(n).unwrap().to_be_bytes();
    IpAddr::from([198, 18 + high, middle, low])
}

/// One attempt with `password`, whose check takes a little while (as Argon2id does), counting
/// how many checks ran.
async fn attempt(
    throttle: &LoginThrottle,
    checks: &AtomicUsize,
    client: IpAddr,
    password: &str,
) -> Result<(), LoginRefused> {
    throttle
        .attempt(OWNER, client, || async {
            checks.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(30)).await;
            Ok::<_, std::io::Error>((password == RIGHT).then_some(()))
        })
        .await
}

/// A throttle on `store`, under keys of `scenario`'s own, so that scenarios sharing a Redis do
/// not meet.
fn throttle(store: Arc<dyn Store>, clock: &ManualClock, scenario: &str) -> LoginThrottle {
    LoginThrottle::new(store, AccountKey::from_bytes(&[9; 32]).unwrap())
        .clock(clock.clone())
        .key_prefix(&format!("{scenario}:"))
}

/// Fifty wrong passwords at once, for one account from one address: as many checks run as
/// fifty sent one after another would run before their first wait, and the rest are 429.
async fn concurrent_guesses_are_counted_before_the_check(store: Arc<dyn Store>) {
    let clock = ManualClock::new();
    let throttle = throttle(store, &clock, "concurrent");
    let checks = AtomicUsize::new(0);
    let attacker = ip("203.0.113.66");
    let answers =
        join_all((0..50).map(|_| attempt(&throttle, &checks, attacker, "a wrong guess"))).await;
    let throttled = answers
        .iter()
        .filter(|answer| matches!(answer, Err(LoginRefused::Throttled(_))))
        .count();
    let wrong = answers
        .iter()
        .filter(|answer| matches!(answer, Err(LoginRefused::WrongCredentials)))
        .count();
    let expected = usize::try_from(FREE_PAIR_FAILURES).unwrap() + 1;
    assert_eq!(checks.load(Ordering::SeqCst), expected);
    assert_eq!((wrong, throttled), (expected, 50 - expected));
    // The refused attempts gave their reservations back: once the wait is over, one more
    // attempt is let through, and the one after it waits again.
    clock.advance(Duration::from_secs(1));
    assert!(matches!(
        attempt(&throttle, &checks, attacker, "a wrong guess").await,
        Err(LoginRefused::WrongCredentials)
    ));
    assert!(matches!(
        attempt(&throttle, &checks, attacker, "a wrong guess").await,
        Err(LoginRefused::Throttled(wait)) if wait == Duration::from_secs(2)
    ));
}

/// An attacker guessing from one address for hours, in bursts, never keeps the owner out of
/// the account from another address.
async fn guesses_from_one_address_do_not_lock_the_owner_out(store: Arc<dyn Store>) {
    let clock = ManualClock::new();
    let throttle = throttle(store, &clock, "one-address");
    let checks = AtomicUsize::new(0);
    let attacker = ip("203.0.113.66");
    let owner = ip("192.0.2.10");
    let mut guesses = 0;
    for _ in 0..300 {
        let burst =
            join_all((0..5).map(|_| attempt(&throttle, &checks, attacker, "a wrong guess"))).await;
        guesses += burst
            .iter()
            .filter(|answer| matches!(answer, Err(LoginRefused::WrongCredentials)))
            .count();
        // The owner, meanwhile, from home.
        assert!(
            attempt(&throttle, &checks, owner, RIGHT).await.is_ok(),
            "the owner was kept out after {guesses} guesses"
        );
        clock.advance(Duration::from_secs(15));
    }
    // Over 75 minutes, the attacker's own delays held it to a few dozen guesses.
    assert!((6..60).contains(&guesses), "{guesses} guesses went through");
}

/// Guesses spread over many addresses meet the account's own ceiling; it delays addresses the
/// owner never logged in from, and not the owner's own.
async fn guesses_from_many_addresses_meet_the_account_ceiling(store: Arc<dyn Store>) {
    let clock = ManualClock::new();
    let throttle = throttle(store, &clock, "many-addresses");
    let checks = AtomicUsize::new(0);
    let home = ip("192.0.2.10");
    assert!(attempt(&throttle, &checks, home, RIGHT).await.is_ok());
    let ceiling = usize::try_from(FREE_ACCOUNT_FAILURES).unwrap();
    // One guess from each of `ceiling` addresses, eight at a time.
    for chunk in (0..ceiling).collect::<Vec<_>>().chunks(8) {
        let answers = join_all(
            chunk
                .iter()
                .map(|&n| attempt(&throttle, &checks, nth_address(n), "a wrong guess")),
        )
        .await;
        assert!(
            answers
                .iter()
                .all(|answer| matches!(answer, Err(LoginRefused::WrongCredentials)))
        );
    }
    // The ceiling is spent: the next new address is let through once, starting the delay...
    assert!(matches!(
        attempt(&throttle, &checks, nth_address(ceiling), "a wrong guess").await,
        Err(LoginRefused::WrongCredentials)
    ));
    // ...which holds every other new address, the owner's new phone included...
    for n in [ceiling + 1, ceiling + 2] {
        assert!(matches!(
            attempt(&throttle, &checks, nth_address(n), RIGHT).await,
            Err(LoginRefused::Throttled(_))
        ));
    }
    // ...but not the owner at home, where the account has logged in before.
    assert!(attempt(&throttle, &checks, home, RIGHT).await.is_ok());
    // The right password cleared the account's count: the phone gets in now.
    assert!(
        attempt(&throttle, &checks, nth_address(ceiling + 1), RIGHT)
            .await
            .is_ok()
    );
}

fn memory() -> Arc<dyn Store> {
    Arc::new(MemoryStore::new())
}

async fn redis(server: &RedisServer) -> Arc<dyn Store> {
    Arc::new(RedisStore::connect(&server.url()).await.unwrap())
}

#[tokio::test]
async fn concurrent_guesses_are_counted_before_the_check_in_memory() {
    concurrent_guesses_are_counted_before_the_check(memory()).await;
}

#[tokio::test]
async fn guesses_from_one_address_do_not_lock_the_owner_out_in_memory() {
    guesses_from_one_address_do_not_lock_the_owner_out(memory()).await;
}

#[tokio::test]
async fn guesses_from_many_addresses_meet_the_account_ceiling_in_memory() {
    guesses_from_many_addresses_meet_the_account_ceiling(memory()).await;
}

#[tokio::test]
async fn the_throttle_holds_on_redis() {
    let Some(server) = RedisServer::start("the_throttle_holds_on_redis") else {
        return;
    };
    // Each scenario on its own connection and under its own keys.
    concurrent_guesses_are_counted_before_the_check(redis(&server).await).await;
    guesses_from_one_address_do_not_lock_the_owner_out(redis(&server).await).await;
    guesses_from_many_addresses_meet_the_account_ceiling(redis(&server).await).await;
}

#[tokio::test]
async fn a_throttled_address_cannot_fill_the_store_with_new_names() {
    // A small store: an entry per refused attempt would fill it within the loop below.
    let clock = ManualClock::new();
    let store: Arc<dyn Store> = Arc::new(MemoryStore::with_capacity(64));
    let throttle = throttle(store, &clock, "fill");
    let attacker = ip("203.0.113.66");
    let guess = |name: String| {
        let throttle = &throttle;
        async move {
            throttle
                .attempt(&name, attacker, || async {
                    Ok::<_, std::io::Error>(None::<()>)
                })
                .await
        }
    };
    for n in 0..21 {
        assert!(matches!(
            guess(format!("user{n}@example.com")).await,
            Err(LoginRefused::WrongCredentials)
        ));
    }
    // Throttled now: each new name is refused as throttled, never as a full store.
    for n in 21..200 {
        let answer = guess(format!("user{n}@example.com")).await;
        assert!(
            matches!(answer, Err(LoginRefused::Throttled(_))),
            "attempt {n}: {answer:?}"
        );
    }
}
