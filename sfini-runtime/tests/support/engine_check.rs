//! What must hold when the local engine runs any definition on any input,
//! however hostile: the machine is refused or created, the input refused or
//! started, and the execution closes, on a paused clock, within a
//! wall-clock watchdog, with a history that keeps to the engine's limits,
//! and without taking more memory than those limits allow.
//!
//! Shared by the proptest runner (`tests/fuzz_engine.rs`) and the cargo-fuzz
//! target `engine` (`fuzz/`), which include this file by path beside
//! sfini-core's `tests/support/alloc_meter.rs` (memory is checked only in
//! binaries that install its allocator).
#![allow(dead_code)]

use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};
use sfini_core::limits::{measure, parse_json};
use sfini_core::validate::check_json;
use sfini_runtime::api::*;
use sfini_runtime::clock::Clock;
use sfini_runtime::local::{EngineLimits, LocalEngine, TaskFailure};
use time::macros::datetime;

use crate::alloc_meter::peak_during;

/// The Lambda function the engine has a handler for.
pub const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:fuzz";

/// The stack the engine runs on: a tokio worker thread's.
pub const ENGINE_STACK: usize = 2 * 1024 * 1024;

/// How long an execution may take, in wall-clock time, before it counts as
/// a hang. Generous: the proptest runner runs unoptimised code on a machine
/// shared with others, and the clock is paused, so no wait of the machine
/// itself counts.
pub const WATCHDOG: Duration = Duration::from_secs(60);

/// Small limits for one run, from five numbers each taken to a range where
/// runs stay quick and the limits are often reached.
pub fn engine_limits(
    history: u32,
    payload: usize,
    depth: usize,
    steps: u64,
    memory: usize,
) -> EngineLimits {
    EngineLimits::default()
        .history_events(2 + history % 3_000)
        .payload_bytes(64 + payload % 65_536)
        .depth(depth % 300)
        .evaluation_steps(steps % 200_000)
        .execution_memory((64 << 10) + memory % (8 << 20))
}

/// What the Lambda handler does, by its input: fails with `Custom.Error`
/// when the input has `"fail"`, waits `"sleep"` seconds first (on the paused
/// clock), answers with a string of `"big"` bytes or with data nested
/// `"deep"` levels, and otherwise gives its input back.
async fn handle(input: Value) -> Result<Value, TaskFailure> {
    let number = |key: &str| input.get(key).and_then(Value::as_u64);
    if let Some(seconds) = number("sleep") {
        tokio::time::sleep(Duration::from_secs(seconds.min(1 << 30))).await;
    }
    if input.get("fail").is_some() {
        return Err(TaskFailure::new("Custom.Error", "the input asked for it"));
    }
    if let Some(bytes) = number("big") {
        return Ok(json!({"blob": "b".repeat(bytes.min(1 << 20) as usize)}));
    }
    if let Some(levels) = number("deep") {
        let mut value = json!(0);
        for _ in 0..levels.min(100_000) {
            value = Value::Array(vec![value]);
        }
        return Ok(value);
    }
    Ok(input)
}

/// The most heap a run within `limits` of a definition and an input of
/// `text` bytes together may take: the values read from the text (the
/// engine reads a definition of any size; the served engine refuses one
/// over 1 MiB), its execution's memory, the data an evaluation may build,
/// the history's events, with room for the runtime and the engine
/// themselves.
fn memory_allowance(limits: &EngineLimits, text: usize) -> usize {
    let evaluation = 64 * limits.evaluation().max_bytes();
    64 * text
        + 4 * limits.max_execution_memory()
        + evaluation
        + 512 * limits.max_history_events() as usize
        + (16 << 20)
}

