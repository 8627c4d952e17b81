use palisade::session::{MemoryStore, SameSite, SessionSettings};

fn main() {
    // `SameSite=None` would send the session cookie on cross-site requests.
    let _ = SessionSettings::builder()
        .store(MemoryStore::new())
        .same_site(SameSite::None)
        .build();
}
