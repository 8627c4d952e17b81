fn main() {
    let _ = palisade::csp!("default-src 'self'; script-src 'self' 'unsafe-eval'");
}