/// Runs `definition` on `input` on a fresh engine with `limits`, on a
/// paused clock, on a thread with [`ENGINE_STACK`], and checks the run (see
/// the module's documentation). Panics, naming the definition, when an
/// invariant breaks or the run outlasts the [`WATCHDOG`].
pub fn check_run(definition: &str, input: &str, limits: EngineLimits) {
    let (sender, receiver) = mpsc::channel();
    let (definition_text, input_text) = (definition.to_string(), input.to_string());
    let runner = std::thread::Builder::new()
        .name("engine".into())
        .stack_size(ENGINE_STACK)
        .spawn(move || {
            let (outcome, peak) = peak_during(|| run(&definition_text, &input_text, limits));
            let _ = sender.send(());
            (outcome, peak)
        })
        .expect("a thread");
    match receiver.recv_timeout(WATCHDOG) {
        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => {}
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "the execution did not close within {WATCHDOG:?} of wall-clock time \
             ({limits:?})\ndefinition: {definition}\ninput: {input}"
        ),
    }
    let (outcome, peak) = match runner.join() {
        Ok(result) => result,
        Err(panic) => {
            eprintln!("definition: {definition}\ninput: {input}\nlimits: {limits:?}");
            std::panic::resume_unwind(panic)
        }
    };
    if let Err(broken) = outcome {
        panic!("{broken}\nlimits: {limits:?}\ndefinition: {definition}\ninput: {input}");
    }
    if let Some(peak) = peak {
        let allowance = memory_allowance(&limits, definition.len() + input.len());
        assert!(
            peak <= allowance,
            "the run took {peak} bytes of heap, more than the {allowance} allowed by {limits:?}\n\
             definition: {definition}\ninput: {input}"
        );
    }
}

/// One run, on a runtime of its own; `Err` names the invariant broken.
fn run(definition: &str, input: &str, limits: EngineLimits) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime");
    let result = runtime.block_on(async {
        let engine = LocalEngine::builder()
            .clock(Clock::virtual_from(datetime!(2024-01-01 0:00 UTC)))
            .limits(limits)
            .build();
        engine.register_handler(LAMBDA, |input, _context| handle(input));
        run_on(&engine, definition, input).await
    });
    // Executions still running (there should be none) end with the runtime.
    drop(runtime);
    result
}

/// Whether `text` is an input the engine must take: JSON within the
/// payload and depth limits.
fn acceptable_input(text: &str, limits: &EngineLimits) -> bool {
    text.len() <= limits.max_payload_bytes()
        && parse_json(text, limits.max_depth()).is_ok_and(|value| {
            let fits = measure(&value, limits.max_payload_bytes(), limits.max_depth()).is_ok();
            sfini_core::limits::drop_deep(value);
            fits
        })
}

async fn run_on(engine: &LocalEngine, definition: &str, input: &str) -> Result<(), String> {
    let limits = *engine.limits();
    let created = engine
        .create_state_machine(CreateStateMachineInput {
            name: "fuzzed".into(),
            definition: definition.into(),
            role_arn: "arn:aws:iam::123456789012:role/fuzz".into(),
            ..Default::default()
        })
        .await;
    let machine = match created {
        Ok(created) => created.state_machine_arn,
        Err(refused) => {
            if refused.code() != "InvalidDefinition" {
                return Err(format!("a definition refused with {refused}"));
            }
            return Ok(());
        }
    };
    if !check_json(definition).diagnostics.is_valid() {
        return Err("an invalid definition was taken".into());
    }
    let started = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine,
            input: Some(input.into()),
            ..Default::default()
        })
        .await;
    let execution = match started {
        Ok(started) => started.execution_arn,
        Err(refused) => {
            if refused.code() != "InvalidExecutionInput" {
                return Err(format!("an input refused with {refused}"));
            }
            if acceptable_input(input, &limits) {
                return Err(format!("an input within the limits refused: {refused}"));
            }
            return Ok(());
        }
    };
    let done = engine
        .wait_for_execution(&execution)
        .await
        .map_err(|error| format!("waiting: {error}"))?;
    check_closed(engine, &execution, &done).await
}

