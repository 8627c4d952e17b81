//! The Redis store: sessions and throttles shared by every instance that uses the same Redis,
//! so that a load balancer may send each request anywhere.

use std::fmt;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::store::{Store, StoreError, StoreFuture};

/// Adds one to a counter and gives a new counter its expiry, in one step on the server.
const INCREMENT: &str = "local n = redis.call('INCR', KEYS[1]) \
    if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end \
    return n";

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

impl Store for RedisStore {
    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Vec<u8>>> {
        let mut connection = self.connection.clone();
        Box::pin(async move {
            redis::cmd("GET")
                .arg(key)
                .query_async::<Option<Vec<u8>>>(&mut connection)
                .await
                .map_err(failed)
        })
    }

    fn set<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> StoreFuture<'a, ()> {
        let mut connection = self.connection.clone();
        Box::pin(async move {
            redis::cmd("SET")
                .arg(key)
                .arg(value)
                .arg("PX")
                .arg(millis(ttl))
                .query_async::<()>(&mut connection)
                .await
                .map_err(failed)
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        let mut connection = self.connection.clone();
        Box::pin(async move {
            redis::cmd("DEL")
                .arg(key)
                .query_async::<()>(&mut connection)
                .await
                .map_err(failed)
        })
    }

    fn increment<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, u64> {
        let mut connection = self.connection.clone();
        Box::pin(async move {
            redis::cmd("EVAL")
                .arg(INCREMENT)
                .arg(1)
                .arg(key)
                .arg(millis(ttl))
                .query_async::<u64>(&mut connection)
                .await
                .map_err(failed)
        })
    }
}
