//! The local engine served over HTTP (`sfini_runtime::serve`): calls per
//! second on kept-alive connections, and activity tasks per second served
//! through `GetActivityTask`/`SendTaskSuccess` over HTTP against the same
//! loop calling the engine in process.
//!
//! `cargo bench -p sfini-runtime --features serve --bench serve`

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sfini_runtime::api::*;
use sfini_runtime::local::LocalEngine;
use sfini_runtime::serve::Server;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const ROLE: &str = "arn:aws:iam::123456789012:role/bench";
/// Measured runs per configuration; the median is reported.
const RUNS: usize = 5;
/// Calls per run of the call benchmarks.
const CALLS: usize = 20_000;
/// Tasks per run of the task benchmarks.
const TASKS: usize = 10_000;

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
async fn calls(addr: SocketAddr, activity: &str, connections: usize) -> f64 {
    let body = json!({"activityArn": activity}).to_string();
    let started = Instant::now();
    let mut clients = Vec::new();
    for _ in 0..connections {
        let body = body.clone();
        clients.push(tokio::spawn(async move {
            let mut client = Client::connect(addr).await;
            for _ in 0..CALLS / connections {
                let described = client.call("DescribeActivity", &body).await;
                assert_eq!(described["name"], "bench");
            }
        }));
    }
    for client in clients {
        client.await.expect("no panic");
    }
    CALLS as f64 / started.elapsed().as_secs_f64()
}

/// Starts `TASKS` executions of a one-Task machine, keeping `window` open.
fn feed(engine: LocalEngine, machine: String, window: usize) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut open = std::collections::VecDeque::new();
        for _ in 0..TASKS {
            if open.len() == window {
                let arn: String = open.pop_front().expect("open");
                engine.wait_for_execution(&arn).await.expect("closed");
            }
            let started = engine
                .start_execution(StartExecutionInput {
                    state_machine_arn: machine.clone(),
                    ..Default::default()
                })
                .await
                .expect("started");
            open.push_back(started.execution_arn);
        }
        for arn in open {
            engine.wait_for_execution(&arn).await.expect("closed");
        }
    })
}

/// Tasks per second served by `loops` poll-and-answer loops, over HTTP or
/// calling the engine in process.
async fn tasks(engine: &LocalEngine, addr: Option<SocketAddr>, loops: usize, run: usize) -> f64 {
    let activity = engine
        .create_activity(CreateActivityInput {
            name: format!("task-{run}-{loops}-{}", addr.is_some()),
            ..Default::default()
        })
        .await
        .expect("created")
        .activity_arn;
    let definition = json!({
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": activity, "End": true}}
    });
    let machine = engine
        .create_state_machine(CreateStateMachineInput {
            name: format!("tasks-{run}-{loops}-{}", addr.is_some()),
            definition: definition.to_string(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await
        .expect("created")
        .state_machine_arn;
    let served = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let feeder = feed(engine.clone(), machine, 256);
    let mut workers = Vec::new();
    for _ in 0..loops {
        let engine = engine.clone();
        let activity = activity.clone();
        let served = Arc::clone(&served);
        workers.push(tokio::spawn(async move {
            let poll = json!({"activityArn": activity}).to_string();
            let mut client = match addr {
                Some(addr) => Some(Client::connect(addr).await),
                None => None,
            };
            while served.load(Ordering::Relaxed) < TASKS {
                let token = match &mut client {
                    Some(client) => client.call("GetActivityTask", &poll).await["taskToken"]
                        .as_str()
                        .map(str::to_string),
                    None => {
                        engine
                            .get_activity_task(GetActivityTaskInput {
                                activity_arn: activity.clone(),
                                worker_name: None,
                            })
                            .await
                            .expect("polled")
                            .task_token
                    }
                };
                let Some(token) = token else { continue };
                match &mut client {
                    Some(client) => {
                        let body = json!({"taskToken": token, "output": "{}"}).to_string();
                        client.call("SendTaskSuccess", &body).await;
                    }
                    None => {
                        engine
                            .send_task_success(SendTaskSuccessInput {
                                task_token: token,
                                output: "{}".into(),
                            })
                            .await
                            .expect("answered");
                    }
                }
                served.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    feeder.await.expect("no panic");
    let elapsed = started.elapsed();
    for worker in workers {
        worker.abort();
    }
    TASKS as f64 / elapsed.as_secs_f64()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let engine = LocalEngine::builder()
            .activity_poll_wait(Duration::from_millis(200))
            .build();
        let server = Server::bind("127.0.0.1:0", Arc::new(engine.clone()))
            .await
            .expect("a port");
        let addr = server.local_addr();
        tokio::spawn(server.serve());
        let activity = engine
            .create_activity(CreateActivityInput {
                name: "bench".into(),
                ..Default::default()
            })
            .await
            .expect("created")
            .activity_arn;
        println!("{CALLS} DescribeActivity calls per run, median of {RUNS} runs, 2 worker threads");
        for connections in [1, 8] {
            let mut results = Vec::new();
            for _ in 0..RUNS {
                results.push(calls(addr, &activity, connections).await);
            }
            let rate = median(results);
            println!(
                "  {connections} connection(s): {rate:>9.0} calls/s ({:.1} µs per call per connection)",
                1e6 * connections as f64 / rate
            );
        }
        println!("{TASKS} activity tasks per run (GetActivityTask + SendTaskSuccess), median of {RUNS} runs");
        for loops in [1, 8] {
            let mut over_http = Vec::new();
            let mut in_process = Vec::new();
            for run in 0..RUNS {
                over_http.push(tasks(&engine, Some(addr), loops, run).await);
                in_process.push(tasks(&engine, None, loops, run).await);
            }
            let (http, direct) = (median(over_http), median(in_process));
            println!(
                "  {loops} loop(s): {http:>9.0} tasks/s over HTTP, {direct:>9.0} tasks/s in process ({:.2}×)",
                http / direct
            );
        }
    });
}
