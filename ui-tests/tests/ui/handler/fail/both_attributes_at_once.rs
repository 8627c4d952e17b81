#[palisade::public(reason = "anyone may ask")]
#[palisade::public(reason = "twice")]
async fn open() -> &'static str {
    "anyone"
}

fn main() {}
