//! A policy made by hand, past `csp!`'s check, is what the compiler warns about.

#![deny(deprecated)]

fn main() {
    let _ = palisade::__private::Csp::__checked("script-src *", false);
}
