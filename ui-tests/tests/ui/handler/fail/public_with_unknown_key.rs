#[palisade::public(because = "it is fine")]
async fn open() -> &'static str {
    "anyone"
}

fn main() {}
