//! Compile-time checks of `workflow!`: each case under tests/ui/workflow/
//! must fail to compile with the reviewed message beside it, and each case
//! under tests/ui/workflow/pass/ must compile.

#[test]
fn workflow_ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/workflow/*.rs");
    cases.pass("tests/ui/workflow/pass/*.rs");
}
