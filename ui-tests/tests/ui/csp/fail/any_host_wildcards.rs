//! Host sources that match any host let a script load from anywhere, whatever their spelling.

fn main() {
    let _ = palisade::csp!("script-src 'self' https://*");
    let _ = palisade::csp!("default-src 'self' *.com");
    let _ = palisade::csp!("script-src 'self'; object-src *:*");
}
