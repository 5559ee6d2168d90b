//! `sfini run FILE [--input JSON | --input-file PATH] [--history] [--json]
//! [--virtual-time [--virtual-start RFC3339]] [--wait-for-activity-timeouts]
//! [--mock-config FILE --test-case NAME] [--name NAME]`: runs a definition
//! on the local engine.
//!
//! The exit status says how it went:
//!
//! - 0: the execution ran and succeeded;
//! - 1: the execution ran and did not succeed (it failed, timed out or was
//!   aborted), and how it ended is printed;
//! - 2: nothing could run: the definition file could not be read, was
//!   larger than Step Functions takes (1,048,576 characters), was not JSON
//!   or YAML or broke a rule of the language (its diagnostics are printed,
//!   as `sfini validate` prints them); or the input could not be read, was
//!   larger than Step Functions takes (262,144 bytes) or was refused by
//!   `StartExecution` (not JSON, nested too deeply); or the command line was
//!   wrong.
//!
//! The input given with `--input`, read from a file with `--input-file`, or
//! from standard input with `--input-file -` is handed to the engine's
//! `StartExecution` as it is, which checks it as it checks input given over
//! HTTP. Files and standard input are read no further than just past their
//! limit, however long they are.
//!
//! Activities have no worker in `sfini run` (no other process can reach the
//! engine): by default, as soon as an activity task is scheduled the
//! execution is stopped with the error `sfini.NoActivityWorker`, whose
//! cause names the activity. With `--wait-for-activity-timeouts` the task
//! is left to time out instead, as it would on AWS with no worker
//! (`States.Timeout` after the state's `TimeoutSeconds`), so that Retry and
//! Catch on timeouts can be tried; `--virtual-time` makes such waits
//! instant.
//!
//! With `--mock-config FILE --test-case NAME`, the execution runs that test
//! case of the file (AWS's mock configuration format, as Step Functions
//! Local reads it): the Task states it mocks are answered from the file, so
//! that a workflow calling Lambda, SQS, DynamoDB or other state machines
//! runs with no handler. The test case is looked up for the state machine's
//! name (see `--name`); a file that cannot be read, that breaks the format,
//! or that has no such test case stops the run before it starts (status 2),
//! with where the problem is.
//!
//! On the virtual clock (`--virtual-time`) the engine runs on a paused tokio
//! clock, which jumps to the next timer whenever every task waits: a Wait
//! of a year takes no time. Nothing here waits on a timer of its own (the
//! queued activity tasks are watched, not polled), so every jump is one
//! the execution asked for.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use serde_json::{Map, Value, json};
use sfini::core::model::{State, States};
use sfini::core::timestamp::parse_timestamp;
use sfini::runtime::api::*;
use sfini::runtime::clock::Clock;
use sfini::runtime::local::LocalEngine;
use sfini::runtime::mock::MockConfig;
use time::{OffsetDateTime, UtcOffset};
use tokio::sync::Notify;

use super::bounded::{self, Unit};
use super::definition::Definition;

