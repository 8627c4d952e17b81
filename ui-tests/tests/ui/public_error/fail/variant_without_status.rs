use palisade::PublicError;

#[derive(Debug, PublicError)]
enum NoteError {
    #[problem(status = 404, message = "there is no such note")]
    NotFound,
    Conflict,
}

fn main() {}
