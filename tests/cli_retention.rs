//! The retention of closed executions on the command line: `sfini local
//! serve` and `sfini run` take `--retain-closed-executions N` and
//! `--retain-closed-for DURATION`, refuse malformed values, and a served
//! engine drops the oldest closed execution past its count.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// `sfini local serve` with `args`, killed when dropped.
struct Served {
    child: Child,
    address: String,
}

impl Served {
    fn start(args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sfini"))
            .args(["local", "serve", "--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the sfini binary runs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("the address line");
        let address = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("not the address line: {line:?}"))
            .to_string();
        Served { child, address }
    }

    /// One call of the Step Functions API: its status and answer.
    fn call(&self, operation: &str, body: &Value) -> (u16, Value) {
        let mut stream = TcpStream::connect(&self.address).expect("the server accepts");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("a read timeout");
        let body = body.to_string();
        write!(
            stream,
            "POST / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
             X-Amz-Target: AWSStepFunctions.{operation}\r\n\
             Content-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .expect("sent");
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).expect("a status line");
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("not a status line: {line:?}"));
        let mut length = 0;
        loop {
            line.clear();
            reader.read_line(&mut line).expect("a header");
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().expect("a length");
            }
        }
        let mut answer = vec![0; length];
        reader.read_exact(&mut answer).expect("the body");
        (
            status,
            serde_json::from_slice(&answer).expect("a JSON answer"),
        )
    }

    /// Runs an execution of `machine` named `name` to its end.
    fn run(&self, machine: &str, name: &str) -> String {
        let (status, started) = self.call(
            "StartExecution",
            &json!({"stateMachineArn": machine, "name": name}),
        );
        assert_eq!(status, 200, "{started}");
        let arn = started["executionArn"]
            .as_str()
            .expect("an execution ARN")
            .to_string();
        let begun = Instant::now();
        loop {
            let (_, described) = self.call("DescribeExecution", &json!({"executionArn": arn}));
            if described["status"] != "RUNNING" {
                return arn;
            }
            assert!(begun.elapsed() < Duration::from_secs(10), "{described}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// True for AWS's `ExecutionDoesNotExist` answer.
fn does_not_exist(answer: &Value) -> bool {
    answer["__type"]
        .as_str()
        .is_some_and(|kind| kind.ends_with("#ExecutionDoesNotExist"))
}

#[test]
fn a_served_engine_keeps_as_many_closed_executions_as_it_is_told() {
    let served = Served::start(&[
        "--retain-closed-executions",
        "2",
        "--retain-closed-for",
        "90d",
    ]);
    let (status, created) = served.call(
        "CreateStateMachine",
        &json!({
            "name": "pass",
            "definition": json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}).to_string(),
            "roleArn": "arn:aws:iam::123456789012:role/run",
        }),
    );
    assert_eq!(status, 200, "{created}");
    let machine = created["stateMachineArn"].as_str().expect("an ARN");
    let arns: Vec<String> = (0..3)
        .map(|index| served.run(machine, &format!("e{index}")))
        .collect();
    let (status, gone) = served.call("DescribeExecution", &json!({"executionArn": arns[0]}));
    assert_eq!(status, 400, "{gone}");
    assert!(does_not_exist(&gone), "{gone}");
    let (status, gone) = served.call("GetExecutionHistory", &json!({"executionArn": arns[0]}));
    assert_eq!(status, 400, "{gone}");
    assert!(does_not_exist(&gone), "{gone}");
    for arn in &arns[1..] {
        let (status, kept) = served.call("DescribeExecution", &json!({"executionArn": arn}));
        assert_eq!(
            (status, &kept["status"]),
            (200, &json!("SUCCEEDED")),
            "{kept}"
        );
    }
    let (_, listed) = served.call("ListExecutions", &json!({"stateMachineArn": machine}));
    let names: Vec<&str> = listed["executions"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|item| item["name"].as_str())
        .collect();
    assert_eq!(names, ["e2", "e1"]);
}

#[test]
fn sfini_run_takes_the_retention_options() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_retention");
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let file = dir.join("pass.asl.json");
    std::fs::write(
        &file,
        json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}).to_string(),
    )
    .expect("written");
    let output = Command::new(env!("CARGO_BIN_EXE_sfini"))
        .args(["run", &file.to_string_lossy(), "--input", "{}"])
        .args([
            "--retain-closed-executions",
            "1",
            "--retain-closed-for",
            "12h",
        ])
        .output()
        .expect("the sfini binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn malformed_retention_options_are_refused_with_what_would_be_right() {
    for (args, expected) in [
        (
            &["--retain-closed-executions", "0"][..],
            "invalid value '0' for '--retain-closed-executions <N>'",
        ),
        (
            &["--retain-closed-executions", "many"][..],
            "invalid value 'many' for '--retain-closed-executions <N>'",
        ),
        (
            &["--retain-closed-executions=-5"][..],
            "invalid value '-5' for '--retain-closed-executions <N>'",
        ),
        (
            &["--retain-closed-for", "soon"][..],
            "`soon` is not a retention age: a positive whole number of seconds, or with `s`, \
             `m`, `h` or `d`",
        ),
        (
            &["--retain-closed-for", "0d"][..],
            "`0d` is not a retention age",
        ),
        (
            &["--retain-closed-for", "1.5h"][..],
            "`1.5h` is not a retention age",
        ),
        (
            &["--retain-closed-for", "3651d"][..],
            "`3651d` is not a retention age",
        ),
    ] {
        for command in [&["local", "serve"][..], &["run", "machine.asl.json"][..]] {
            let output = Command::new(env!("CARGO_BIN_EXE_sfini"))
                .args(command)
                .args(args)
                .output()
                .expect("the sfini binary runs");
            assert_eq!(output.status.code(), Some(2), "{command:?} {args:?}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.contains(expected), "{command:?} {args:?}: {stderr}");
        }
    }
}
