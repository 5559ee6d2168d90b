//! `sfini run FILE [--input JSON] [--history] [--json]`: runs a definition
//! on the local engine.
//!
//! Activities have no worker in `sfini run` (no other process can reach the
//! engine): by default, as soon as an activity task is scheduled the
//! execution is stopped with the error `sfini.NoActivityWorker`, whose
//! cause names the activity. With `--wait-for-activity-timeouts` the task
//! is left to time out instead, as it would on AWS with no worker
//! (`States.Timeout` after the state's `TimeoutSeconds`), so that Retry and
//! Catch on timeouts can be tried; `--virtual-time` makes such waits
//! instant.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use serde_json::{Map, Value, json};
use sfini::core::json::position::locate;
use sfini::core::model::{State, States};
use sfini::core::validate::check_json;
use sfini::runtime::api::*;
use sfini::runtime::clock::Clock;
use sfini::runtime::local::LocalEngine;

/// Arguments of `sfini run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The definition: `.json`, or `.yaml`/`.yml` for YAML.
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// The execution's input, as JSON.
    #[arg(long, default_value = "{}", value_name = "JSON")]
    input: String,

    /// Print the execution's history, one event a line.
    #[arg(long)]
    history: bool,

    /// Print one line of JSON: `{"status", "output", "error", "cause"}`
    /// (and `"history"` with --history).
    #[arg(long)]
    json: bool,

    /// Run on a virtual clock: waits, retry intervals and timeouts take no
    /// time; the history starts at 2000-01-01T00:00:00Z.
    #[arg(long)]
    virtual_time: bool,

    /// Let activity tasks (which have no worker here) time out as on AWS
    /// instead of stopping the execution when one is scheduled.
    #[arg(long)]
    wait_for_activity_timeouts: bool,
}

/// The role executions of `sfini run` run as.
const ROLE: &str = "arn:aws:iam::123456789012:role/sfini-run";
/// The error an execution is stopped with when it needs an activity worker.
const NO_WORKER: &str = "sfini.NoActivityWorker";

/// Runs the definition and prints how its execution ended.
pub fn run(args: &Args) -> ExitCode {
    let text = match read_definition(&args.file) {
        Ok(text) => text,
        Err(message) => return usage_error(&args.file, &message),
    };
    let checked = check_json(&text);
    if !checked.diagnostics.is_valid() {
        let mut out = io::stdout().lock();
        let shown = args.file.display();
        for diagnostic in checked.diagnostics.iter() {
            let written = match locate(&text, &diagnostic.location) {
                Some(at) => writeln!(out, "{shown}:{}:{}: {diagnostic}", at.line, at.column),
                None => writeln!(out, "{shown}: {diagnostic}"),
            };
            if written.is_err() {
                break;
            }
        }
        return ExitCode::FAILURE;
    }
    let activities = checked
        .machine
        .as_ref()
        .map(|machine| activity_names(&machine.states))
        .unwrap_or_default();
    let mut builder = tokio::runtime::Builder::new_current_thread();
    builder.enable_time();
    if args.virtual_time {
        builder.start_paused(true);
    }
    let runtime = match builder.build() {
        Ok(runtime) => runtime,
        Err(error) => return usage_error(&args.file, &format!("cannot start the engine: {error}")),
    };
    let clock = if args.virtual_time {
        Clock::virtual_from(time::macros::datetime!(2000-01-01 0:00 UTC))
    } else {
        Clock::real()
    };
    let engine = LocalEngine::builder().clock(clock).build();
    let result = runtime.block_on(execute(&engine, &text, &activities, args));
    match result {
        Ok(report) => report,
        Err(error) => usage_error(&args.file, &error.to_string()),
    }
}

fn read_definition(file: &Path) -> Result<String, String> {
    let text =
        fs::read_to_string(file).map_err(|error| format!("cannot read the file: {error}"))?;
    let yaml = file
        .extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            extension.eq_ignore_ascii_case("yaml") || extension.eq_ignore_ascii_case("yml")
        });
    if !yaml {
        return Ok(text);
    }
    serde_norway::from_str::<Value>(&text)
        .map(|value| value.to_string())
        .map_err(|error| format!("not valid YAML: {error}"))
}

fn usage_error(file: &Path, message: &str) -> ExitCode {
    eprintln!("{}: {message}", file.display());
    ExitCode::from(2)
}

