use axum::Json;
use palisade::Valid;

fn main() {
    let _forged: Valid<Json<String>> = Valid(Json(String::from("unchecked")));
}
