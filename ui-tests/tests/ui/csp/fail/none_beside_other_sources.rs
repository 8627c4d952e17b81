fn main() {
    let _ = palisade::csp!("object-src 'none' 'self'");
}
