use axum::extract::FromRequest;
use axum::Json;
use palisade::Valid;
use serde::Deserialize;

#[derive(Deserialize)]
struct NewNote {
    title: String,
}

fn extractor<E: FromRequest<()>>() {}

fn main() {
    extractor::<Valid<Json<NewNote>>>();
}
