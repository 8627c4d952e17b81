use palisade::{validate::Invalid, Sanitized};

fn anything<T>(_: &T) -> Result<(), Invalid> {
    Ok(())
}

/// A type parameter may be anything: the impl exists where it is bounded.
#[derive(Sanitized)]
struct Labelled<T> {
    #[validate(custom(function = anything))]
    value: T,
}

fn validated<T: Sanitized>() {}

fn main() {
    validated::<Labelled<u32>>();
    validated::<Labelled<String>>();
}
