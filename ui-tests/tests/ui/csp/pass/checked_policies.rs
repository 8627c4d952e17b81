use palisade::csp;
use palisade::csp::Csp;

static POLICY: Csp = csp!("default-src 'self'; img-src 'self' data: https://*.cdn.example.com:443/img/; frame-ancestors 'none'; upgrade-insecure-requests");

fn main() {
    assert!(!POLICY.has_nonce());
    let nonce = csp!("script-src 'self' 'nonce' 'strict-dynamic'; object-src 'none'; base-uri 'none'");
    assert!(nonce.has_nonce());
    let hashed = csp!("script-src 'sha256-RFWPLDbv2BY+rCkDzsE+0fr8ylGr2R2faWMhq4lfEQc='; sandbox allow-scripts allow-forms");
    assert!(hashed.as_str().starts_with("script-src 'sha256-"));
    // The unsafe keywords, by name only.
    let legacy = csp!(unsafe_inline, unsafe_eval, "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-eval'");
    assert!(legacy.as_str().contains("'unsafe-inline'"));
    // Normalized: lowercase names, single spaces; the base URL palisade's default.
    assert_eq!(csp!("  DEFAULT-SRC   'self' ;; ").as_str(), "default-src 'self'; base-uri 'self'");
    // A policy for images alone does not open scripts: palisade's defaults close them.
    let images = csp!("img-src 'self' data:; frame-ancestors 'none'");
    assert_eq!(
        images.as_str(),
        "img-src 'self' data:; frame-ancestors 'none'; script-src 'self'; object-src 'none'; base-uri 'self'"
    );
}