/// The history of a closed execution, every page of it.
async fn history(engine: &LocalEngine, execution: &str) -> Result<Vec<HistoryEvent>, String> {
    let mut events = Vec::new();
    let mut next_token = None;
    loop {
        let page = engine
            .get_execution_history(GetExecutionHistoryInput {
                execution_arn: execution.into(),
                max_results: 1000,
                next_token,
                ..Default::default()
            })
            .await
            .map_err(|error| format!("reading the history: {error}"))?;
        events.extend(page.events);
        next_token = page.next_token;
        if next_token.is_none() {
            return Ok(events);
        }
    }
}

/// Checks that a text of the history or the description is JSON within
/// the payload and depth limits.
fn check_payload(what: &str, text: &str, limits: &EngineLimits) -> Result<(), String> {
    if text.len() > limits.max_payload_bytes() {
        return Err(format!(
            "{what} has {} bytes, over the payload limit",
            text.len()
        ));
    }
    match parse_json(text, limits.max_depth()) {
        Ok(value) => {
            sfini_core::limits::drop_deep(value);
            Ok(())
        }
        Err(error) => Err(format!(
            "{what} is not JSON within the depth limit: {error}"
        )),
    }
}

const CLOSING: &[&str] = &[
    "ExecutionSucceeded",
    "ExecutionFailed",
    "ExecutionAborted",
    "ExecutionTimedOut",
];

async fn check_closed(
    engine: &LocalEngine,
    execution: &str,
    done: &DescribeExecutionOutput,
) -> Result<(), String> {
    let limits = *engine.limits();
    let closing = match done.status {
        ExecutionStatus::Succeeded => "ExecutionSucceeded",
        ExecutionStatus::Failed => "ExecutionFailed",
        ExecutionStatus::Aborted => "ExecutionAborted",
        ExecutionStatus::TimedOut => "ExecutionTimedOut",
        other => return Err(format!("waited for, but {other:?}")),
    };
    if let Some(output) = &done.output {
        check_payload("the execution's output", output, &limits)?;
    }
    let events = history(engine, execution).await?;
    let count = events.len();
    if count > limits.max_history_events() as usize {
        return Err(format!("{count} events, over the history limit"));
    }
    let names: Vec<String> = events
        .iter()
        .map(|event| event.event_type().as_str().to_string())
        .collect();
    if names.first().map(String::as_str) != Some("ExecutionStarted") {
        return Err(format!("the history starts with {:?}", names.first()));
    }
    if names.last().map(String::as_str) != Some(closing) {
        return Err(format!(
            "{:?} but the history ends with {:?}",
            done.status,
            names.last()
        ));
    }
    if let Some(early) = names[..count - 1]
        .iter()
        .position(|name| CLOSING.contains(&name.as_str()))
    {
        return Err(format!(
            "{} at event {} of {count}",
            names[early],
            early + 1
        ));
    }
    let at_the_limit = done.error.as_deref() == Some("States.Runtime")
        && done
            .cause
            .as_deref()
            .is_some_and(|cause| cause.contains("maximum number of history events"));
    if at_the_limit && count != limits.max_history_events() as usize {
        return Err(format!("failed at the history limit with {count} events"));
    }
    for (index, event) in events.iter().enumerate() {
        if event.id != index as i64 + 1 {
            return Err(format!("event {} has the id {}", index + 1, event.id));
        }
        if event.previous_event_id < 0 || event.previous_event_id >= event.id {
            return Err(format!(
                "event {} follows event {}",
                event.id, event.previous_event_id
            ));
        }
        if index > 0 && event.timestamp < events[index - 1].timestamp {
            return Err(format!("event {} goes back in time", event.id));
        }
        if let Some((_, Value::Object(details))) = event.details.to_json() {
            for field in ["input", "output", "parameters"] {
                if let Some(Value::String(text)) = details.get(field) {
                    let what = format!("the {field} of event {} ({})", event.id, names[index]);
                    check_payload(&what, text, &limits)?;
                }
            }
        }
    }
    Ok(())
}
