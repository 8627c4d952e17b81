#[palisade::trusted(sanitized, reason = "checked elsewhere")]
#[derive(serde::Deserialize)]
struct Comment(String);

fn main() {}
