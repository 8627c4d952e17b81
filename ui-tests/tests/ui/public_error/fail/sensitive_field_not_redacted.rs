use palisade::PublicError;

#[derive(Debug, PublicError)]
enum NoteError {
    #[problem(status = 401, message = "wrong password")]
    WrongPassword { password: String },
}

fn main() {}
