#[palisade::trusted(response, reason = "it is fine")]
fn answer() -> String {
    String::new()
}

fn main() {}
