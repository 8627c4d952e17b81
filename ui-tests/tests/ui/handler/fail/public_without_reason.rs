#[palisade::public]
async fn open() -> &'static str {
    "anyone"
}

fn main() {}
