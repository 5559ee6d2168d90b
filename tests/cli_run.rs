//! `sfini run`, run as a user runs it.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

fn sfini(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sfini"))
        .args(args)
        .output()
        .expect("the sfini binary runs")
}

fn scratch(name: &str, definition: &Value) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_run");
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    fs::write(&path, serde_json::to_string_pretty(definition).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

/// Writes `contents` as they are under the test's scratch directory.
fn scratch_bytes(name: &str, contents: &[u8]) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_run");
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

/// Runs the binary with `input` on its standard input, written from
/// another thread until the binary stops reading.
fn sfini_with_stdin(args: &[&str], input: impl Fn(&mut dyn Write) + Send + 'static) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sfini"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sfini binary runs");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || input(&mut stdin));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    output
}

/// Runs the binary, killing it if it has not ended within `limit` of wall
/// time.
fn sfini_within(limit: Duration, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sfini"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sfini binary runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("`sfini {}` did not end within {limit:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/asl")
        .join(format!("{name}.asl.json"))
        .to_string_lossy()
        .into_owned()
}

/// The single line `--json` prints.
fn report(output: &Output) -> Value {
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn a_succeeding_machine_prints_its_output_and_exits_zero() {
    let file = scratch(
        "pass.asl.json",
        &json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a, $.b)"}, "End": true}}}),
    );
    let output = sfini(&["run", &file, "--input", r#"{"a": 3, "b": 42}"#, "--json"]);
    assert!(output.status.success());
    assert_eq!(
        report(&output),
        json!({"status": "SUCCEEDED", "output": {"sum": 45}, "error": null, "cause": null})
    );
}

#[test]
fn a_failing_machine_exits_one_with_its_error() {
    let file = scratch(
        "fail.asl.json",
        &json!({"StartAt": "f", "States": {"f": {"Type": "Fail", "Error": "Bad", "Cause": "on purpose"}}}),
    );
    let output = sfini(&["run", &file, "--json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        report(&output),
        json!({"status": "FAILED", "output": null, "error": "Bad", "cause": "on purpose"})
    );
}

#[test]
fn history_is_printed_one_event_a_line() {
    let file = scratch(
        "wait.asl.json",
        &json!({"StartAt": "w", "States": {"w": {"Type": "Wait", "Seconds": 3600, "Next": "done"}, "done": {"Type": "Succeed"}}}),
    );
    let output = sfini(&[
        "run",
        &file,
        "--history",
        "--virtual-time",
        "--virtual-start",
        "2000-01-01T00:00:00Z",
    ]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let types: Vec<&str> = lines[..6]
        .iter()
        .map(|line| line.split('\t').nth(1).unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "WaitStateEntered",
            "WaitStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert!(
        lines[1].starts_with("2\tWaitStateEntered\t0\t{\"name\":\"w\""),
        "{}",
        lines[1]
    );
    assert_eq!(lines[6], "status: SUCCEEDED");
    assert_eq!(lines[7], "output: {}");

    let output = sfini(&[
        "run",
        &file,
        "--history",
        "--virtual-time",
        "--virtual-start",
        "2000-01-01T00:00:00Z",
        "--json",
    ]);
    let report = report(&output);
    let history = report["history"].as_array().unwrap();
    assert_eq!(history.len(), 6);
    assert_eq!(history[2]["type"], json!("WaitStateExited"));
    assert_eq!(history[2]["timestamp"], json!("2000-01-01T01:00:00Z"));
    assert_eq!(history[2]["stateExitedEventDetails"]["name"], json!("w"));
}

#[test]
fn examples_with_activities_stop_for_want_of_a_worker() {
    for name in [
        "adding",
        "looping",
        "parallel",
        "file_processing",
        "error_handling",
        "looping_jsonata",
    ] {
        // On the virtual clock too: the task is seen as soon as it is
        // queued, without a timer stepping the clock along.
        for clock in [None, Some("--virtual-time")] {
            let file = example(name);
            let args: Vec<&str> = ["run", &file, "--json"].into_iter().chain(clock).collect();
            let output = sfini(&args);
            assert_eq!(output.status.code(), Some(1), "{name} {clock:?}");
            let report = report(&output);
            assert_eq!(report["status"], json!("ABORTED"), "{name}");
            assert_eq!(report["error"], json!("sfini.NoActivityWorker"), "{name}");
            assert!(
                report["cause"].as_str().unwrap().contains("has no worker"),
                "{name}: {report}"
            );
        }
    }
}

#[test]
fn a_jsonata_machine_runs_and_its_history_shows_the_variables_assigned() {
    let input = r#"{"orders": [
        {"id": "a", "lines": [{"price": 5, "quantity": 2}]},
        {"id": "b", "lines": [{"price": 60, "quantity": 2}, {"price": 1, "quantity": 3}]}
    ]}"#;
    let file = example("orders_jsonata");
    let output = sfini(&["run", &file, "--input", input, "--history", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let reported = report(&output);
    assert_eq!(
        reported["output"],
        json!({"status": "review", "orders": ["b"], "total": "133 EUR"})
    );
    let assigned: Vec<(&str, &Value)> = reported["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|event| {
            let details = event.get("stateExitedEventDetails")?;
            Some((details["name"].as_str()?, details.get("assignedVariables")?))
        })
        .collect();
    assert_eq!(
        assigned,
        [
            (
                "Setup",
                &json!({"reviewAbove": "100", "currency": "\"EUR\""})
            ),
            (
                "Total",
                &json!({"totals": r#"[{"id":"a","total":10},{"id":"b","total":123}]"#})
            ),
            ("Route", &json!({"review": r#"["b"]"#})),
        ]
    );

    let small =
        r#"{"currency": "USD", "orders": [{"id": "a", "lines": [{"price": 5, "quantity": 2}]}]}"#;
    let output = sfini(&["run", &file, "--input", small, "--json"]);
    assert_eq!(
        report(&output)["output"],
        json!({"status": "accepted", "total": "10 USD"})
    );

    // `sfini validate` accepts it as it is.
    let output = sfini(&["validate", &file]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn activity_timeouts_run_retry_and_catch_on_the_virtual_clock() {
    let output = sfini(&[
        "run",
        &example("error_handling"),
        "--virtual-time",
        "--wait-for-activity-timeouts",
        "--history",
        "--json",
    ]);
    let report = report(&output);
    assert_eq!(report["status"], json!("FAILED"));
    assert_eq!(report["error"], json!("States.Timeout"));
    // One attempt and three retries, each timing out after 10 s.
    let timed_out = report["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["type"] == json!("ActivityTimedOut"))
        .count();
    assert_eq!(timed_out, 4);
}

#[test]
fn an_invalid_definition_prints_its_diagnostics_and_exits_two() {
    let file = scratch(
        "broken.asl.json",
        &json!({"StartAt": "a", "States": {"a": {"Type": "Pass", "Next": "missing"}}}),
    );
    let output = sfini(&["run", &file]);
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("broken.asl.json:"), "{text}");
    assert!(
        text.contains("error[unknown-state] States.a.Next"),
        "{text}"
    );
}

#[test]
fn input_that_is_not_json_is_a_usage_error() {
    let file = scratch(
        "ok.asl.json",
        &json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}),
    );
    let output = sfini(&["run", &file, "--input", "{nope"]);
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8(output.stderr).unwrap();
    assert!(text.contains("InvalidExecutionInput"), "{text}");
}

#[test]
fn the_help_gives_the_exit_codes() {
    let output = sfini(&["run", "--help"]);
    assert!(output.status.success());
    let help = stdout(&output)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for part in [
        "0 when the execution succeeded",
        "1 when it ran and did not succeed",
        "2 when it could not run at all",
    ] {
        assert!(help.contains(part), "{help}");
    }
}

#[test]
fn a_definition_that_cannot_run_exits_two_whatever_is_wrong_with_it() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_run");
    let missing = dir
        .join("no-such-machine.json")
        .to_string_lossy()
        .into_owned();
    let cases = [
        (
            scratch_bytes("syntax.asl.json", br#"{"StartAt": "#),
            "error[syntax] (top level): not valid JSON",
        ),
        (
            scratch_bytes("syntax.asl.yaml", b"StartAt: [\n"),
            "error[syntax] (top level): not valid YAML",
        ),
        (
            scratch_bytes(
                "invalid.asl.yaml",
                b"StartAt: a\nStates:\n  a:\n    Type: Wiat\n    End: true\n",
            ),
            "States.a.Type: `Wiat` is not a state type",
        ),
        (
            scratch_bytes("latin1.asl.json", b"{\"Comment\": \"caf\xe9\"}"),
            "the definition is not UTF-8 text: the byte at offset 16 of the file is not valid UTF-8",
        ),
        (missing, "error[syntax] (top level): cannot read the file: "),
    ];
    for (file, expected) in cases {
        let output = sfini(&["run", &file, "--json"]);
        assert_eq!(output.status.code(), Some(2), "{file}");
        // The problems, as `sfini validate` prints them, and no report.
        let text = stdout(&output);
        assert!(text.starts_with(&format!("{file}:")), "{text}");
        assert!(text.contains(expected), "{file}: {text}");
        assert!(!text.contains("status"), "{text}");
        let validated = sfini(&["validate", &file]);
        assert_eq!(validated.status.code(), Some(1), "{file}");
        assert_eq!(stdout(&validated), text);
    }
}

/// A definition of exactly `characters` characters, two bytes each in its
/// comment.
fn definition_of(characters: usize) -> String {
    let frame = |comment: &str| {
        format!(
            r#"{{"Comment":"{comment}","StartAt":"p","States":{{"p":{{"Type":"Pass","End":true}}}}}}"#
        )
    };
    let padding = characters - frame("").chars().count();
    frame(&"é".repeat(padding))
}

#[test]
fn definitions_are_limited_to_a_mebibyte_of_characters() {
    let limit = 1_048_576;
    let largest = definition_of(limit);
    assert!(largest.len() > limit);
    let file = scratch_bytes("largest.asl.json", largest.as_bytes());
    let output = sfini(&["run", &file, "--json"]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert_eq!(report(&output)["status"], json!("SUCCEEDED"));

    let file = scratch_bytes("too-large.asl.json", definition_of(limit + 1).as_bytes());
    let output = sfini(&["run", &file, "--json"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stdout(&output),
        format!(
            "{file}: error[syntax] (top level): the definition is too large: it has more than \
             1048576 characters, the most Step Functions takes (the file is {} bytes long)\n",
            definition_of(limit + 1).len()
        )
    );
}

#[test]
fn a_huge_definition_is_refused_without_being_read() {
    // 10 GiB, sparse: reading it whole would take long and more memory
    // than the test has.
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("cli_run")
        .join("huge.asl.json");
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::File::create(&path).unwrap().set_len(10 << 30).unwrap();
    let file = path.to_string_lossy().into_owned();
    let started = Instant::now();
    let output = sfini(&["run", &file]);
    let took = started.elapsed();
    fs::remove_file(&path).unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(took < Duration::from_secs(20), "{took:?}");
    assert!(
        stdout(&output).contains(
            "the definition is too large: it has more than 1048576 characters, the most Step \
             Functions takes (the file is 10737418240 bytes long)"
        ),
        "{}",
        stdout(&output)
    );
}

#[cfg(unix)]
#[test]
fn an_endless_definition_is_refused() {
    let output = sfini(&["run", "/dev/zero"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stdout(&output).contains(
            "/dev/zero: error[syntax] (top level): the definition is too large: it has more than \
             1048576 characters, the most Step Functions takes (reading stopped after 1048577 \
             characters)"
        ),
        "{}",
        stdout(&output)
    );
}

/// A machine passing its input on, in a file of its own for each test (the
/// tests run at once).
fn pass_machine(test: &str) -> String {
    scratch(
        &format!("pass-through-{test}.asl.json"),
        &json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}),
    )
}

#[test]
fn input_is_read_from_a_file_or_standard_input() {
    let machine = pass_machine("from-file");
    let input = r#"{"a": [1, 2, {"b": "ç"}]}"#;
    let expected = json!({"status": "SUCCEEDED", "output": {"a": [1, 2, {"b": "ç"}]}, "error": null, "cause": null});

    let output = sfini(&["run", &machine, "--input", input, "--json"]);
    assert_eq!(report(&output), expected);
    let file = scratch_bytes("input.json", input.as_bytes());
    let output = sfini(&["run", &machine, "--input-file", &file, "--json"]);
    assert_eq!(report(&output), expected);
    let output = sfini_with_stdin(
        &["run", &machine, "--input-file", "-", "--json"],
        move |stdin| {
            // The binary may have stopped reading: what it says is checked.
            let _ = stdin.write_all(input.as_bytes());
        },
    );
    assert_eq!(report(&output), expected);
}

#[test]
fn input_and_input_file_cannot_both_be_given() {
    let machine = pass_machine("exclusive");
    let output = sfini(&["run", &machine, "--input", "{}", "--input-file", "-"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("'--input <JSON>' cannot be used with '--input-file <PATH>'"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn input_from_a_file_or_standard_input_is_checked_as_input_given_with_input() {
    let machine = pass_machine("checked");
    let too_deep = "[".repeat(300) + &"]".repeat(300);
    for (input, problem) in [
        (
            too_deep.as_str(),
            "InvalidExecutionInput: the execution input nests more than 256 levels of arrays and objects deep",
        ),
        (
            "{nope",
            "InvalidExecutionInput: the execution input is not JSON: key must be a string",
        ),
    ] {
        let given = sfini(&["run", &machine, "--input", input]);
        let file = scratch_bytes("bad-input.json", input.as_bytes());
        let from_file = sfini(&["run", &machine, "--input-file", &file]);
        let piped = input.to_string();
        let from_stdin = sfini_with_stdin(&["run", &machine, "--input-file", "-"], move |stdin| {
            let _ = stdin.write_all(piped.as_bytes());
        });
        for (output, source) in [
            (given, "the input given with --input".to_string()),
            (from_file, format!("the input read from `{file}`")),
            (from_stdin, "the input read from standard input".to_string()),
        ] {
            assert_eq!(output.status.code(), Some(2), "{source}");
            assert!(output.stdout.is_empty());
            let message = stderr(&output);
            assert!(
                message.starts_with(&format!(
                    "{machine}: cannot start the execution with {source}: {problem}"
                )),
                "{message}"
            );
        }
    }
}

#[test]
fn input_is_limited_to_256_kib() {
    let machine = pass_machine("limited");
    let limit = 262_144;
    // A JSON string of exactly the limit is taken.
    let largest = format!("\"{}\"", "x".repeat(limit - 2));
    let file = scratch_bytes("largest-input.json", largest.as_bytes());
    let output = sfini(&["run", &machine, "--input-file", &file, "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(report(&output)["output"].as_str().unwrap().len(), limit - 2);

    let larger = format!("\"{}\"", "x".repeat(limit - 1));
    let file = scratch_bytes("too-large-input.json", larger.as_bytes());
    let output = sfini(&["run", &machine, "--input-file", &file]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "sfini run: --input-file {file}: the execution input is too large: it has more than \
             262144 bytes, the most Step Functions takes (the file is 262145 bytes long)\n"
        )
    );
}

#[test]
fn endless_standard_input_is_read_no_further_than_the_limit() {
    let machine = pass_machine("endless");
    let started = Instant::now();
    let output = sfini_with_stdin(&["run", &machine, "--input-file", "-"], |stdin| {
        let chunk = [b' '; 65_536];
        // Until the binary stops reading and the pipe closes.
        while stdin.write_all(&chunk).is_ok() {}
    });
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "sfini run: --input-file -: the execution input is too large: it has more than 262144 \
         bytes, the most Step Functions takes (reading stopped after 262145 bytes)\n"
    );
}

#[test]
fn an_unreadable_input_file_exits_two() {
    let machine = pass_machine("unreadable");
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("no-such-input.json");
    let missing = missing.to_string_lossy();
    let output = sfini(&["run", &machine, "--input-file", &missing]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with(&format!(
            "sfini run: --input-file {missing}: cannot read the file: "
        )),
        "{}",
        stderr(&output)
    );
}

fn timestamp(text: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(text.as_str().unwrap(), &Rfc3339).unwrap()
}

/// Runs a one-state machine waiting as `wait` says, on the virtual clock,
/// and gives the times the Wait state was entered and exited.
fn run_wait(name: &str, wait: Value, start: Option<&str>) -> (OffsetDateTime, OffsetDateTime) {
    let mut state = json!({"Type": "Wait", "End": true});
    for (key, value) in wait.as_object().unwrap() {
        state[key] = value.clone();
    }
    let file = scratch(name, &json!({"StartAt": "w", "States": {"w": state}}));
    let mut args = vec![
        "run",
        file.as_str(),
        "--virtual-time",
        "--history",
        "--json",
    ];
    if let Some(start) = start {
        args.extend(["--virtual-start", start]);
    }
    let output = sfini_within(Duration::from_secs(20), &args);
    assert!(output.status.success(), "{name}: {}", stderr(&output));
    let report = report(&output);
    let history = report["history"].as_array().unwrap();
    assert_eq!(history[1]["type"], json!("WaitStateEntered"));
    assert_eq!(history[2]["type"], json!("WaitStateExited"));
    (
        timestamp(&history[1]["timestamp"]),
        timestamp(&history[2]["timestamp"]),
    )
}

fn at(text: &str) -> OffsetDateTime {
    OffsetDateTime::parse(text, &Rfc3339).unwrap()
}

#[test]
fn waits_take_no_time_on_the_virtual_clock() {
    let start = Some("2000-01-01T00:00:00Z");
    // 364 days (2000 has 366), within the year an execution may run.
    let (entered, exited) = run_wait("year.asl.json", json!({"Seconds": 31_449_600}), start);
    assert_eq!(entered, at("2000-01-01T00:00:00Z"));
    assert_eq!(exited, at("2000-12-30T00:00:00Z"));
    // 25 years: the execution times out when its year is up, as AWS times
    // out a Standard execution.
    let file = scratch(
        "decades.asl.json",
        &json!({"StartAt": "w", "States": {"w": {
            "Type": "Wait", "Timestamp": "2025-01-01T00:00:00Z", "End": true}}}),
    );
    let output = sfini_within(
        Duration::from_secs(20),
        &[
            "run",
            file.as_str(),
            "--virtual-time",
            "--history",
            "--json",
            "--virtual-start",
            "2000-01-01T00:00:00Z",
        ],
    );
    let report = report(&output);
    assert_eq!(report["status"], json!("TIMED_OUT"), "{report}");
    let history = report["history"].as_array().unwrap();
    let last = history.last().unwrap();
    assert_eq!(last["type"], json!("ExecutionTimedOut"));
    assert_eq!(timestamp(&last["timestamp"]), at("2000-12-31T00:00:00Z"));
    // The start itself, and a date before it.
    for (name, until) in [
        ("present.asl.json", "2000-01-01T00:00:00Z"),
        ("past.asl.json", "1999-06-01T00:00:00Z"),
    ] {
        let (entered, exited) = run_wait(name, json!({"Timestamp": until}), start);
        assert_eq!(
            (entered, exited),
            (at("2000-01-01T00:00:00Z"), at("2000-01-01T00:00:00Z"))
        );
    }
}

#[test]
fn the_virtual_clock_starts_now_to_the_second() {
    let before = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    // A date in the past, and the present.
    let (entered, exited) = run_wait(
        "past-now.asl.json",
        json!({"Timestamp": "2001-02-03T04:05:06Z"}),
        None,
    );
    let after = OffsetDateTime::now_utc();
    assert!(before <= entered && entered <= after, "{entered}");
    assert_eq!(entered.nanosecond(), 0);
    assert_eq!(exited, entered);
    let now = before.format(&Rfc3339).unwrap();
    let (entered, exited) = run_wait("now.asl.json", json!({"Timestamp": now}), None);
    assert!(before <= entered, "{entered}");
    assert_eq!(exited, entered);
    // A date months ahead of now ends exactly then (an execution runs a
    // year at most).
    let ahead = (before + time::Duration::days(300)).replace_time(time::Time::MIDNIGHT);
    let (_, exited) = run_wait(
        "months-ahead.asl.json",
        json!({"Timestamp": ahead.format(&Rfc3339).unwrap()}),
        None,
    );
    assert_eq!(exited, ahead);
}

#[test]
fn the_virtual_start_is_a_timestamp_and_needs_the_virtual_clock() {
    let machine = pass_machine("virtual-start");
    let output = sfini(&[
        "run",
        &machine,
        "--virtual-time",
        "--virtual-start",
        "2000-01-01",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "`2000-01-01` is not an RFC 3339 timestamp: write one such as 2000-01-01T00:00:00Z"
        ),
        "{}",
        stderr(&output)
    );
    let output = sfini(&["run", &machine, "--virtual-start", "2000-01-01T00:00:00Z"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--virtual-time"),
        "{}",
        stderr(&output)
    );
    // An offset is taken, and the history is in UTC.
    let output = sfini(&[
        "run",
        &machine,
        "--virtual-time",
        "--virtual-start",
        "2000-01-01T02:00:00+02:00",
        "--history",
        "--json",
    ]);
    assert!(output.status.success());
    assert_eq!(
        report(&output)["history"][0]["timestamp"],
        json!("2000-01-01T00:00:00Z")
    );
}

#[test]
fn a_clock_run_past_the_calendar_ends_the_run_rather_than_hanging_it() {
    let file = scratch(
        "last-second.asl.json",
        &json!({"StartAt": "w", "States": {"w": {"Type": "Wait", "Seconds": 10, "End": true}}}),
    );
    let output = sfini_within(
        Duration::from_secs(20),
        &[
            "run",
            &file,
            "--virtual-time",
            "--virtual-start",
            "9999-12-31T23:59:59Z",
        ],
    );
    assert!(
        matches!(output.status.code(), Some(0..=2)),
        "{:?}: {}",
        output.status,
        stderr(&output)
    );
}

fn mocks(file: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/mocks")
        .join(file)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn a_test_case_of_a_mock_configuration_runs_a_workflow_of_service_tasks() {
    let workflow = mocks("orders.asl.json");
    let config = mocks("MockConfigFile.json");
    let happy = sfini(&[
        "run",
        &workflow,
        "--mock-config",
        &config,
        "--test-case",
        "HappyPath",
        "--virtual-time",
        "--virtual-start",
        "2024-01-01T00:00:00Z",
        "--input",
        r#"{"id": "o-1"}"#,
        "--json",
        "--history",
    ]);
    assert_eq!(happy.status.code(), Some(0), "{}", stderr(&happy));
    let result = report(&happy);
    assert_eq!(
        result["output"],
        json!({
            "id": "o-1",
            "price": {"total": 42},
            "approval": {"approved": true, "by": "ada"},
            "shipping": {"tracking": "T-1"}
        })
    );
    // The two throttled attempts were retried 2 s and 4 s apart, on the
    // virtual clock.
    let failed: Vec<&Value> = result["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["type"] == "TaskFailed")
        .collect();
    assert_eq!(failed.len(), 2);
    let last = result["history"].as_array().unwrap().last().unwrap();
    assert_eq!(last["type"], json!("ExecutionSucceeded"));
    assert_eq!(last["timestamp"], json!("2024-01-01T00:00:06Z"));

    let rejected = sfini(&[
        "run",
        &workflow,
        "--mock-config",
        &config,
        "--test-case",
        "Rejected",
        "--json",
    ]);
    assert_eq!(rejected.status.code(), Some(1));
    let result = report(&rejected);
    assert_eq!(result["status"], json!("FAILED"));
    assert_eq!(result["error"], json!("Rejected"));
    assert_eq!(result["cause"], json!("too expensive"));
}

#[test]
fn mock_configurations_that_do_not_fit_stop_the_run_with_the_place() {
    let workflow = mocks("orders.asl.json");
    let config = mocks("MockConfigFile.json");
    let unknown = sfini(&[
        "run",
        &workflow,
        "--mock-config",
        &config,
        "--test-case",
        "SadPath",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains(
            "ValidationException: test case `SadPath` of state machine `orders`: the mock \
             configuration has no test case `SadPath` for `orders` (there are `HappyPath`, \
             `Duplicate`, `Rejected`, `ApproveByHand`)"
        ),
        "{}",
        stderr(&unknown)
    );
    let broken = scratch(
        "broken-mocks.json",
        &json!({"StateMachines": {"orders": {"TestCases": {"T": {"Price": "Nothing"}}}}}),
    );
    let output = sfini(&[
        "run",
        &workflow,
        "--mock-config",
        &broken,
        "--test-case",
        "T",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "sfini run: the mock configuration `{broken}` is refused at \
             $.StateMachines.orders.TestCases.T.Price: no mocked response is named `Nothing` \
             under `MockedResponses` (there are none)\n"
        )
    );
    let not_json = scratch_bytes("not-json-mocks.json", b"{\"StateMachines\": ");
    let output = sfini(&[
        "run",
        &workflow,
        "--mock-config",
        &not_json,
        "--test-case",
        "T",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is refused at line 1, column 18: not JSON"),
        "{}",
        stderr(&output)
    );
    let two = scratch(
        "two-machines.json",
        &json!({"StateMachines": {"a": {"TestCases": {}}, "b": {"TestCases": {}}}}),
    );
    let output = sfini(&["run", &workflow, "--mock-config", &two, "--test-case", "T"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "the mock configuration names 2 state machines (`a`, `b`); say which one this \
             definition is with --name"
        ),
        "{}",
        stderr(&output)
    );
    // Mocking a state the machine does not have is refused before it runs.
    let mocked_elsewhere = scratch(
        "mocked-elsewhere.json",
        &json!({
            "StateMachines": {"orders": {"TestCases": {"T": {"Charge": "R"}}}},
            "MockedResponses": {"R": {"0": {"Return": 1}}}
        }),
    );
    let output = sfini(&[
        "run",
        &workflow,
        "--mock-config",
        &mocked_elsewhere,
        "--test-case",
        "T",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "the test case `T` mocks the state `Charge`, which the state machine `orders` does \
             not have"
        ),
        "{}",
        stderr(&output)
    );
    let missing = sfini(&["run", &workflow, "--test-case", "T"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("--mock-config"),
        "{}",
        stderr(&missing)
    );
}
