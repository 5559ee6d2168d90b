//! The local console of `sfini local serve` in a real browser: headless
//! Chromium, driven by `tests/console/browser.py` over the WebDriver
//! protocol (chromedriver), against the served binary running the parallel
//! and error_handling examples. The script prints what the page showed as
//! JSON for this test to check, and saves screenshots in `target/console/`
//! (`console.png`, the error_handling execution; `parallel.png`, the
//! parallel one; `live.png`, the one followed while it runs; `list.png`,
//! the lists).
//!
//! Needs Debian's `chromium` and `chromium-driver` (`bash
//! scripts/browser-env.sh` installs them; `SFINI_CHROMIUM` and
//! `SFINI_CHROMEDRIVER` name others) and `python3`; without them the test
//! says why it cannot run and passes. `SFINI_UPDATE_SCREENSHOT=1` also
//! copies `console.png` to `docs/images/console.png`, the README's picture.

mod support;

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};
use support::served::{Served, tail};

/// Debian's Chromium, unless `SFINI_CHROMIUM` names another.
fn chromium() -> PathBuf {
    std::env::var_os("SFINI_CHROMIUM").map_or_else(|| "/usr/bin/chromium".into(), PathBuf::from)
}

/// Debian's chromedriver, unless `SFINI_CHROMEDRIVER` names another.
fn chromedriver() -> PathBuf {
    std::env::var_os("SFINI_CHROMEDRIVER")
        .map_or_else(|| "/usr/bin/chromedriver".into(), PathBuf::from)
}
/// The state the hostile machine is made of (as browser.py names it).
const HOSTILE_STATE: &str = r#"<img src=x onerror="window.__pwned=1">"#;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Why the browser test cannot run here, if it cannot.
fn missing() -> Option<String> {
    for (path, package) in [
        (chromium(), "chromium"),
        (chromedriver(), "chromium-driver"),
    ] {
        if !path.is_file() {
            return Some(format!(
                "{} is missing (Debian's `{package}`; `bash scripts/browser-env.sh` installs it)",
                path.display()
            ));
        }
    }
    match Command::new("python3").arg("--version").output() {
        Ok(output) if output.status.success() => None,
        _ => Some("python3 is missing".into()),
    }
}

/// The first cells of each row, as the page showed them.
fn column(rows: &Value, index: usize) -> Vec<&str> {
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|row| row[index].as_str().expect("a cell"))
        .collect()
}

