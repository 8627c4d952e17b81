use palisade::PublicError;

#[derive(Debug, PublicError)]
enum NoteError {
    #[problem(status = 400, message = "cannot read: {0}")]
    Unreadable(#[source] std::io::Error),
}

fn main() {}
