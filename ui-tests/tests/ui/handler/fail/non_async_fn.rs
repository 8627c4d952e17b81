#[palisade::public(reason = "anyone may ask")]
fn open() -> &'static str {
    "anyone"
}

fn main() {}
