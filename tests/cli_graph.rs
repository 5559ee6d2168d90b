//! `sfini graph`, run as a user runs it.

mod support;

use std::fs;
use std::path::PathBuf;

use support::cli::{example, scratch, sfini, stdout};

#[test]
fn mermaid_is_the_default() {
    let output = sfini(&["graph", &example("looping")]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.starts_with("flowchart TD\n"), "{text}");
    assert!(text.contains(r#"-->|"$.counter #lt; 10"|"#), "{text}");
    assert!(text.contains(r#"-->|"Default"|"#), "{text}");
}

#[test]
fn each_format_is_written() {
    let dot = sfini(&["graph", &example("parallel"), "--format", "dot"]);
    assert_eq!(dot.status.code(), Some(0));
    let text = stdout(&dot);
    assert!(text.starts_with("digraph"), "{text}");
    assert!(text.contains("subgraph cluster_"), "{text}");

    let svg = sfini(&["graph", &example("parallel"), "--format", "svg"]);
    assert_eq!(svg.status.code(), Some(0));
    let text = stdout(&svg);
    assert!(
        text.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{text}"
    );
    assert!(text.contains(r#"<g class="group" data-state="printAndLog">"#));
}

#[test]
fn output_goes_to_a_file_and_yaml_is_read() {
    let yaml = scratch(
        "cli_graph",
        "machine.yaml",
        "StartAt: hello\nStates:\n  hello:\n    Type: Pass\n    End: true\n",
    );
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_graph/machine.svg");
    let _ = fs::remove_file(&target);
    let output = sfini(&[
        "graph",
        &yaml,
        "--format",
        "svg",
        "--output",
        &target.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(output.stdout.is_empty());
    let svg = fs::read_to_string(&target).unwrap();
    assert!(svg.contains(r#"<g class="state state-pass" data-state="hello">"#));
}

#[test]
fn an_invalid_definition_prints_its_problems_and_exits_two() {
    let file = scratch(
        "cli_graph",
        "invalid.json",
        r#"{"StartAt": "a", "States": {"a": {"Type": "Pass", "Next": "missing"}}}"#,
    );
    let output = sfini(&["graph", &file]);
    assert_eq!(output.status.code(), Some(2));
    let text = stdout(&output);
    assert!(text.contains("invalid.json:1:"), "{text}");
    assert!(text.contains("missing"), "{text}");
    // As `sfini validate` prints them.
    let validate = sfini(&["validate", &file]);
    assert_eq!(stdout(&validate), text);

    let output = sfini(&["graph", &scratch("cli_graph", "broken.json", "{")]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    let output = sfini(&["graph", &example("adding"), "--format", "png"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("mermaid"));
}
