#[palisade::trusted(bounded)]
#[derive(serde::Deserialize)]
struct Level(u8);

fn main() {}
