use palisade::PublicError;

#[derive(Debug, PublicError)]
enum NoteError {
    #[problem(message = "there is no such note")]
    NotFound,
}

fn main() {}
