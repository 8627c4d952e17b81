use palisade::PublicError;

#[derive(Debug, PublicError)]
enum NoteError {
    #[problem(status = 500, message = "the database at 10.0.0.5 is down")]
    Database,
}

fn main() {}
