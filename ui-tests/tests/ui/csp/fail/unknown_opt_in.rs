fn main() {
    let _ = palisade::csp!(unsafe_everything, "default-src 'self'");
}
