use palisade::Sanitized;

#[derive(Sanitized)]
struct Ledger {
    // Equal as `f64`; integers are compared exactly.
    #[validate(range(min = 9007199254740993, max = 9007199254740992))]
    entry: u64,
    #[validate(length(max = 2.5))]
    memo: String,
}

fn main() {}
