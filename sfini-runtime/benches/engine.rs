//! Speed of the local engine: state transitions per second, and starting
//! many executions that wait on an activity.

mod common;

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sfini_runtime::api::*;
use sfini_runtime::local::LocalEngine;

/// Iterations of the loop machine per execution.
const ITERATIONS: u64 = 10_000;
/// Executions started by the waiting benchmark.
const WAITING: usize = 10_000;

fn transitions(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let engine = LocalEngine::new();
    let machine = runtime.block_on(common::create(&engine, "loop", &common::loop_machine()));
    let input = format!(r#"{{"i": 0, "n": {ITERATIONS}}}"#);
    let mut group = c.benchmark_group("transitions");
    // Three states per iteration and the final Succeed state.
    group.throughput(Throughput::Elements(3 * ITERATIONS + 1));
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("loop_pass_pass_choice", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let execution = common::start(&engine, &machine, &input).await;
                let done = engine
                    .wait_for_execution(&execution)
                    .await
                    .expect("it ends");
                assert_eq!(done.status, ExecutionStatus::Succeeded);
            })
        })
    });
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

criterion_group!(benches, transitions, waiting);
criterion_main!(benches);