#[test]
fn the_console_shows_machines_executions_graphs_and_follows_a_run_live() {
    if let Some(reason) = missing() {
        // Straight to standard error, past the test harness's capture, so
        // that the line shows in every run.
        let _ = writeln!(
            std::io::stderr().lock(),
            "console browser test: cannot run: {reason}"
        );
        return;
    }
    let served = Served::start("console", "browser");
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("console");
    let profile = scratch.join("chromium-profile");
    // A fresh profile every run.
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile).expect("a profile directory");
    let screenshots = root().join("target/console");
    std::fs::create_dir_all(&screenshots).expect("a screenshot directory");
    let started = Instant::now();
    let output = Command::new("python3")
        .arg(root().join("tests/console/browser.py"))
        .env("SFINI_ENDPOINT", &served.endpoint)
        .env("ROOT", root())
        .env("CHROMIUM", chromium())
        .env("CHROMEDRIVER", chromedriver())
        .env("PROFILE", &profile)
        .env("SCREENSHOTS", &screenshots)
        .output()
        .expect("python3 runs");
    let elapsed = started.elapsed();
    assert!(
        output.status.success(),
        "browser.py failed ({}):\n{}\nserver log ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr),
        served.log.display(),
        tail(&served.log)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let seen: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|error| panic!("browser.py printed no JSON ({error}):\n{stdout}"));
    let _ = writeln!(
        std::io::stderr().lock(),
        "console browser test: {:.1} s (the browser's part {} s)",
        elapsed.as_secs_f64(),
        seen["seconds"]
    );

    // The lists, newest first, with their statuses.
    assert_eq!(seen["title"], "sfini console");
    assert_eq!(
        column(&seen["machines"], 0),
        ["hostileNames", "sfiniErrorHandling", "sfiniParallel"]
    );
    assert_eq!(column(&seen["machines"], 1), ["STANDARD"; 3]);
    let executions = &seen["executions"];
    assert_eq!(
        column(executions, 0),
        [
            "followed-live",
            "hostile-state",
            "hostile-input",
            "raise-and-catch",
            "print-and-log"
        ]
    );
    assert_eq!(
        column(executions, 1),
        [
            "sfiniParallel",
            "hostileNames",
            "sfiniErrorHandling",
            "sfiniErrorHandling",
            "sfiniParallel"
        ]
    );
    assert_eq!(
        column(executions, 2),
        ["RUNNING", "SUCCEEDED", "FAILED", "FAILED", "SUCCEEDED"]
    );
    assert_eq!(executions[0][4], "—", "a running execution has not stopped");
    for started in column(executions, 3) {
        assert_eq!(started.len(), "2026-12-03 14:29:57.859".len(), "{started}");
    }
    // Filtered by status, then by machine.
    assert_eq!(
        column(&seen["failed"], 0),
        ["hostile-input", "raise-and-catch"]
    );
    assert_eq!(
        column(&seen["of_parallel"], 0),
        ["followed-live", "print-and-log"]
    );

    assert_eq!(seen["machine_graph"], "log,print,printAndLog,wait");

    // A task's failure caught, then a Fail state: the graph, the events and
    // the states' input and output.
    let caught = &seen["caught"];
    assert_eq!(caught["execution"]["status"], "FAILED");
    assert_eq!(caught["execution"]["live"], false);
    let summary = caught["execution"]["summary"].as_str().expect("text");
    assert!(summary.contains("WorkerError"), "{summary}");
    assert!(summary.contains("MyError was raised"), "{summary}");
    assert_eq!(
        caught["graph"],
        json!({"raise": "caught", "fail": "failed"})
    );
    assert_eq!(
        caught["graphs"], 1,
        "the machine's graph left with the list"
    );
    // The path taken: the Catch edge, not the task's way to End.
    assert_eq!(
        caught["edges"],
        json!(["Start -> raise", "fail -> End", "raise -> fail (catch)"])
    );
    let timeline = &caught["timeline"];
    assert_eq!(
        column(timeline, 0),
        ["1", "2", "3", "4", "5", "6", "7", "8"]
    );
    assert_eq!(
        column(timeline, 1),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivityFailed",
            "TaskStateExited",
            "FailStateEntered",
            "ExecutionFailed"
        ]
    );
    assert_eq!(
        column(timeline, 2),
        ["", "raise", "raise", "raise", "raise", "raise", "fail", ""]
    );
    assert_eq!(timeline[0][4], "0 ms");
    for elapsed in column(timeline, 4) {
        assert!(
            elapsed.ends_with(" ms") || elapsed.ends_with(" s"),
            "{elapsed}"
        );
    }
    let raise = &caught["raise"];
    assert_eq!(raise["title"], "raise caught");
    assert_eq!(raise["inputs"], json!(["{\n  \"order\": 42\n}"]));
    let output: Value =
        serde_json::from_str(raise["outputs"][0].as_str().expect("an output")).expect("JSON");
    assert_eq!(
        output,
        json!({"order": 42, "error-info": {"Error": "MyError", "Cause": "foobar"}})
    );
    assert_eq!(
        raise["failures"],
        json!(["ActivityFailed: MyError — foobar"])
    );
    let fail = &caught["fail"];
    assert_eq!(fail["title"], "fail failed");
    assert_eq!(fail["outputs"], json!([]), "a Fail state has no output");
    let input: Value =
        serde_json::from_str(fail["inputs"][0].as_str().expect("an input")).expect("JSON");
    assert_eq!(input, output);

    // The Parallel example, run to completion.
    let parallel = &seen["parallel"];
    assert_eq!(parallel["execution"]["status"], "SUCCEEDED");
    assert_eq!(
        parallel["graph"],
        json!({"printAndLog": "succeeded", "log": "succeeded", "print": "succeeded", "wait": "succeeded"})
    );
    assert_eq!(
        parallel["edges"],
        json!([
            "Start -> log",
            "Start -> print",
            "Start -> printAndLog",
            "log -> End",
            "print -> wait",
            "printAndLog -> End",
            "wait -> End"
        ])
    );
    assert_eq!(parallel["print"]["title"], "print succeeded");
    assert_eq!(
        parallel["print"]["inputs"],
        json!(["{\n  \"level\": 20,\n  \"message\": \"foo\"\n}"])
    );
    let printed: Value =
        serde_json::from_str(parallel["print"]["outputs"][0].as_str().expect("an output"))
            .expect("JSON");
    assert!(printed["until"].is_string(), "{printed}");

    // Markup in inputs, causes and state names is shown as text, and none
    // of it ran.
    let hostile = &seen["hostile_input"];
    let input = hostile["input"].as_str().expect("text");
    assert!(
        input.contains(r#"<script>window.__pwned = \"input\"</script>"#),
        "{input}"
    );
    assert_eq!(
        hostile["raise"]["failures"],
        json!([r#"ActivityFailed: MyError — <img src=x onerror="window.__pwned = 'cause'">"#])
    );
    let named = &seen["hostile_state"];
    assert_eq!(named["graph"], json!({HOSTILE_STATE: "succeeded"}));
    assert_eq!(
        column(&named["timeline"], 2),
        ["", HOSTILE_STATE, HOSTILE_STATE, ""]
    );
    assert_eq!(
        named["state"]["title"],
        format!("{HOSTILE_STATE} succeeded")
    );
    assert_eq!(
        seen["pwned"],
        json!([null, 0]),
        "no script ran, no element was made of the data"
    );

    // The execution left running, followed live until the test finished it.
    let live = &seen["live"];
    assert_eq!(live["running"]["execution"]["status"], "RUNNING");
    assert_eq!(live["running"]["execution"]["live"], true);
    assert_eq!(
        live["running"]["graph"],
        json!({"printAndLog": "running", "log": "succeeded", "print": "running", "wait": "none"})
    );
    assert_eq!(
        live["running"]["edges"],
        json!([
            "Start -> log",
            "Start -> print",
            "Start -> printAndLog",
            "log -> End"
        ])
    );
    assert_eq!(live["closed"]["status"], "SUCCEEDED");
    assert_eq!(live["closed"]["live"], false);
    assert_eq!(
        live["graph"],
        json!({"printAndLog": "succeeded", "log": "succeeded", "print": "succeeded", "wait": "succeeded"})
    );
    assert_eq!(live["ids_unique"], true, "each event shown once");
    assert_eq!(live["events"], 18, "every event of the run shown");
    let shown_after = live["seconds_to_show"].as_f64().expect("seconds");
    assert!(
        shown_after < 5.0,
        "the page showed the end after {shown_after} s"
    );

    // Pages of executions: one machine's, then every machine's merged,
    // newest first either way.
    let newest_paging: Vec<String> = (0..25).rev().map(|n| format!("page-{n:02}")).collect();
    let pages = seen["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0]["first"], json!(newest_paging[..20]));
    assert_eq!(pages[0]["all"], json!(newest_paging));
    let mut merged = newest_paging.clone();
    merged.extend(
        [
            "followed-live",
            "hostile-state",
            "hostile-input",
            "raise-and-catch",
            "print-and-log",
        ]
        .map(String::from),
    );
    assert_eq!(pages[1]["first"], json!(merged[..20]));
    assert_eq!(pages[1]["all"], json!(merged));

    // Another region, chosen in the page: only its machine listed, its
    // execution and graph read there.
    let region = &seen["region"];
    assert_eq!(column(&region["machines"], 0), ["regional"]);
    assert_eq!(region["choices"], json!(["eu-west-1", "us-east-1"]));
    assert_eq!(region["chosen"], "eu-west-1");
    assert_eq!(region["execution"]["name"], "over-there");
    assert_eq!(region["execution"]["status"], "SUCCEEDED");

    let screenshot = screenshots.join("console.png");
    let png = std::fs::read(&screenshot).expect("the screenshot was saved");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert!(screenshots.join("list.png").exists());
    if std::env::var_os("SFINI_UPDATE_SCREENSHOT").is_some() {
        std::fs::copy(&screenshot, root().join("docs/images/console.png"))
            .expect("docs/images/console.png written");
    }
}
