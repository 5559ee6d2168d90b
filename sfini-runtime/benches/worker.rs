//! Throughput of a worker serving a no-op activity on the local engine, and
//! the process CPU time per task, against the bare poll/report loop that
//! `examples/support` runs (no worker) at the same concurrency.
//!
//! `cargo bench -p sfini-runtime --bench worker`

#[path = "support/noop.rs"]
mod noop;

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sfini_runtime::activity::{
    ActivityContext, Cancellation, HeartbeatError, HeartbeatFuture, HeartbeatSender,
};
use sfini_runtime::api::*;
use sfini_runtime::local::LocalEngine;
use sfini_runtime::worker::WorkerBuilder;

use noop::NOOP;

const ROLE: &str = "arn:aws:iam::123456789012:role/bench";
/// Tasks per measured run.
const TASKS: usize = 50_000;
/// Measured runs per configuration; the median is reported.
const RUNS: usize = 7;
/// The most executions open at once.
const WINDOW: usize = 256;

/// Who serves the tasks.
#[derive(Clone, Copy, Debug)]
enum Server {
    /// A worker with this concurrency and pollers.
    Worker { concurrency: usize, pollers: usize },
    /// This many bare loops, each polling, running the task and reporting
    /// it in turn.
    Bare { loops: usize },
}

impl Server {
    fn label(self) -> String {
        match self {
            Server::Worker {
                concurrency,
                pollers,
            } => format!("worker, concurrency {concurrency}, {pollers} pollers"),
            Server::Bare { loops } => format!("bare loop × {loops}"),
        }
    }
}

/// One measured run.
struct Run {
    elapsed: Duration,
    cpu: Duration,
}

