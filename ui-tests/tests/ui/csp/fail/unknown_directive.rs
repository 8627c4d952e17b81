fn main() {
    let _ = palisade::csp!("default-src 'self'; scripts-src 'self'");
}
