fn main() {
    let _ = palisade::csp!("default-src 'self'; default-src https:");
}
