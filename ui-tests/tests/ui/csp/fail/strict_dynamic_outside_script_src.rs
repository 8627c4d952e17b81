//! Browsers ignore `'strict-dynamic'` in `object-src` and `base-uri`: it excuses no host there.

fn main() {
    let _ = palisade::csp!("script-src 'self'; base-uri 'strict-dynamic' https:");
}
