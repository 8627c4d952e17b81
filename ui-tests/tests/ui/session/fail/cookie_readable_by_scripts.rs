use palisade::session::{MemoryStore, SessionSettings};

fn main() {
    // There is no way to drop `HttpOnly` or to widen the cookie to other hosts.
    let _ = SessionSettings::builder()
        .store(MemoryStore::new())
        .http_only(false)
        .domain("example.com")
        .build();
}