/// Arguments of `sfini run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The definition: `.json`, or `.yaml`/`.yml` for YAML.
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// The execution's input, as JSON (`{}` when neither this nor
    /// --input-file is given).
    #[arg(long, value_name = "JSON", conflicts_with = "input_file")]
    input: Option<String>,

    /// Read the execution's input, as JSON, from a file, or from standard
    /// input when PATH is `-` (at most 262,144 bytes).
    #[arg(long, value_name = "PATH")]
    input_file: Option<PathBuf>,

    /// Print the execution's history, one event a line.
    #[arg(long)]
    history: bool,

    /// Print one line of JSON: `{"status", "output", "error", "cause"}`
    /// (and `"history"` with --history).
    #[arg(long)]
    json: bool,

    /// Run on a virtual clock: waits, retry intervals and timeouts take no
    /// time, and the history's timestamps are exact. The clock starts at
    /// the current time, to the second, unless --virtual-start says when.
    #[arg(long)]
    virtual_time: bool,

    /// When the virtual clock of --virtual-time starts, as an RFC 3339
    /// timestamp such as 2000-01-01T00:00:00Z.
    #[arg(
        long,
        value_name = "RFC3339",
        requires = "virtual_time",
        value_parser = virtual_start
    )]
    virtual_start: Option<OffsetDateTime>,

    #[command(flatten)]
    limits: super::limits::LimitArgs,

    /// Let activity tasks (which have no worker here) time out as on AWS
    /// instead of stopping the execution when one is scheduled.
    #[arg(long)]
    wait_for_activity_timeouts: bool,

    /// A mock configuration in AWS's format (as Step Functions Local reads
    /// it), whose test case --test-case names: its mocked Task states are
    /// answered from the file.
    #[arg(long, value_name = "FILE", requires = "test_case")]
    mock_config: Option<PathBuf>,

    /// The test case of --mock-config to run.
    #[arg(long, value_name = "NAME", requires = "mock_config")]
    test_case: Option<String>,

    /// The state machine's name (`sfini-run` by default; with
    /// --mock-config, the one state machine the file names, or else the
    /// definition file's name without its extension).
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
}

/// The state machine's name when nothing names it.
const DEFAULT_NAME: &str = "sfini-run";
/// The role executions of `sfini run` run as.
const ROLE: &str = "arn:aws:iam::123456789012:role/sfini-run";
/// The error an execution is stopped with when it needs an activity worker.
const NO_WORKER: &str = "sfini.NoActivityWorker";
/// The exit status when the execution ran and did not succeed.
const DID_NOT_SUCCEED: u8 = 1;
/// The exit status when nothing could run.
const COULD_NOT_RUN: u8 = 2;

/// Runs the definition and prints how its execution ended.
pub fn run(args: &Args) -> ExitCode {
    let definition = Definition::read(&args.file);
    if !definition.diagnostics.is_valid() {
        // A closed pipe ends the printing: nothing more can be said.
        let _ = definition.write_diagnostics(&mut io::stdout().lock(), &args.file);
        return ExitCode::from(COULD_NOT_RUN);
    }
    // A definition without errors was read, as JSON, into a machine.
    let (Some(text), Some(machine)) = (definition.json, definition.machine) else {
        return could_not_run(&args.file.display(), "the definition could not be read");
    };
    let activities = activity_names(&machine.states);
    let input = match read_input(args) {
        Ok(input) => input,
        Err(message) => return could_not_run(&"sfini run", &message),
    };
    let mocks = match &args.mock_config {
        Some(path) => match super::mock_config::read(path) {
            Ok(config) => Some(config),
            Err(message) => return could_not_run(&"sfini run", &message),
        },
        None => None,
    };
    let machine_name = match machine_name(args, mocks.as_ref()) {
        Ok(name) => name,
        Err(message) => return could_not_run(&"sfini run", &message),
    };
    let mut builder = tokio::runtime::Builder::new_current_thread();
    builder.enable_time();
    if args.virtual_time {
        builder.start_paused(true);
    }
    let runtime = match builder.build() {
        Ok(runtime) => runtime,
        Err(error) => {
            return could_not_run(&"sfini run", &format!("cannot start the engine: {error}"));
        }
    };
    let clock = if args.virtual_time {
        Clock::virtual_from(args.virtual_start.unwrap_or_else(now_to_the_second))
    } else {
        Clock::real()
    };
    let mut engine = LocalEngine::builder()
        .clock(clock)
        .limits(args.limits.limits());
    if let Some(config) = mocks {
        engine = engine.mock_config(config);
    }
    let engine = engine.build();
    let panicked = Arc::new(Notify::new());
    let default_hook = std::panic::take_hook();
    let notify = panicked.clone();
    // A panic in the engine ends its execution's task and nothing else:
    // without this, the execution would never close and the run would
    // wait for ever.
    std::panic::set_hook(Box::new(move |info| {
        default_hook(info);
        notify.notify_one();
    }));
    let run = Run {
        engine: &engine,
        panicked: &panicked,
        definition: &text,
        activities: &activities,
        input: &input,
        machine_name: &machine_name,
        args,
    };
    match runtime.block_on(run.execute()) {
        Ok(code) => code,
        Err(message) => could_not_run(&args.file.display(), &message),
    }
}

