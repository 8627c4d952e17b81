use palisade::csrf_exempt;

#[csrf_exempt(reason = "a webhook")]
async fn hook() -> &'static str {
    "hooked"
}

fn main() {}
