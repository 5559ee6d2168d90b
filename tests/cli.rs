//! The `sfini` command-line tool, run as a user runs it.

mod support;

use std::fs;
use std::path::PathBuf;

use support::cli::{scratch, sfini, stdout};

#[test]
fn valid_files_exit_zero() {
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/asl");
    let files: Vec<String> = [
        "adding",
        "looping",
        "parallel",
        "error_handling",
        "file_processing",
        "adding_jsonata",
        "looping_jsonata",
        "parallel_jsonata",
        "error_handling_jsonata",
        "file_processing_jsonata",
    ]
    .iter()
    .map(|name| {
        examples
            .join(format!("{name}.asl.json"))
            .to_string_lossy()
            .into_owned()
    })
    .collect();
    let args: Vec<&str> = std::iter::once("validate")
        .chain(files.iter().map(String::as_str))
        .collect();
    let output = sfini(&args);
    assert!(output.status.success(), "{}", stdout(&output));
    assert_eq!(stdout(&output).lines().count(), 10);
    assert!(
        stdout(&output)
            .lines()
            .all(|line| line.ends_with(": valid"))
    );
}

#[test]
fn every_error_is_printed_with_its_file_and_location() {
    let broken = scratch(
        "cli",
        "broken.asl.json",
        r#"{
          "StartAt": "increment",
          "States": {
            "increment": {"Type": "Pass", "Next": "check"},
            "check": {
              "Type": "Choice",
              "Choices": [{"Variable": "$.counter", "NumericLessThan": 10, "Next": "incremnt"}],
              "Default": "done"
            },
            "done": {"Type": "Succeed", "OutputPath": "$.counter["}
          }
        }"#,
    );
    let fine = scratch(
        "cli",
        "fine.asl.json",
        r#"{"StartAt": "a", "States": {"a": {"Type": "Succeed"}}}"#,
    );
    let output = sfini(&["validate", &fine, &broken]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(lines[0], format!("{fine}: valid"));
    assert_eq!(
        lines[1],
        format!(
            "{broken}:7:76: error[unknown-state] States.check.Choices[0].Next: no state named `incremnt`; did you mean `increment`?"
        )
    );
    assert!(
        lines[2].starts_with(&format!(
            "{broken}:10:41: error[invalid-path] States.done.OutputPath: "
        )),
        "{}",
        lines[2]
    );
}

