//! Criterion benchmarks of palisade against `validator`, `garde` and hand-written code; the
//! benchmarks are in `benches/signup.rs`, the method and the results in `README.md`.
