use palisade::session::SessionSettings;

fn main() {
    // No store, no `build`: sessions must live somewhere that every instance shares.
    let _ = SessionSettings::builder().idle_timeout(std::time::Duration::from_secs(600)).build();
}
