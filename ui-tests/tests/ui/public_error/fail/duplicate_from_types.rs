use palisade::PublicError;

#[derive(Debug, PublicError)]
enum StoreError {
    #[problem(status = 500)]
    Read(#[from] std::io::Error),
    #[problem(status = 503)]
    Write(#[from] std::io::Error),
}

fn main() {}
