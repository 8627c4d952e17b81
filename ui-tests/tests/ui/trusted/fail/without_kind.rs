#[palisade::trusted(reason = "a byte")]
#[derive(serde::Deserialize)]
struct Level(u8);

fn main() {}