#[test]
fn warnings_pass_unless_denied() {
    let file = scratch(
        "cli",
        "warning.asl.json",
        r#"{"StartAt": "c", "States": {
            "c": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "d"}]},
            "d": {"Type": "Succeed"}
        }}"#,
    );
    let output = sfini(&["validate", &file]);
    assert!(output.status.success());
    assert!(
        stdout(&output)
            .contains("warning.asl.json:2:13: warning[choice-without-default] States.c:"),
        "{}",
        stdout(&output)
    );
    let denied = sfini(&["validate", "--deny-warnings", &file]);
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn yaml_definitions_are_read_by_extension() {
    let valid = scratch(
        "cli",
        "machine.asl.yaml",
        "StartAt: wait\nStates:\n  wait:\n    Type: Wait\n    Seconds: 5\n    Next: done\n  done:\n    Type: Succeed\n",
    );
    let output = sfini(&["validate", &valid]);
    assert!(output.status.success(), "{}", stdout(&output));
    let invalid = scratch(
        "cli",
        "broken.yml",
        "StartAt: wait\nStates:\n  wait:\n    Type: Wiat\n    End: true\n",
    );
    let output = sfini(&["validate", &invalid]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("States.wait.Type: `Wiat` is not a state type"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn unreadable_and_malformed_files_are_errors() {
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("no-such-file.json");
    let missing = missing.to_string_lossy();
    let output = sfini(&["validate", &missing]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("error[syntax] (top level): cannot read the file"),
        "{}",
        stdout(&output)
    );
    let malformed = scratch("cli", "malformed.json", "{\"StartAt\": ");
    let output = sfini(&["validate", &malformed]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("not valid JSON"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn usage_errors_exit_two() {
    let output = sfini(&["validate"]);
    assert_eq!(output.status.code(), Some(2));
    let output = sfini(&["valdate", "x.json"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn every_problem_of_a_file_is_a_diagnostic_and_the_next_file_is_checked() {
    let fine = scratch(
        "cli",
        "fine-too.asl.json",
        r#"{"StartAt": "a", "States": {"a": {"Type": "Succeed"}}}"#,
    );
    let too_large_text = format!(
        r#"{{"Comment": "{}", "StartAt": "a", "States": {{"a": {{"Type": "Succeed"}}}}}}"#,
        "x".repeat(1_048_576)
    );
    let too_large = scratch("cli", "too-large.asl.json", &too_large_text);
    let latin1 = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join("latin1.asl.yaml");
    fs::write(&latin1, b"Comment: caf\xe9\n").unwrap();
    let latin1 = latin1.to_string_lossy().into_owned();
    let deep = scratch(
        "cli",
        "deep.asl.yaml",
        &format!("StartAt: a\nStates: {}", "[".repeat(500_000)),
    );
    let output = sfini(&["validate", &too_large, &latin1, &deep, &fine]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        format!(
            "{too_large}: error[syntax] (top level): the definition is too large: it has more \
             than 1048576 characters, the most Step Functions takes (the file is {} bytes \
             long)\n\
             {latin1}: error[syntax] (top level): the definition is not UTF-8 text: the byte at \
             offset 12 of the file is not valid UTF-8\n\
             {deep}: error[syntax] (top level): not valid YAML: collections nest more than 128 \
             deep (a `[` or `{{` at line 2 column 137 opens level 129); at most 128 levels can \
             be read\n\
             {fine}: valid\n",
            too_large_text.len()
        )
    );
}

#[test]
fn yaml_aliases_cannot_blow_a_definition_up() {
    let mut text = String::from(
        "StartAt: a\nStates: {a: {Type: Succeed}}\nComment: &l0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for level in 1..8 {
        let previous = format!("*l{}", level - 1);
        text.push_str(&format!(
            "X{level}: &l{level} [{}]\n",
            [previous.as_str(); 10].join(", ")
        ));
    }
    let file = scratch("cli", "aliases.asl.yaml", &text);
    let output = sfini(&["validate", &file]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.starts_with(&format!(
            "{file}: error[syntax] (top level): not valid YAML: "
        )),
        "{text}"
    );
}

#[test]
fn validate_json_prints_each_file_in_the_shape_of_aws_validation() {
    let valid = scratch(
        "cli",
        "json-valid.json",
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#,
    );
    let broken = scratch(
        "cli",
        "json-broken.json",
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Next": "Nowhere"}}}"#,
    );
    let warned = scratch(
        "cli",
        "json-warned.json",
        r#"{"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "D"}]},
            "D": {"Type": "Succeed"}}}"#,
    );
    let not_json = scratch("cli", "json-not-json.json", "not a definition");
    let output = sfini(&["validate", "--json", &valid, &broken, &warned, &not_json]);
    assert!(!output.status.success());
    let printed: serde_json::Value =
        serde_json::from_str(&stdout(&output)).expect("one JSON document");
    let files = printed.as_array().expect("an array, one object per file");
    assert_eq!(files.len(), 4);
    assert_eq!(
        files[0],
        serde_json::json!({"file": valid, "result": "OK", "diagnostics": [], "truncated": false})
    );
    assert_eq!(files[1]["file"], broken.as_str());
    assert_eq!(files[1]["result"], "FAIL");
    let diagnostics = files[1]["diagnostics"].as_array().expect("diagnostics");
    assert!(
        diagnostics
            .iter()
            .any(|diagnostic| diagnostic["location"] == "/States/P/Next"
                && diagnostic["severity"] == "ERROR"
                && diagnostic["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("Nowhere"))
                && diagnostic["code"].is_string()),
        "{diagnostics:?}"
    );
    assert_eq!(files[2]["result"], "OK");
    assert_eq!(files[2]["diagnostics"][0]["severity"], "WARNING");
    assert_eq!(files[2]["diagnostics"][0]["location"], "/States/C");
    assert_eq!(files[3]["result"], "FAIL");
    assert_eq!(
        files[3]["diagnostics"][0]["code"],
        "INVALID_JSON_DESCRIPTION"
    );
    // Only the valid file: exit status 0.
    let output = sfini(&["validate", "--json", &valid]);
    assert!(output.status.success(), "{}", stdout(&output));
    // Warnings fail with --deny-warnings, the JSON the same.
    let output = sfini(&["validate", "--json", "--deny-warnings", &warned]);
    assert!(!output.status.success());
}
