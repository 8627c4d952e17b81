#[palisade::trusted(bounded, reason = "  ")]
#[derive(serde::Deserialize)]
struct Level(u8);

fn main() {}
