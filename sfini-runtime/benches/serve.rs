//! The local engine served over HTTP (`sfini_runtime::serve`): calls per
//! second the endpoint holds on kept-alive connections, and the throughput
//! of a worker serving a no-op activity through the AWS engine
//! (aws-sdk-sfn) over HTTP, against a plain boto3 polling loop
//! (`boto3_worker.py`, in the venv of `scripts/test-env.sh`) on the same
//! endpoint in the same run.
//!
//! `cargo bench -p sfini-runtime --features serve,aws --bench serve`

#[path = "support/noop.rs"]
mod noop;

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sfini_runtime::api::*;
use sfini_runtime::aws::AwsEngine;
use sfini_runtime::local::LocalEngine;
use sfini_runtime::serve::Server;
use sfini_runtime::worker::WorkerBuilder;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use noop::NOOP;

const ROLE: &str = "arn:aws:iam::123456789012:role/bench";
/// The most executions open at once while tasks are served.
const WINDOW: usize = 256;

/// How much to measure: `cargo bench` passes `--bench`; `cargo test
/// --benches` runs each part once, small, to check that it works.
#[derive(Clone, Copy)]
struct Sizes {
    /// Measured runs per configuration; the median is reported.
    runs: usize,
    /// Calls per run of the call benchmarks.
    calls: usize,
    /// Tasks per run of the worker benchmarks.
    tasks: usize,
}

/// An HTTP/1.1 client on one kept-alive connection.
struct Client {
    stream: BufReader<TcpStream>,
    line: String,
    body: Vec<u8>,
}

impl Client {
    async fn connect(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).await.expect("the server accepts");
        stream.set_nodelay(true).expect("no delay");
        Client {
            stream: BufReader::new(stream),
            line: String::new(),
            body: Vec::new(),
        }
    }

    async fn call(&mut self, operation: &str, body: &str) -> Value {
        let request = format!(
            "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSStepFunctions.{operation}\r\n\
             Content-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let stream = self.stream.get_mut();
        stream.write_all(request.as_bytes()).await.expect("sent");
        let mut length = 0;
        let mut status_line = true;
        loop {
            self.line.clear();
            self.stream.read_line(&mut self.line).await.expect("a line");
            let line = self.line.trim_end();
            if status_line {
                assert!(line.starts_with("HTTP/1.1 200"), "{line}");
                status_line = false;
            } else if line.is_empty() {
                break;
            } else if let Some(value) = line.strip_prefix("content-length: ") {
                length = value.parse().expect("a length");
            }
        }
        self.body.resize(length, 0);
        self.stream
            .read_exact(&mut self.body)
            .await
            .expect("a body");
        serde_json::from_slice(&self.body).expect("JSON")
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Calls per second of `DescribeActivity` over `connections` kept-alive
/// connections.
async fn calls(addr: SocketAddr, activity: &str, connections: usize, total: usize) -> f64 {
    let body = json!({"activityArn": activity}).to_string();
    let per_connection = total / connections;
    let started = Instant::now();
    let mut clients = Vec::new();
    for _ in 0..connections {
        let body = body.clone();
        clients.push(tokio::spawn(async move {
            let mut client = Client::connect(addr).await;
            for _ in 0..per_connection {
                let described = client.call("DescribeActivity", &body).await;
                assert_eq!(described["name"], "bench");
            }
        }));
    }
    for client in clients {
        client.await.expect("no panic");
    }
    (per_connection * connections) as f64 / started.elapsed().as_secs_f64()
}

/// Who serves the tasks.
#[derive(Clone, Copy, Debug)]
enum Serving {
    /// sfini's worker through the AWS engine, with this concurrency and
    /// as many pollers.
    Worker(usize),
    /// `boto3_worker.py` with this many threads.
    Boto3(usize),
}

/// The Python of the venv that `scripts/test-env.sh` makes at
/// `<workspace>/target/test-venv`, wherever cargo builds.
fn python() -> PathBuf {
    let python = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/test-venv/bin/python"
    ));
    assert!(
        python.exists(),
        "the boto3 baseline needs the venv at {}: run `bash scripts/test-env.sh`",
        python.display()
    );
    python
}