/// The state machine's name: `--name`, or with a mock configuration the
/// one machine it names, or the definition file's stem when it names more.
fn machine_name(args: &Args, mocks: Option<&MockConfig>) -> Result<String, String> {
    if let Some(name) = &args.name {
        return Ok(name.clone());
    }
    let Some(mocks) = mocks else {
        return Ok(DEFAULT_NAME.to_string());
    };
    let machines: Vec<&str> = mocks.machines().collect();
    if let [only] = machines.as_slice() {
        return Ok((*only).to_string());
    }
    let stem = args
        .file
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    if machines.contains(&stem.as_str()) {
        return Ok(stem);
    }
    Err(format!(
        "the mock configuration names {} state machines ({}); say which one this definition is \
         with --name",
        machines.len(),
        machines
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn could_not_run(subject: &dyn std::fmt::Display, message: &str) -> ExitCode {
    eprintln!("{subject}: {message}");
    ExitCode::from(COULD_NOT_RUN)
}

/// The execution's input, as text, and where it came from (for messages).
struct Input {
    text: String,
    source: String,
}

/// The input of `--input`, `--input-file`, or `{}`; a file or standard input
/// is read no further than just past the largest input Step Functions
/// takes.
fn read_input(args: &Args) -> Result<Input, String> {
    if let Some(text) = &args.input {
        return Ok(Input {
            text: text.clone(),
            source: "the input given with --input".into(),
        });
    }
    let Some(path) = &args.input_file else {
        return Ok(Input {
            text: "{}".into(),
            source: "the default input `{}`".into(),
        });
    };
    let what = "the execution input";
    if path.as_os_str() == "-" {
        return bounded::read_stdin(args.limits.limits().max_payload_bytes(), Unit::Bytes)
            .map(|text| Input {
                text,
                source: "the input read from standard input".into(),
            })
            .map_err(|error| {
                format!("--input-file -: {}", error.describe(what, "standard input"))
            });
    }
    bounded::read_file(path, args.limits.limits().max_payload_bytes(), Unit::Bytes)
        .map(|text| Input {
            text,
            source: format!("the input read from `{}`", path.display()),
        })
        .map_err(|error| {
            format!(
                "--input-file {}: {}",
                path.display(),
                error.describe(what, "the file")
            )
        })
}

/// Reads the start of the virtual clock.
fn virtual_start(text: &str) -> Result<OffsetDateTime, String> {
    parse_timestamp(text)
        .and_then(|at| at.checked_to_offset(UtcOffset::UTC))
        .ok_or_else(|| {
            format!(
                "`{text}` is not an RFC 3339 timestamp: write one such as 2000-01-01T00:00:00Z \
                 or 2000-01-01T02:00:00+02:00 (an uppercase T, and Z or an offset)"
            )
        })
}

/// The current time without its fraction of a second, so that waits
/// until whole seconds end on the second.
fn now_to_the_second() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(0).unwrap_or(now)
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

/// One execution of `sfini run`, on its engine.
struct Run<'a> {
    engine: &'a LocalEngine,
    /// Notified when a thread panics.
    panicked: &'a Notify,
    definition: &'a str,
    activities: &'a [String],
    input: &'a Input,
    machine_name: &'a str,
    args: &'a Args,
}

impl Run<'_> {
    /// Runs the execution to its end and prints it; gives the exit status,
    /// or why it could not run.
    async fn execute(&self) -> Result<ExitCode, String> {
        let engine = self.engine;
        let mut activity_arns = Vec::new();
        for name in self.activities {
            let created = engine
                .create_activity(CreateActivityInput {
                    name: name.clone(),
                    ..Default::default()
                })
                .await
                .map_err(|error| format!("cannot create the activity `{name}`: {error}"))?;
            activity_arns.push((name.as_str(), created.activity_arn));
        }
        let machine = engine
            .create_state_machine(CreateStateMachineInput {
                name: self.machine_name.to_string(),
                definition: self.definition.to_string(),
                role_arn: ROLE.into(),
                ..Default::default()
            })
            .await
            .map_err(|error| format!("cannot create the state machine: {error}"))?;
        // Watched from before the start, so that no task is missed.
        let mut queued = engine.watch_queued_activity_tasks();
        // A test case is run as Step Functions Local runs one: by the
        // machine's ARN and `#` and its name.
        let state_machine_arn = match &self.args.test_case {
            Some(test_case) => format!("{}#{test_case}", machine.state_machine_arn),
            None => machine.state_machine_arn,
        };
        let started = engine
            .start_execution(StartExecutionInput {
                state_machine_arn,
                input: Some(self.input.text.clone()),
                ..Default::default()
            })
            .await
            .map_err(|error| {
                format!(
                    "cannot start the execution with {}: {error}",
                    self.input.source
                )
            })?;
        let arn = started.execution_arn;
        let mut watching = !self.args.wait_for_activity_timeouts;
        let done = loop {
            tokio::select! {
                done = engine.wait_for_execution(&arn) => {
                    break done.map_err(|error| format!("cannot follow the execution: {error}"))?;
                }
                () = self.panicked.notified() => {
                    return Err(
                        "the local engine failed (see the panic above), a bug of sfini; \
                         the execution did not end"
                            .into(),
                    );
                }
                changed = queued.changed(), if watching => {
                    // The engine holds the sender as long as it lives.
                    if changed.is_err() {
                        watching = false;
                        continue;
                    }
                    let waiting = activity_arns
                        .iter()
                        .find(|(_, activity)| engine.queued_activity_tasks(activity) > 0);
                    if let Some((name, _)) = waiting {
                        watching = false;
                        self.stop_for_want_of_a_worker(&arn, name).await?;
                    }
                }
            }
        };
        let events = if self.args.history {
            Some(self.history(&arn).await?)
        } else {
            None
        };
        print_report(&done, events.as_deref(), self.args.json);
        Ok(if done.status == ExecutionStatus::Succeeded {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(DID_NOT_SUCCEED)
        })
    }

    async fn stop_for_want_of_a_worker(&self, arn: &str, activity: &str) -> Result<(), String> {
        let stopped = self
            .engine
            .stop_execution(StopExecutionInput {
                execution_arn: arn.to_string(),
                error: Some(NO_WORKER.into()),
                cause: Some(format!(
                    "an activity task of `{activity}` was scheduled, but `sfini run` has no worker to serve it; \
                     run the workflow with a worker, or pass --wait-for-activity-timeouts to let the task time out"
                )),
            })
            .await;
        stopped
            .map(|_| ())
            .map_err(|error| format!("cannot stop the execution: {error}"))
    }

    async fn history(&self, arn: &str) -> Result<Vec<HistoryEvent>, String> {
        let mut events = Vec::new();
        let mut next_token = None;
        loop {
            let page = self
                .engine
                .get_execution_history(GetExecutionHistoryInput {
                    execution_arn: arn.to_string(),
                    max_results: 1000,
                    next_token,
                    ..Default::default()
                })
                .await
                .map_err(|error| format!("cannot read the execution's history: {error}"))?;
            events.extend(page.events);
            next_token = page.next_token;
            if next_token.is_none() {
                return Ok(events);
            }
        }
    }
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
