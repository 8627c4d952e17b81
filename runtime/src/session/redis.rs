//! The Redis store: sessions and throttles shared by every instance that uses the same Redis,
//! so that a load balancer may send each request anywhere.

use std::fmt;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::store::{Slot, Store, StoreError, StoreFuture};

/// Adds one to a counter and gives a new counter its expiry, in one step on the server.
const INCREMENT: &str = "local n = redis.call('INCR', KEYS[1]) \
    if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end \
    return n";

/// Takes one from a counter that exists and is above zero.
const DECREMENT: &str = "local n = tonumber(redis.call('GET', KEYS[1])) \
    if n and n > 0 then redis.call('DECR', KEYS[1]) end \
    return 0";

/// Claims a time slot: sets it where it is missing or past, else answers the time it holds.
const CLAIM: &str = "local held = tonumber(redis.call('GET', KEYS[1])) \
    if held and held > tonumber(ARGV[1]) then return held end \
    redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) \
    return -1";

/// Appends to a list, renews its expiry, keeps the newest items, answers the dropped ones.
const APPEND_CAPPED: &str = "redis.call('RPUSH', KEYS[1], ARGV[1]) \
    redis.call('PEXPIRE', KEYS[1], ARGV[3]) \
    local over = redis.call('LLEN', KEYS[1]) - tonumber(ARGV[2]) \
    if over <= 0 then return {} end \
    local dropped = redis.call('LRANGE', KEYS[1], 0, over - 1) \
    redis.call('LTRIM', KEYS[1], over, -1) \
    return dropped";

/// How long a connection or an answer may take.
pub const TIMEOUT: Duration = Duration::from_secs(2);

/// A [`Store`] in Redis, through one multiplexed connection that reconnects by itself.
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore").finish_non_exhaustive()
    }
}

impl RedisStore {
    /// Connects to the Redis at `url` (`redis://127.0.0.1:6379/`; `rediss://…` for TLS is
    /// not built in). Connecting and each command time out after [`TIMEOUT`].
    ///
    /// # Errors
    ///
    /// An address that does not parse, or a Redis that does not answer.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let client = redis::Client::open(url)
            .map_err(|_| StoreError::new("a Redis address that does not parse"))?;
        // A Redis that stops answering fails requests in seconds (503) instead of holding them.
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(TIMEOUT))
            .set_response_timeout(Some(TIMEOUT))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500));
        let connection = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|_| StoreError::new("Redis does not answer"))?;
        Ok(Self { connection })
    }
}

fn failed(_: redis::RedisError) -> StoreError {
    StoreError::new("Redis refused or did not answer")
}

fn millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}

impl RedisStore {
    /// Runs `command` on the shared connection.
    fn run<T: redis::FromRedisValue + Send + 'static>(
        &self,
        command: redis::Cmd,
    ) -> StoreFuture<'static, T> {
        let mut connection = self.connection.clone();
        Box::pin(async move {
            command
                .query_async::<T>(&mut connection)
                .await
                .map_err(failed)
        })
    }

    /// Runs the Lua `script` on `key` with `arguments`.
    fn script<T: redis::FromRedisValue + Send + 'static>(
        &self,
        script: &str,
        key: &str,
        arguments: &[u64],
    ) -> StoreFuture<'static, T> {
        let mut command = redis::cmd("EVAL");
        command.arg(script).arg(1).arg(key);
        for argument in arguments {
            command.arg(*argument);
        }
        self.run(command)
    }
}

impl Store for RedisStore {
    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Vec<u8>>> {
        let mut command = redis::cmd("GET");
        command.arg(key);
        self.run(command)
    }

    fn set<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> StoreFuture<'a, ()> {
        let mut command = redis::cmd("SET");
        command.arg(key).arg(value).arg("PX").arg(millis(ttl));
        self.run(command)
    }

    fn delete<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        let mut command = redis::cmd("DEL");
        command.arg(key);
        self.run(command)
    }

    fn increment<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, u64> {
        self.script(INCREMENT, key, &[millis(ttl)])
    }

    fn decrement<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        self.script(DECREMENT, key, &[])
    }

    fn replace<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> StoreFuture<'a, bool> {
        // `XX`: only where the key exists; the answer is `OK` or nil.
        let mut command = redis::cmd("SET");
        command
            .arg(key)
            .arg(value)
            .arg("PX")
            .arg(millis(ttl))
            .arg("XX");
        let answer = self.run::<Option<String>>(command);
        Box::pin(async move { answer.await.map(|answer| answer.is_some()) })
    }

    fn claim<'a>(&'a self, key: &'a str, slot: Slot) -> StoreFuture<'a, Option<u64>> {
        let held = self.script::<i64>(CLAIM, key, &[slot.now, slot.until, millis(slot.ttl)]);
        Box::pin(async move { held.await.map(|held| u64::try_from(held).ok()) })
    }

    fn append_capped<'a>(
        &'a self,
        key: &'a str,
        item: Vec<u8>,
        cap: usize,
        ttl: Duration,
    ) -> StoreFuture<'a, Vec<Vec<u8>>> {
        let mut command = redis::cmd("EVAL");
        command
            .arg(APPEND_CAPPED)
            .arg(1)
            .arg(key)
            .arg(item)
            .arg(cap)
            .arg(millis(ttl));
        self.run(command)
    }
}