/// The process's CPU time (user and system) so far.
fn cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
    // SAFETY: getrusage writes a whole `rusage` into the pointer it is given
    // and reads nothing from it; RUSAGE_SELF is always a valid target.
    let usage = unsafe {
        let status = libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        assert_eq!(status, 0, "getrusage failed");
        usage.assume_init()
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Starts `tasks` executions, keeping at most [`WINDOW`] of them open at
/// once, and serves their tasks with `server`; timed from the first start
/// to the last close.
async fn measure(server: Server, tasks: usize) -> Run {
    let engine = LocalEngine::new();
    let activity = engine
        .create_activity(CreateActivityInput {
            name: "noop".into(),
            ..Default::default()
        })
        .await
        .expect("the activity is created")
        .activity_arn;
    let machine = engine
        .create_state_machine(CreateStateMachineInput {
            name: "noop".into(),
            definition: json!({"StartAt": "work", "States": {"work": {
                "Type": "Task", "Resource": activity, "End": true
            }}})
            .to_string(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await
        .expect("the machine is valid")
        .state_machine_arn;
    let api: Arc<LocalEngine> = Arc::new(engine.clone());
    let (worker, loops) = match server {
        Server::Worker {
            concurrency,
            pollers,
        } => {
            let worker = WorkerBuilder::new(api.clone())
                .definition(&NOOP)
                .concurrency(concurrency)
                .pollers(pollers)
                .name("bench")
                .start()
                .await
                .expect("the worker starts");
            (Some(worker), Vec::new())
        }
        Server::Bare { loops } => (
            None,
            (0..loops)
                .map(|_| tokio::spawn(bare_loop(api.clone(), activity.clone())))
                .collect(),
        ),
    };

    let cpu_before = cpu_time();
    let started = Instant::now();
    let mut open: VecDeque<String> = VecDeque::with_capacity(WINDOW);
    for n in 0..tasks {
        if open.len() == WINDOW
            && let Some(oldest) = open.pop_front()
        {
            closed(&engine, &oldest).await;
        }
        open.push_back(
            engine
                .start_execution(StartExecutionInput {
                    state_machine_arn: machine.clone(),
                    input: Some(format!(r#"{{"n":{n}}}"#)),
                    ..Default::default()
                })
                .await
                .expect("the execution starts")
                .execution_arn,
        );
    }
    for execution in &open {
        closed(&engine, execution).await;
    }
    let elapsed = started.elapsed();
    let cpu = cpu_time() - cpu_before;

    if let Some(worker) = worker {
        let stats = worker.shutdown().await.expect("the worker stops");
        assert_eq!(stats.succeeded, tasks as u64);
    }
    for bare in loops {
        bare.abort();
    }
    Run { elapsed, cpu }
}

/// Waits until the execution has succeeded.
async fn closed(engine: &LocalEngine, execution: &str) {
    let done = engine
        .wait_for_execution(execution)
        .await
        .expect("the execution exists");
    assert_eq!(done.status, ExecutionStatus::Succeeded);
}

/// The loop of `examples/support`: poll, run the activity through its
/// definition, report; one task at a time.
async fn bare_loop(engine: Arc<LocalEngine>, activity: String) {
    let heartbeats: Arc<dyn HeartbeatSender> = Arc::new(Heartbeats(engine.clone()));
    loop {
        let Ok(task) = engine
            .get_activity_task(GetActivityTaskInput {
                activity_arn: activity.clone(),
                worker_name: Some("bare".into()),
            })
            .await
        else {
            continue;
        };
        let (Some(token), Some(input)) = (task.task_token, task.input) else {
            continue;
        };
        let input = serde_json::from_str(&input).unwrap_or(Value::Null);
        let context = ActivityContext::new(token.clone(), heartbeats.clone(), Cancellation::new());
        let _ = match (NOOP.run)(input, context).await {
            Ok(output) => engine
                .send_task_success(SendTaskSuccessInput {
                    task_token: token,
                    output: output.to_string(),
                })
                .await
                .map(drop),
            Err(failure) => engine
                .send_task_failure(SendTaskFailureInput {
                    task_token: token,
                    error: Some(failure.error),
                    cause: Some(failure.cause),
                })
                .await
                .map(drop),
        };
    }
}

struct Heartbeats(Arc<LocalEngine>);

impl HeartbeatSender for Heartbeats {
    fn send_heartbeat<'a>(&'a self, task_token: &'a str) -> HeartbeatFuture<'a> {
        Box::pin(async move {
            self.0
                .send_task_heartbeat(SendTaskHeartbeatInput {
                    task_token: task_token.into(),
                })
                .await
                .map(drop)
                .map_err(|error| HeartbeatError::Unsent(error.to_string()))
        })
    }
}

/// The median of `runs`: throughput in tasks per second, and CPU time per
/// task.
fn median(mut runs: Vec<Run>, tasks: usize) -> (f64, Duration) {
    runs.sort_by_key(|run| run.elapsed);
    let rate = tasks as f64 / runs[runs.len() / 2].elapsed.as_secs_f64();
    let mut cpu: Vec<Duration> = runs.iter().map(|run| run.cpu).collect();
    cpu.sort();
    (rate, cpu[cpu.len() / 2] / tasks as u32)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs a small check.
    let bench = std::env::args().any(|arg| arg == "--bench");
    let (tasks, runs) = if bench { (TASKS, RUNS) } else { (200, 1) };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .expect("a tokio runtime");
    let servers = [
        Server::Bare { loops: 1 },
        Server::Worker {
            concurrency: 1,
            pollers: 1,
        },
        Server::Bare { loops: 64 },
        Server::Worker {
            concurrency: 64,
            pollers: 8,
        },
        Server::Worker {
            concurrency: 64,
            pollers: 64,
        },
    ];
    // One untimed run of each first, so that the process has grown to its
    // working size; then the servers take turns, so that a slow moment of
    // the machine falls on all of them alike.
    for server in servers {
        runtime.block_on(measure(server, tasks));
    }
    let mut measured: Vec<Vec<Run>> = servers.iter().map(|_| Vec::new()).collect();
    for _ in 0..runs {
        for (server, runs) in servers.iter().zip(&mut measured) {
            runs.push(runtime.block_on(measure(*server, tasks)));
        }
    }
    println!(
        "no-op activity on the local engine: {tasks} executions per run, at most {WINDOW} open \
         at once, median of {runs} runs"
    );
    println!(
        "{:<38} {:>12} {:>14} {:>10}",
        "server", "tasks/s", "CPU µs/task", "vs bare"
    );
    let mut bare_rate = f64::NAN;
    for (server, runs) in servers.iter().zip(measured) {
        let (rate, cpu) = median(runs, tasks);
        if let Server::Bare { .. } = server {
            bare_rate = rate;
        }
        println!(
            "{:<38} {:>12.0} {:>14.1} {:>9.2}×",
            server.label(),
            rate,
            cpu.as_secs_f64() * 1e6,
            rate / bare_rate
        );
    }
}
