use palisade::Sanitized;

#[derive(Sanitized)]
union Bits {
    int: u32,
    float: f32,
}

fn main() {}
