use palisade::public;

#[public(reason = "anyone may read")]
async fn read() -> Result<String, std::io::Error> {
    std::fs::read_to_string("notes.txt")
}

fn main() {}