/// The names of the activities the definition's Task states call.
fn activity_names(states: &States) -> Vec<String> {
    let mut names = Vec::new();
    for state in states.values() {
        match state {
            State::Task(task) => {
                // Placeholders such as `${AWS::Region}` hold colons too: the
                // name is what follows the resource type.
                if let Some((_, name)) = task.resource.rsplit_once(":activity:")
                    && task.resource.starts_with("arn:")
                    && !name.is_empty()
                {
                    names.push(name.to_string());
                }
            }
            State::Parallel(parallel) => {
                for branch in &parallel.branches {
                    names.extend(activity_names(&branch.states));
                }
            }
            State::Map(map) => names.extend(activity_names(&map.item_processor.states)),
            _ => {}
        }
    }
    names.sort();
    names.dedup();
    names
}

async fn execute(
    engine: &LocalEngine,
    definition: &str,
    activities: &[String],
    args: &Args,
) -> Result<ExitCode, SfnError> {
    let mut activity_arns = Vec::new();
    for name in activities {
        let created = engine
            .create_activity(CreateActivityInput {
                name: name.clone(),
                ..Default::default()
            })
            .await?;
        activity_arns.push((name.clone(), created.activity_arn));
    }
    let machine = engine
        .create_state_machine(CreateStateMachineInput {
            name: "sfini-run".into(),
            definition: definition.to_string(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await?;
    let started = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.state_machine_arn,
            input: Some(args.input.clone()),
            ..Default::default()
        })
        .await?;
    let arn = started.execution_arn;
    let done = loop {
        tokio::select! {
            done = engine.wait_for_execution(&arn) => break done?,
            () = tokio::time::sleep(Duration::from_millis(20)), if !args.wait_for_activity_timeouts => {
                if let Some((name, _)) = activity_arns.iter().find(|(_, activity)| engine.queued_activity_tasks(activity) > 0) {
                    engine
                        .stop_execution(StopExecutionInput {
                            execution_arn: arn.clone(),
                            error: Some(NO_WORKER.into()),
                            cause: Some(format!(
                                "an activity task of `{name}` was scheduled, but `sfini run` has no worker to serve it; \
                                 run the workflow with a worker, or pass --wait-for-activity-timeouts to let the task time out"
                            )),
                        })
                        .await?;
                }
            }
        }
    };
    let events = if args.history {
        let mut events = Vec::new();
        let mut next_token = None;
        loop {
            let page = engine
                .get_execution_history(GetExecutionHistoryInput {
                    execution_arn: arn.clone(),
                    max_results: 1000,
                    next_token,
                    ..Default::default()
                })
                .await?;
            events.extend(page.events);
            next_token = page.next_token;
            if next_token.is_none() {
                break;
            }
        }
        Some(events)
    } else {
        None
    };
    print_report(&done, events.as_deref(), args.json);
    Ok(if done.status == ExecutionStatus::Succeeded {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn event_json(event: &HistoryEvent) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), json!(event.id));
    object.insert("type".into(), json!(event.event_type().as_str()));
    object.insert("previousEventId".into(), json!(event.previous_event_id));
    let timestamp = event
        .timestamp
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    object.insert("timestamp".into(), json!(timestamp));
    if let Some((member, details)) = event.details.to_json() {
        object.insert(member.into(), details);
    }
    Value::Object(object)
}

fn print_report(done: &DescribeExecutionOutput, events: Option<&[HistoryEvent]>, as_json: bool) {
    let output: Value = done
        .output
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or(Value::Null);
    let mut out = io::stdout().lock();
    // A closed pipe ends the printing: nothing more can be said.
    let _ = if as_json {
        let mut report = json!({
            "status": done.status.as_str(),
            "output": output,
            "error": done.error,
            "cause": done.cause,
        });
        if let Some(events) = events {
            report["history"] = Value::Array(events.iter().map(event_json).collect());
        }
        writeln!(out, "{report}")
    } else {
        print_text(&mut out, done, &output, events)
    };
}

fn print_text(
    out: &mut impl Write,
    done: &DescribeExecutionOutput,
    output: &Value,
    events: Option<&[HistoryEvent]>,
) -> io::Result<()> {
    if let Some(events) = events {
        for event in events {
            let details = event
                .details
                .to_json()
                .map_or_else(String::new, |(_, details)| details.to_string());
            writeln!(
                out,
                "{}\t{}\t{}\t{details}",
                event.id,
                event.event_type(),
                event.previous_event_id
            )?;
        }
    }
    writeln!(out, "status: {}", done.status)?;
    if done.status == ExecutionStatus::Succeeded {
        writeln!(out, "output: {output}")?;
    }
    if let Some(error) = &done.error {
        writeln!(out, "error: {error}")?;
    }
    if let Some(cause) = &done.cause {
        writeln!(out, "cause: {cause}")?;
    }
    Ok(())
}