/// Tasks per second `server` serves from the served engine: timed from
/// the first execution started (once the server is ready) to the last one
/// closed, with at most [`WINDOW`] open at once.
async fn tasks(engine: &LocalEngine, url: &str, server: Serving, tasks: usize, run: usize) -> f64 {
    let label = match server {
        Serving::Worker(concurrency) => format!("worker-{concurrency}-{run}"),
        Serving::Boto3(threads) => format!("boto3-{threads}-{run}"),
    };
    let activity = engine
        .create_activity(CreateActivityInput {
            name: format!("{label}-noop"),
            ..Default::default()
        })
        .await
        .expect("created")
        .activity_arn;
    let machine = engine
        .create_state_machine(CreateStateMachineInput {
            name: format!("noop-{label}"),
            definition: json!({"StartAt": "work", "States": {"work": {
                "Type": "Task", "Resource": activity, "End": true
            }}})
            .to_string(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await
        .expect("created")
        .state_machine_arn;

    let (worker, mut python) = match server {
        Serving::Worker(concurrency) => {
            let api = Arc::new(AwsEngine::for_endpoint(url));
            let worker = WorkerBuilder::new(api)
                .activity_prefix(format!("{label}-"))
                .definition(&NOOP)
                .concurrency(concurrency)
                .pollers(concurrency)
                .name("bench")
                .start()
                .await
                .expect("the worker starts");
            (Some(worker), None)
        }
        Serving::Boto3(threads) => {
            let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/boto3_worker.py");
            let mut child = Command::new(python())
                .arg(script)
                .args(["--endpoint", url, "--activity-arn", &activity])
                .args(["--threads", &threads.to_string()])
                .stdout(Stdio::piped())
                .spawn()
                .expect("python runs");
            let mut ready = String::new();
            std::io::BufReader::new(child.stdout.take().expect("piped"))
                .read_line(&mut ready)
                .expect("the script says when it is ready");
            assert_eq!(ready.trim(), "ready", "boto3_worker.py did not start");
            (None, Some(child))
        }
    };

    let started = Instant::now();
    let mut open = std::collections::VecDeque::with_capacity(WINDOW);
    for _ in 0..tasks {
        if open.len() == WINDOW {
            let oldest: String = open.pop_front().expect("open");
            closed(engine, &oldest).await;
        }
        let execution = engine
            .start_execution(StartExecutionInput {
                state_machine_arn: machine.clone(),
                input: Some("{}".into()),
                ..Default::default()
            })
            .await
            .expect("started");
        open.push_back(execution.execution_arn);
    }
    for execution in open {
        closed(engine, &execution).await;
    }
    let rate = tasks as f64 / started.elapsed().as_secs_f64();

    if let Some(worker) = worker {
        let stats = worker.shutdown().await.expect("the worker stops");
        assert_eq!(stats.succeeded, tasks as u64, "{stats:?}");
    }
    if let Some(child) = &mut python {
        let _ = child.kill();
        let _ = child.wait();
    }
    rate
}

/// Waits until the execution has succeeded.
async fn closed(engine: &LocalEngine, execution: &str) {
    let done = engine.wait_for_execution(execution).await.expect("exists");
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
}

fn main() {
    let sizes = if std::env::args().any(|arg| arg == "--bench") {
        Sizes {
            runs: 5,
            calls: 20_000,
            tasks: 5_000,
        }
    } else {
        Sizes {
            runs: 1,
            calls: 64,
            tasks: 64,
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        // Polls held 200 ms, so that a worker stops soon after its run.
        let engine = LocalEngine::builder()
            .activity_poll_wait(Duration::from_millis(200))
            .build();
        let server = Server::bind("127.0.0.1:0", Arc::new(engine.clone()))
            .await
            .expect("a port");
        let addr = server.local_addr();
        let url = format!("http://{addr}");
        tokio::spawn(server.serve());
        let activity = engine
            .create_activity(CreateActivityInput {
                name: "bench".into(),
                ..Default::default()
            })
            .await
            .expect("created")
            .activity_arn;

        println!(
            "DescribeActivity over kept-alive connections: {} calls per run, median of {} runs",
            sizes.calls, sizes.runs
        );
        for connections in [1, 8, 64] {
            let mut results = Vec::new();
            for _ in 0..sizes.runs {
                results.push(calls(addr, &activity, connections, sizes.calls).await);
            }
            let rate = median(results);
            println!("  {connections:>2} connection(s): {rate:>9.0} calls/s");
        }

        println!(
            "No-op activity served over HTTP: {} executions per run, at most {WINDOW} open, \
             median of {} runs",
            sizes.tasks, sizes.runs
        );
        for concurrency in [1, 64] {
            let servers = [Serving::Worker(concurrency), Serving::Boto3(concurrency)];
            let mut measured = [Vec::new(), Vec::new()];
            // Turns, so that a slow moment of the machine falls on both.
            for run in 0..sizes.runs {
                for (server, results) in servers.iter().zip(&mut measured) {
                    results.push(tasks(&engine, &url, *server, sizes.tasks, run).await);
                }
            }
            let [worker, boto3] = measured.map(median);
            println!(
                "  concurrency {concurrency:>2}: sfini worker (aws-sdk-sfn) {worker:>7.0} tasks/s, \
                 boto3 loop × {concurrency} {boto3:>7.0} tasks/s: {:.2}×",
                worker / boto3
            );
        }
    });
}
