fn main() {
    let _ = palisade::csp!("default-src 'self'; style-src 'self' 'unsafe-inline'");
}
