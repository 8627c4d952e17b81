use palisade::PublicError;

#[derive(Debug, PublicError)]
enum StoreError {
    #[problem(status = 500, level = "debug")]
    Read(#[from] std::io::Error),
}

fn main() {}
