fn main() {
    let _ = palisade::csp!("script-src 'nonce-abc123'");
}
