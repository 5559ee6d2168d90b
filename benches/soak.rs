//! Soak: `sfini local serve` under mixed load for minutes, hostile
//! definitions among ordinary work, reporting the server's resident memory
//! and the latency of a probe request over time.
//!
//! ```sh
//! cargo bench --bench soak                   # 180 s
//! SOAK_SECONDS=600 cargo bench --bench soak  # longer
//! SOAK_RETAIN_CLOSED=1000 cargo bench --bench soak  # keep 1,000 closed executions
//! SOAK_RETAIN_CLOSED=all cargo bench --bench soak   # keep every one
//! ```
//!
//! `SOAK_RETAIN_CLOSED` is the server's `--retain-closed-executions` (its
//! default, 10,000, when unset; `all` for no bound): with a bound the
//! server's memory levels off once that many executions have closed,
//! without one it grows with every execution.
//!
//! Under `cargo test --benches` it runs for a few seconds, as a check that
//! the setup works.
//!
//! The server is the `sfini` binary, a process of its own (so that its
//! memory is its own), reached through aws-sdk-sfn over HTTP. The load, all
//! at once:
//!
//! - a worker serving the activity of an activity workflow, and a stream
//!   of those workflows, of Pass/Choice loops of 100 turns and of inline
//!   Maps over 50 items, at a steady rate;
//! - every second, one hostile execution in turn: a Pass/Choice cycle that
//!   never waits (ends at the 25,000-event history limit), Parameters that
//!   wrap the data deeper on each turn (ends at the depth limit), ten
//!   `States.Array` states that multiply the data tenfold each (ends at the
//!   payload limit), a template copying its 200 KB input 10,000 times, a
//!   path whose matches explode, and a StartExecution with 100,000 levels
//!   of nested input (refused at the door);
//! - a probe that asks `DescribeExecution` of an execution waiting for
//!   the whole run every 20 ms and times the answer.
//!
//! Every few seconds a line: the server's resident memory (VmRSS), the
//! probe's latencies over the interval (median, 99th percentile, worst), and
//! executions started and closed. At the end: that every ordinary execution
//! succeeded and every hostile one failed as it should.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sfini::runtime::api::*;
use sfini::runtime::aws::AwsEngine;
use tokio::sync::Mutex;

const ROLE: &str = "arn:aws:iam::123456789012:role/soak";

/// The server, killed when dropped.
struct Server {
    child: Child,
    endpoint: String,
}

impl Server {
    fn start(retain_closed: Option<&str>) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sfini"))
            .args(["local", "serve", "--port", "0", "--poll-wait", "1"])
            .args(
                retain_closed
                    .map(|count| ["--retain-closed-executions", count])
                    .iter()
                    .flatten(),
            )
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the sfini binary runs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("the server prints its address");
        let endpoint = line
            .trim()
            .strip_prefix("listening on ")
            .expect("the address line")
            .to_string();
        Server { child, endpoint }
    }

    /// Resident memory in KiB, from /proc (0 where there is none).
    fn resident_kib(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find_map(|line| line.strip_prefix("VmRSS:"))
                    .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            })
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn looping() -> Value {
    json!({
        "StartAt": "count",
        "States": {
            "count": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "check"},
            "check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThan": 100, "Next": "count"}], "Default": "done"},
            "done": {"Type": "Succeed"}
        }
    })
}

