//! Compiler output of palisade's macros, pinned: every compile-time rule fails with its
//! message on the offending token, and the safe forms compile.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/*/pass/*.rs");
    cases.compile_fail("tests/ui/*/fail/*.rs");
}
