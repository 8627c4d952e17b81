//! `Debug` of a ten-field struct with four redacted fields: palisade's `#[derive(Redact)]`
//! against the same struct with std `#[derive(Debug)]` (nothing masked) and veil's
//! `#[derive(Redact)]`. Each masks its four fields fully, in its own default way: palisade
//! writes `[REDACTED]`, veil writes one `*` per character. See `benches/README.md`.

use std::fmt::{self, Write as _};
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

/// The same data for every contender.
struct Data {
    id: u64,
    name: &'static str,
    email: &'static str,
    password: &'static str,
    card_number: &'static str,
    api_key: &'static str,
    session_id: &'static str,
    country: &'static str,
    age: u8,
    verified: bool,
}

const DATA: Data = Data {
    id: 1_234_567,
    name: "Ada Lovelace",
    email: "ada@example.com",
    password: "correct horse battery staple",
    card_number: "4111 1111 1111 1111",
    api_key: "sk_live_51HqLyjWDarjtT1zdp7dc",
    session_id: "0f9c2c7e-7a43-4b8e-9b1d-5b0c6e1a2f3d",
    country: "GB",
    age: 36,
    verified: true,
};

macro_rules! customer {
    ($module:ident, [$($derive:path),*], $redact:meta) => {
        mod $module {
            #[derive($($derive),*)]
            #[allow(dead_code)] // read by `Debug` only
            pub(super) struct Customer {
                id: u64,
                name: String,
                email: String,
                #[$redact]
                password: String,
                #[$redact]
                card_number: String,
                #[$redact]
                api_key: String,
                #[$redact]
                session_id: String,
                country: String,
                age: u8,
                verified: bool,
            }

            pub(super) fn new(data: &super::Data) -> Customer {
                Customer {
                    id: data.id,
                    name: data.name.into(),
                    email: data.email.into(),
                    password: data.password.into(),
                    card_number: data.card_number.into(),
                    api_key: data.api_key.into(),
                    session_id: data.session_id.into(),
                    country: data.country.into(),
                    age: data.age,
                    verified: data.verified,
                }
            }
        }
    };
}

customer!(with_palisade, [palisade::Redact], redact);
customer!(with_veil, [veil::Redact], redact);
// std has no masking: the attribute is a plain doc comment, so every field shows.
customer!(with_std, [Debug], doc = "shown");

/// Formats through `dyn Debug`, so that each contender's `Debug::fmt` is one call that the
/// optimizer cannot inline into the loop (callgrind counts it by name, see `instructions.py`).
#[inline(never)]
fn render(value: &dyn fmt::Debug, out: &mut String) {
    out.clear();
    write!(out, "{value:?}").unwrap();
}

fn debug(c: &mut Criterion) {
    let palisade = with_palisade::new(&DATA);
    let veil = with_veil::new(&DATA);
    let std = with_std::new(&DATA);
    let mut out = String::with_capacity(1024);
    // Before measuring: the masks are where they should be.
    write!(out, "{palisade:?}").unwrap();
    assert!(
        !out.contains(DATA.password) && out.matches("[REDACTED]").count() == 4,
        "{out}"
    );
    out.clear();
    write!(out, "{veil:?}").unwrap();
    assert!(!out.contains(DATA.password), "{out}");
    out.clear();
    write!(out, "{std:?}").unwrap();
    assert!(out.contains(DATA.password));

    let mut group = c.benchmark_group("debug");
    group.bench_function("std_derive", |b| {
        b.iter(|| render(black_box(&std), &mut out));
    });
    group.bench_function("palisade_redact", |b| {
        b.iter(|| render(black_box(&palisade), &mut out));
    });
    group.bench_function("veil_redact", |b| {
        b.iter(|| render(black_box(&veil), &mut out));
    });
    group.finish();
}

criterion_group!(benches, debug);
criterion_main!(benches);
