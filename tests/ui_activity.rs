//! Compile-time behaviour of `#[activity]` and `#[derive(ActivityError)]`:
//! what it rejects, with which message at which token, and what it accepts.

#[test]
fn activity_ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/activity/*.rs");
    cases.pass("tests/ui/activity/pass/*.rs");
}
