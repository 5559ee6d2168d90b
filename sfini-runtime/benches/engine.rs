//! Speed of the local engine: state transitions per second, and starting
//! many executions that wait on an activity; then the same loop on moto's
//! server (`tests/differential/harness.py --loop`), in the same run, with
//! the ratio of the two rates.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group};
use sfini_runtime::api::*;
use sfini_runtime::local::{EngineLimits, LocalEngine};

/// Iterations of the loop machine per execution.
const ITERATIONS: u64 = 10_000;
/// Executions started by the waiting benchmark.
const WAITING: usize = 10_000;

fn transitions(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let input = format!(r#"{{"i": 0, "n": {ITERATIONS}}}"#);
    // Three states per iteration and the final Succeed state; the JSONata
    // loop starts with a state that assigns its variables.
    let loops = [
        (
            "loop_pass_pass_choice",
            common::loop_machine(),
            3 * ITERATIONS + 1,
        ),
        (
            "loop_jsonata_assign",
            common::jsonata_loop_machine(),
            3 * ITERATIONS + 2,
        ),
    ];
    for (name, definition, transitions) in loops {
        let mut group = c.benchmark_group("transitions");
        group.throughput(Throughput::Elements(transitions));
        group
            .sample_size(20)
            .measurement_time(Duration::from_secs(10));
        group.bench_function(name, |b| {
            // Each execution runs on an engine of its own, made and dropped
            // outside the timing: an engine keeps every execution's history,
            // and hundreds of these (6 MB each) would otherwise pile up in one.
            b.iter_batched(
                || {
                    let engine = unlimited_history();
                    let machine = runtime.block_on(common::create(&engine, "loop", &definition));
                    (engine, machine)
                },
                |(engine, machine)| {
                    runtime.block_on(async {
                        let execution = common::start(&engine, &machine, &input).await;
                        let done = engine
                            .wait_for_execution(&execution)
                            .await
                            .expect("it ends");
                        assert_eq!(done.status, ExecutionStatus::Succeeded);
                        if name == "loop_jsonata_assign" {
                            let counted = ITERATIONS.to_string();
                            assert_eq!(done.output.as_deref(), Some(counted.as_str()));
                        }
                    });
                    engine
                },
                BatchSize::PerIteration,
            )
        });
        group.finish();
    }
}

/// An engine whose limits hold what the benchmarks make: the loop's 60,004
/// events and the Map's 400,000 and more are past AWS's 25,000, and the
/// Map's 100,000 items (589 KB) past its 256 KiB payload.
fn unlimited_history() -> LocalEngine {
    LocalEngine::builder()
        .limits(
            EngineLimits::default()
                .history_events(u32::MAX)
                .payload_bytes(4 << 20),
        )
        .build()
}

/// Items of the Map benchmarks.
const MAP_ITEMS: [usize; 2] = [10_000, 100_000];

/// An inline Map over `$` whose processor is one Pass state, with a
/// MaxConcurrency (0: none).
fn map_machine(concurrency: u64) -> serde_json::Value {
    serde_json::json!({
        "StartAt": "map",
        "States": {"map": {
            "Type": "Map",
            "MaxConcurrency": concurrency,
            "ItemProcessor": {
                "StartAt": "item",
                "States": {"item": {"Type": "Pass", "End": true}}
            },
            "End": true
        }}
    })
}

fn map(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let mut group = c.benchmark_group("map");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for items in MAP_ITEMS {
        let input =
            serde_json::Value::Array((0..items).map(serde_json::Value::from).collect()).to_string();
        group.throughput(Throughput::Elements(items as u64));
        for concurrency in [0, 40] {
            let name = match concurrency {
                0 => format!("inline_{items}_items"),
                _ => format!("inline_{items}_items_max_concurrency_{concurrency}"),
            };
            group.bench_function(name, |b| {
                b.iter_batched(
                    || {
                        let engine = unlimited_history();
                        let machine = runtime.block_on(common::create(
                            &engine,
                            "map",
                            &map_machine(concurrency),
                        ));
                        (engine, machine)
                    },
                    |(engine, machine)| {
                        runtime.block_on(async {
                            let execution = common::start(&engine, &machine, &input).await;
                            let done = engine
                                .wait_for_execution(&execution)
                                .await
                                .expect("it ends");
                            assert_eq!(done.status, ExecutionStatus::Succeeded);
                        });
                        engine
                    },
                    BatchSize::PerIteration,
                )
            });
        }
    }
    group.finish();
}

fn waiting(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let mut group = c.benchmark_group("executions");
    group.throughput(Throughput::Elements(WAITING as u64));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("start_10000_waiting_on_an_activity", |b| {
        b.iter_with_large_drop(|| {
            runtime.block_on(async {
                let engine = LocalEngine::new();
                let activity = engine
                    .create_activity(CreateActivityInput {
                        name: "work".into(),
                        ..Default::default()
                    })
                    .await
                    .expect("the activity");
                let machine = common::create(&engine, "waiting", &common::waiting_machine()).await;
                for _ in 0..WAITING {
                    common::start(&engine, &machine, "{}").await;
                }
                // Until every execution has queued its activity task.
                while engine.queued_activity_tasks(&activity.activity_arn) < WAITING {
                    tokio::task::yield_now().await;
                }
                engine
            })
        })
    });
    group.finish();
}

/// Iterations of the loop in the comparison with moto (moto runs about
/// 1,500 transitions a second: a few seconds).
const MOTO_ITERATIONS: u64 = 1_000;
/// Executions of the same loop on the local engine in the comparison.
const ENGINE_RUNS: usize = 101;
/// The comparison's name, matched by a filter as criterion's are.
const MOTO_ID: &str = "moto/loop_pass_pass_choice";

/// The loop machine on moto's server and on the local engine, at the same
/// number of iterations, each rate computed as the harness computes it:
/// `…StateEntered` events over the execution's stop date less its start
/// date (as each engine reports them).
fn moto_comparison() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    if !selected(&arguments, MOTO_ID) {
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let python = root.join("target/test-venv/bin/python");
    if !python.exists() {
        println!(
            "{MOTO_ID}: skipped, moto's venv is missing ({}): run bash scripts/test-env.sh",
            python.display()
        );
        return;
    }
    let output = Command::new(&python)
        .arg(root.join("tests/differential/harness.py"))
        .args(["--loop", &MOTO_ITERATIONS.to_string(), "--timeout", "600"])
        .current_dir(&root)
        .output()
        .expect("the harness runs");
    let document: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
            panic!(
                "harness.py --loop printed no JSON ({error}): {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    let moto = &document["loop"];
    let Some(moto_rate) = moto["transitions_per_second"].as_f64() else {
        panic!("harness.py --loop failed: {document}");
    };
    let transitions = 3 * MOTO_ITERATIONS + 1;
    assert_eq!(moto["state_transitions"], transitions, "{document}");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let mut rates: Vec<f64> = runtime.block_on(async {
        let engine = LocalEngine::new();
        let machine = common::create(&engine, "loop-benchmark", &common::loop_machine()).await;
        let input = format!(r#"{{"i": 0, "n": {MOTO_ITERATIONS}}}"#);
        let mut rates = Vec::with_capacity(ENGINE_RUNS);
        for _ in 0..ENGINE_RUNS {
            let execution = common::start(&engine, &machine, &input).await;
            let done = engine
                .wait_for_execution(&execution)
                .await
                .expect("it ends");
            assert_eq!(done.status, ExecutionStatus::Succeeded);
            let stop = done.stop_date.expect("a closed execution has a stop date");
            let seconds = (stop - done.start_date).as_seconds_f64();
            rates.push(transitions as f64 / seconds);
        }
        rates
    });
    rates.sort_by(f64::total_cmp);
    let engine_rate = rates[rates.len() / 2];
    println!(
        "{MOTO_ID}: {}: {transitions} transitions in {:.3} s: {moto_rate:.0} transitions/s",
        document["engine"].as_str().unwrap_or("moto"),
        moto["engine_seconds"].as_f64().unwrap_or(f64::NAN),
    );
    println!(
        "{MOTO_ID}: local engine: {engine_rate:.0} transitions/s (median of {ENGINE_RUNS} executions of the same loop)"
    );
    println!(
        "{MOTO_ID}: the local engine runs the loop {:.0} times as fast as moto",
        engine_rate / moto_rate
    );
}

/// True when the command line selects the benchmark `id`: no filter, or a
/// filter contained in `id`; not when criterion only lists or tests (as
/// under `cargo test --benches`, which does not pass `--bench`).
fn selected(arguments: &[String], id: &str) -> bool {
    const WITH_VALUE: &[&str] = &[
        "--measurement-time",
        "--warm-up-time",
        "--sample-size",
        "--save-baseline",
        "--baseline",
        "--baseline-lenient",
        "--load-baseline",
        "--profile-time",
        "--output-format",
        "--color",
        "--plotting-backend",
        "--noise-threshold",
        "--confidence-level",
        "--significance-level",
        "--nresamples",
        "--format",
    ];
    if !arguments.iter().any(|argument| argument == "--bench")
        || arguments
            .iter()
            .any(|argument| matches!(argument.as_str(), "--test" | "--list" | "--profile-time"))
    {
        return false;
    }
    let mut filters = Vec::new();
    let mut skip_value = false;
    for argument in arguments {
        if skip_value {
            skip_value = false;
        } else if WITH_VALUE.contains(&argument.as_str()) {
            skip_value = true;
        } else if !argument.starts_with('-') {
            filters.push(argument.as_str());
        }
    }
    filters.is_empty() || filters.iter().any(|filter| id.contains(filter))
}

criterion_group!(benches, transitions, map, waiting);

fn main() {
    benches();
    moto_comparison();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
