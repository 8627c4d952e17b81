//! A real `redis-server` for the tests that need one: started on a free loopback port from
//! the binary on `PATH`, stopped when dropped. Without the binary the tests say loudly that
//! they were skipped, unless `PALISADE_REQUIRE_REDIS=1` (set by `.ci/run`) makes that a
//! failure.

use std::io::Write as _;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `redis-server`, killed on drop.
#[derive(Debug)]
pub struct RedisServer {
    child: Child,
    port: u16,
}

impl RedisServer {
    /// A new server, or `None` when `redis-server` is not installed and not required; `test`
    /// names the test in the skip message.
    ///
    /// # Panics
    ///
    /// When the binary is required and missing, or does not start.
    pub fn start(test: &str) -> Option<Self> {
        let required = std::env::var("PALISADE_REQUIRE_REDIS").is_ok_and(|value| value == "1");
        for _ in 0..5 {
            // A free port: bound, read, released; the server takes it a moment later.
            let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
                .and_then(|listener| listener.local_addr())
                .expect("a free loopback port")
                .port();
            let spawned = Command::new("redis-server")
                .args([
                    "--port",
                    &port.to_string(),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--protected-mode",
                    "yes",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
            let child = match spawned {
                Ok(child) => child,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                    assert!(
                        !required,
                        "PALISADE_REQUIRE_REDIS=1 and `redis-server` is not on PATH (apt-get install redis-server)"
                    );
                    // Straight to the terminal: the test harness captures `eprintln!`.
                    let _ = writeln!(
                        std::io::stderr(),
                        "\n*** SKIPPED {test}: `redis-server` is not on PATH. Install it (apt-get install redis-server) or set PALISADE_REQUIRE_REDIS=1 to make this a failure. ***\n"
                    );
                    return None;
                }
                Err(error) => panic!("redis-server did not start: {error}"),
            };
            let mut server = RedisServer { child, port };
            if server.wait_until_ready() {
                return Some(server);
            }
            // The port was taken in between: try another.
            let _ = server.child.kill();
        }
        panic!("redis-server did not start on any of five ports");
    }

    /// Whether the server answers within five seconds, and is still running.
    fn wait_until_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return false;
            }
            if TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_ok() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// The server's URL.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