fn mapping() -> Value {
    json!({
        "StartAt": "map",
        "States": {"map": {
            "Type": "Map",
            "ItemProcessor": {"StartAt": "double", "States": {"double": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($, $)"}, "End": true}}},
            "End": true
        }}
    })
}

fn working(activity: &str) -> Value {
    json!({"StartAt": "work", "States": {"work": {"Type": "Task", "Resource": activity, "End": true}}})
}

fn spinning() -> Value {
    json!({
        "StartAt": "spin",
        "States": {
            "spin": {"Type": "Pass", "Next": "again"},
            "again": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": false, "Next": "spin"}], "Default": "done"},
            "done": {"Type": "Succeed"}
        }
    })
}

fn wrapping() -> Value {
    let mut parameters = json!({"d.$": "$"});
    for _ in 1..100 {
        parameters = json!({ "d": parameters });
    }
    json!({
        "StartAt": "wrap",
        "States": {
            "wrap": {"Type": "Pass", "Parameters": parameters, "Next": "loop"},
            "loop": {"Type": "Choice", "Choices": [{"Variable": "$.d", "IsPresent": true, "Next": "wrap"}], "Default": "done"},
            "done": {"Type": "Succeed"}
        }
    })
}

fn growing() -> Value {
    let mut states = serde_json::Map::new();
    for index in 0..10 {
        let mut state = json!({"Type": "Pass", "Parameters": {"x.$": "States.Array($.x, $.x, $.x, $.x, $.x, $.x, $.x, $.x, $.x, $.x)"}});
        if index < 9 {
            state["Next"] = json!(format!("grow{}", index + 1));
        } else {
            state["End"] = json!(true);
        }
        states.insert(format!("grow{index}"), state);
    }
    json!({"StartAt": "grow0", "States": states})
}

fn copying() -> Value {
    let mut parameters = serde_json::Map::new();
    for index in 0..10_000 {
        parameters.insert(format!("copy{index}.$"), json!("$"));
    }
    json!({"StartAt": "copies", "States": {"copies": {"Type": "Pass", "Parameters": parameters, "End": true}}})
}

fn exploding() -> Value {
    json!({"StartAt": "explode", "States": {"explode": {"Type": "Pass", "InputPath": "$..*..*..*..*..*..*", "End": true}}})
}

fn deep_object(levels: usize) -> Value {
    let mut value = json!(1);
    for _ in 0..levels {
        value = json!({ "a": value, "b": [1, 2] });
    }
    value
}

#[derive(Default)]
struct Counters {
    started: AtomicU64,
    closed_ok: AtomicU64,
    closed_wrong: AtomicU64,
    hostile_failed: AtomicU64,
    hostile_wrong: AtomicU64,
    refused: AtomicU64,
}

async fn create(engine: &AwsEngine, name: &str, definition: &Value) -> String {
    engine
        .create_state_machine(CreateStateMachineInput {
            name: name.into(),
            definition: definition.to_string(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await
        .expect("the machine is valid")
        .state_machine_arn
}

async fn start(engine: &AwsEngine, machine: &str, input: String) -> Result<String, SfnError> {
    engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.into(),
            input: Some(input),
            ..Default::default()
        })
        .await
        .map(|started| started.execution_arn)
}

async fn wait_closed(engine: &AwsEngine, execution: &str) -> DescribeExecutionOutput {
    loop {
        match engine
            .describe_execution(DescribeExecutionInput {
                execution_arn: execution.into(),
            })
            .await
        {
            Ok(described) if described.status != ExecutionStatus::Running => return described,
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn millis(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1_000.0)
}

fn main() {
    let benching = std::env::args().any(|argument| argument == "--bench");
    let seconds: u64 = std::env::var("SOAK_SECONDS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(if benching { 180 } else { 4 });
    let sample = Duration::from_secs(if benching { 10 } else { 1 });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let retain_closed = std::env::var("SOAK_RETAIN_CLOSED").ok().map(|count| {
        if count == "all" {
            u64::MAX.to_string()
        } else {
            count
        }
    });
    let server = Server::start(retain_closed.as_deref());
    let engine = Arc::new(AwsEngine::for_endpoint(server.endpoint.clone()));
    let counters = Arc::new(Counters::default());
    let latencies = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let all_latencies = Arc::new(Mutex::new(Vec::<Duration>::new()));
    println!(
        "soak: {seconds} s against {} (pid {}), keeping {} closed executions",
        server.endpoint,
        server.child.id(),
        match retain_closed.as_deref() {
            None => "the server's default number of".to_string(),
            Some(count) if count == u64::MAX.to_string() => "all".to_string(),
            Some(count) => count.to_string(),
        }
    );
    println!(
        "{:>6} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "time", "rss MiB", "p50 ms", "p99 ms", "max ms", "started", "closed"
    );
    let resident_at_start = server.resident_kib();
    let mut resident_peak = resident_at_start;

    runtime.block_on(async {
        let activity = engine
            .create_activity(CreateActivityInput {
                name: "soak".into(),
                ..Default::default()
            })
            .await
            .expect("the activity")
            .activity_arn;
        let ordinary = [
            (
                create(&engine, "working", &working(&activity)).await,
                json!({"n": 1}),
            ),
            (
                create(&engine, "looping", &looping()).await,
                json!({"i": 0}),
            ),
            (
                create(&engine, "mapping", &mapping()).await,
                json!((0..50).collect::<Vec<_>>()),
            ),
        ];
        let hostile: Vec<(String, String, &str)> = vec![
            (
                create(&engine, "spinning", &spinning()).await,
                "{}".into(),
                "States.Runtime",
            ),
            (
                create(&engine, "wrapping", &wrapping()).await,
                "{}".into(),
                "States.DataLimitExceeded",
            ),
            (
                create(&engine, "growing", &growing()).await,
                json!({"x": "x".repeat(1_000)}).to_string(),
                "States.DataLimitExceeded",
            ),
            (
                create(&engine, "copying", &copying()).await,
                json!({"blob": "z".repeat(200_000)}).to_string(),
                "States.DataLimitExceeded",
            ),
            (
                create(&engine, "exploding", &exploding()).await,
                deep_object(120).to_string(),
                "States.Runtime",
            ),
        ];
        // The probe's execution waits for the whole run: a running
        // execution is kept whatever the server's retention.
        let waiting = create(
            &engine,
            "waiting",
            &json!({"StartAt": "w", "States": {"w": {"Type": "Wait", "Seconds": 86_400, "End": true}}}),
        )
        .await;
        let probe_target = start(&engine, &waiting, "{}".to_string())
            .await
            .expect("the probe's execution");
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let mut handles = Vec::new();

        // The worker.
        {
            let engine = engine.clone();
            let activity = activity.clone();
            handles.push(tokio::spawn(async move {
                while Instant::now() < deadline + Duration::from_secs(2) {
                    let Ok(task) = engine
                        .get_activity_task(GetActivityTaskInput {
                            activity_arn: activity.clone(),
                            worker_name: Some("soak".into()),
                        })
                        .await
                    else {
                        continue;
                    };
                    if let Some(token) = task.task_token {
                        let _ = engine
                            .send_task_success(SendTaskSuccessInput {
                                task_token: token,
                                output: task.input.unwrap_or_else(|| "{}".into()),
                            })
                            .await;
                    }
                }
            }));
        }
        // Ordinary work, each execution followed to its end.
        let ordinary_runs = Arc::new(Mutex::new(Vec::new()));
        {
            let engine = engine.clone();
            let counters = counters.clone();
            let runs = ordinary_runs.clone();
            handles.push(tokio::spawn(async move {
                let mut turn = 0_usize;
                while Instant::now() < deadline {
                    let (machine, input) = &ordinary[turn % ordinary.len()];
                    turn += 1;
                    if let Ok(execution) = start(&engine, machine, input.to_string()).await {
                        counters.started.fetch_add(1, Ordering::Relaxed);
                        let engine = engine.clone();
                        let counters = counters.clone();
                        runs.lock().await.push(tokio::spawn(async move {
                            let done = wait_closed(&engine, &execution).await;
                            let counter = if done.status == ExecutionStatus::Succeeded {
                                &counters.closed_ok
                            } else {
                                eprintln!(
                                    "an ordinary execution ended {:?}: {:?} {:?}",
                                    done.status, done.error, done.cause
                                );
                                &counters.closed_wrong
                            };
                            counter.fetch_add(1, Ordering::Relaxed);
                        }));
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }));
        }
        // Hostile work, one a second.
        {
            let engine = engine.clone();
            let counters = counters.clone();
            let runs = ordinary_runs.clone();
            let pass = create(
                &engine,
                "pass",
                &json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}),
            )
            .await;
            handles.push(tokio::spawn(async move {
                let mut turn = 0_usize;
                let deep_input = "[".repeat(100_000) + &"]".repeat(100_000);
                while Instant::now() < deadline {
                    if turn % (hostile.len() + 1) == hostile.len() {
                        match start(&engine, &pass, deep_input.clone()).await {
                            Err(error) if error.code() == "InvalidExecutionInput" => {
                                counters.refused.fetch_add(1, Ordering::Relaxed);
                            }
                            other => {
                                eprintln!("deep input was not refused: {other:?}");
                                counters.hostile_wrong.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    } else {
                        let (machine, input, error) = &hostile[turn % (hostile.len() + 1)];
                        if let Ok(execution) = start(&engine, machine, input.clone()).await {
                            counters.started.fetch_add(1, Ordering::Relaxed);
                            let engine = engine.clone();
                            let counters = counters.clone();
                            let error = error.to_string();
                            runs.lock().await.push(tokio::spawn(async move {
                                let done = wait_closed(&engine, &execution).await;
                                if done.status == ExecutionStatus::Failed
                                    && done.error.as_deref() == Some(error.as_str())
                                {
                                    counters.hostile_failed.fetch_add(1, Ordering::Relaxed);
                                } else {
                                    eprintln!(
                                        "a hostile execution ended {:?}: {:?} {:?}",
                                        done.status, done.error, done.cause
                                    );
                                    counters.hostile_wrong.fetch_add(1, Ordering::Relaxed);
                                }
                            }));
                        }
                    }
                    turn += 1;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }));
        }
        // The probe.
        {
            let engine = engine.clone();
            let latencies = latencies.clone();
            let all = all_latencies.clone();
            handles.push(tokio::spawn(async move {
                while Instant::now() < deadline {
                    let asked = Instant::now();
                    let answered = engine
                        .describe_execution(DescribeExecutionInput {
                            execution_arn: probe_target.clone(),
                        })
                        .await;
                    let took = asked.elapsed();
                    assert!(answered.is_ok(), "the probe was not answered: {answered:?}");
                    latencies.lock().await.push(took);
                    all.lock().await.push(took);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }));
        }
        // The report.
        let begun = Instant::now();
        while Instant::now() < deadline {
            tokio::time::sleep(sample).await;
            let mut interval = std::mem::take(&mut *latencies.lock().await);
            interval.sort();
            let resident = server.resident_kib();
            resident_peak = resident_peak.max(resident);
            let closed = counters.closed_ok.load(Ordering::Relaxed)
                + counters.closed_wrong.load(Ordering::Relaxed)
                + counters.hostile_failed.load(Ordering::Relaxed)
                + counters.hostile_wrong.load(Ordering::Relaxed);
            println!(
                "{:>5}s {:>10.1} {:>9} {:>9} {:>9} {:>9} {:>9}",
                begun.elapsed().as_secs(),
                resident as f64 / 1024.0,
                millis(percentile(&interval, 0.5)),
                millis(percentile(&interval, 0.99)),
                millis(interval.last().copied().unwrap_or_default()),
                counters.started.load(Ordering::Relaxed),
                closed,
            );
        }
        for handle in handles {
            handle.await.expect("a load task");
        }
        let runs = std::mem::take(&mut *ordinary_runs.lock().await);
        for run in runs {
            run.await.expect("a follower");
        }
    });

    let mut all = std::mem::take(&mut *runtime.block_on(all_latencies.lock()));
    all.sort();
    let resident_at_end = server.resident_kib();
    println!(
        "probe: {} requests, p50 {} ms, p99 {} ms, p99.9 {} ms, worst {} ms",
        all.len(),
        millis(percentile(&all, 0.5)),
        millis(percentile(&all, 0.99)),
        millis(percentile(&all, 0.999)),
        millis(all.last().copied().unwrap_or_default())
    );
    println!(
        "server memory: {:.1} MiB at start, {:.1} MiB peak, {:.1} MiB at the end",
        resident_at_start as f64 / 1024.0,
        resident_peak.max(resident_at_end) as f64 / 1024.0,
        resident_at_end as f64 / 1024.0
    );
    let read = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
    println!(
        "executions: {} started; ordinary {} succeeded, {} not; hostile {} failed as they should, {} not; {} deep inputs refused",
        read(&counters.started),
        read(&counters.closed_ok),
        read(&counters.closed_wrong),
        read(&counters.hostile_failed),
        read(&counters.hostile_wrong),
        read(&counters.refused),
    );
    assert_eq!(
        read(&counters.closed_wrong),
        0,
        "ordinary executions failed"
    );
    assert_eq!(
        read(&counters.hostile_wrong),
        0,
        "hostile executions ended otherwise"
    );
    assert!(read(&counters.closed_ok) > 0);
}
