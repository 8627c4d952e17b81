use palisade::PublicError;

#[derive(Debug, PublicError)]
enum NoteError {
    #[problem(status = 200, message = "fine")]
    Fine,
}

fn main() {}
