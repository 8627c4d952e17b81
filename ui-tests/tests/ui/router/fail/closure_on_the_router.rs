// A closure cannot carry an access attribute; the error says to write a named `async fn`.

fn main() {
    let _ = palisade::Router::<()>::new().get("/open", || async { "anyone" });
}
