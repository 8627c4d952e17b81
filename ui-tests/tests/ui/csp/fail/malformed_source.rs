fn main() {
    let _ = palisade::csp!("default-src 'self'; img-src https://cdn..example.com");
}
