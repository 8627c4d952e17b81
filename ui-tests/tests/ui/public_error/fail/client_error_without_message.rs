use palisade::PublicError;

#[derive(Debug, PublicError)]
enum NoteError {
    #[problem(status = 404)]
    NotFound,
}

fn main() {}
