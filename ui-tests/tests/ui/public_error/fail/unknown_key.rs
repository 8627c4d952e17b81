use palisade::PublicError;

#[derive(Debug, PublicError)]
enum NoteError {
    #[problem(status = 404, message = "there is no such note", hint = "try another")]
    NotFound,
}

fn main() {}
