//! `sfini local serve` run as a user runs it: the address line, the warning
//! for addresses beyond loopback, bad options, the limits set by options,
//! a graceful stop on SIGTERM, and `--rerun-async-express`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn it_prints_its_address_warns_beyond_loopback_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sfini"))
        .args(["local", "serve", "--port", "0", "--bind", "0.0.0.0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sfini binary runs");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("the address line");
    let port: u16 = line
        .trim()
        .strip_prefix("listening on http://0.0.0.0:")
        .unwrap_or_else(|| panic!("not the address line: {line:?}"))
        .parse()
        .expect("a port");
    assert_ne!(port, 0);
    std::net::TcpStream::connect(("127.0.0.1", port)).expect("the server accepts");

    let pid = i32::try_from(child.id()).expect("a pid");
    // SAFETY: kill(2) with a child's pid and a valid signal has no memory
    // effects in this process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting") {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr)
        .expect("the log");
    assert!(
        stderr.contains(&format!(
            "warning: listening on 0.0.0.0:{port}, not a loopback address: anyone who can reach \
             this port can create and run workflows, with no authentication"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("stop requested"), "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
    let mut rest = String::new();
    stdout
        .read_to_string(&mut rest)
        .expect("the rest of stdout");
    assert_eq!(rest, "", "only the address line is printed");
}

#[test]
fn bad_options_are_refused_with_what_would_be_right() {
    for (args, expected) in [
        (&["--poll-wait", "61"][..], "61 is not in 0..=60"),
        (
            &["--account-id", "12"][..],
            "`12` is not an AWS account id: 12 digits",
        ),
        (
            &["--region", "US_EAST"][..],
            "`US_EAST` is not a region name",
        ),
        (&["--bind", "localhost"][..], "invalid IP address syntax"),
        (
            &["--max-connections", "0"][..],
            "invalid value '0' for '--max-connections <N>'",
        ),
        (
            &["--body-read-timeout", "soon"][..],
            "`soon` is not a duration: a positive number of seconds, or a number with `s` or `ms`",
        ),
        (
            &["--body-read-timeout", "0ms"][..],
            "`0ms` is not a duration",
        ),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_sfini"))
            .args(["local", "serve"])
            .args(args)
            .output()
            .expect("the sfini binary runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn a_port_in_use_is_reported() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = taken.local_addr().expect("an address").port().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_sfini"))
        .args(["local", "serve", "--port", &port])
        .output()
        .expect("the sfini binary runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "sfini local serve: cannot listen on 127.0.0.1:{port}: "
        )),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

/// `sfini local serve` on a free port with `options`, polls held one
/// second; the child and its address (`127.0.0.1:PORT`).
fn serve_with(options: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sfini"))
        .args(["local", "serve", "--port", "0", "--poll-wait", "1"])
        .args(options)
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
    (child, address)
}

#[test]
fn region_and_account_shape_the_arns() {
    let (mut child, address) =
        serve_with(&["--region", "eu-west-3", "--account-id", "111122223333"]);

    // With --region, every request is served in it, whatever it is signed
    // for (or not signed), and any signature is taken.
    let mut reader = connect(&address);
    for (name, authorization) in [
        ("resize", None),
        ("ireland", Some(signature("eu-west-1"))),
        ("shouting", Some(signature("EU-WEST-1"))),
    ] {
        let body = format!(r#"{{"name": "{name}"}}"#);
        send_signed(
            reader.get_mut(),
            "CreateActivity",
            &body,
            authorization.as_deref(),
        );
        let (status, created) = answer(&mut reader).expect("an answer");
        assert_eq!(status, 200, "{created}");
        assert!(
            created.contains(&format!(
                r#""activityArn":"arn:aws:states:eu-west-3:111122223333:activity:{name}""#
            )),
            "{created}"
        );
    }
    send_signed(
        reader.get_mut(),
        "ListActivities",
        "{}",
        Some(&signature("us-west-2")),
    );
    let (_, listed) = answer(&mut reader).expect("an answer");
    assert_eq!(listed.matches("activityArn").count(), 3, "{listed}");
    let _ = child.kill();
    let _ = child.wait();
}

/// An `Authorization` header signed (badly: nothing checks it) for `region`.
fn signature(region: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261202/{region}/states/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123abcd"
    )
}

/// Sends a request for `operation` on a kept-alive connection, with an
/// `Authorization` header when one is given.
fn send_signed(stream: &mut TcpStream, operation: &str, body: &str, authorization: Option<&str>) {
    let authorization = authorization
        .map(|value| format!("Authorization: {value}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSStepFunctions.{operation}\r\n\
         {authorization}Content-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("sent");
}

#[test]
fn requests_are_served_in_their_signature_s_region_and_hostile_ones_are_refused_briefly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sfini"))
        .args(["local", "serve", "--port", "0", "--poll-wait", "1"])
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
    let mut reader = connect(&address);
    let create = |reader: &mut BufReader<TcpStream>, name: &str, authorization: Option<&str>| {
        let body = format!(r#"{{"name": "{name}"}}"#);
        send_signed(reader.get_mut(), "CreateActivity", &body, authorization);
        answer(reader).expect("an answer")
    };

    // Signed for a region: served in it; unsigned, or a scope that cannot
    // be read: served in us-east-1.
    let (status, created) = create(&mut reader, "a", Some(&signature("eu-west-1")));
    assert_eq!(status, 200, "{created}");
    assert!(
        created.contains("arn:aws:states:eu-west-1:123456789012:activity:a"),
        "{created}"
    );
    for (name, authorization) in [
        ("b", None),
        ("c", Some("AWS4-HMAC-SHA256 Credential=////")),
        ("d", Some("Basic dXNlcjpwYXNz")),
        (
            "e",
            Some("AWS4-HMAC-SHA256 Credential=K/20261202/eu-west-1/states/other"),
        ),
        // Not ASCII: not text a scope can be read from.
        (
            "h",
            Some("AWS4-HMAC-SHA256 Credential=K/20261202/eu-wést-1/states/aws4_request"),
        ),
    ] {
        let (status, created) = create(&mut reader, name, authorization);
        assert_eq!(status, 200, "{authorization:?}: {created}");
        assert!(
            created.contains(&format!(
                "arn:aws:states:us-east-1:123456789012:activity:{name}"
            )),
            "{authorization:?}: {created}"
        );
    }

    // A scope naming no region is refused, in few words however long it is.
    let huge = "x".repeat(60_000);
    for region in [
        "EU-WEST-1",
        "eu_west_1",
        "eu-west-1-",
        "eu west 1",
        huge.as_str(),
    ] {
        let (status, refused) = create(&mut reader, "f", Some(&signature(region)));
        assert_eq!(status, 400, "{refused}");
        assert!(refused.contains("InvalidSignatureException"), "{refused}");
        assert!(
            refused.contains("Credential should be scoped to a valid region, not"),
            "{refused}"
        );
        assert!(refused.len() < 500, "{}", refused.len());
    }

    // At most 64 regions are served: us-east-1, eu-west-1 and 62 more.
    for n in 0..62 {
        let region = format!("test-{n}");
        let (status, created) = create(&mut reader, "g", Some(&signature(&region)));
        assert_eq!(status, 200, "{region}: {created}");
        assert!(
            created.contains(&format!("arn:aws:states:{region}:")),
            "{created}"
        );
    }
    let (status, refused) = create(&mut reader, "g", Some(&signature("one-too-many-1")));
    assert_eq!(status, 400, "{refused}");
    assert!(refused.contains("InvalidSignatureException"), "{refused}");
    assert!(refused.contains("serves at most 64 regions"), "{refused}");
    assert!(refused.len() < 4200, "{}", refused.len());
    // The regions served still are, on the same connection.
    send_signed(
        reader.get_mut(),
        "ListActivities",
        "{}",
        Some(&signature("eu-west-1")),
    );
    let (status, listed) = answer(&mut reader).expect("an answer");
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed.matches("activityArn").count(), 1, "{listed}");
    send_signed(reader.get_mut(), "ListActivities", "{}", None);
    let (_, listed) = answer(&mut reader).expect("an answer");
    assert_eq!(listed.matches("activityArn").count(), 5, "{listed}");

    let _ = child.kill();
    let _ = child.wait();
}

/// Sends a request for `operation` on a kept-alive connection.
fn send(stream: &mut TcpStream, operation: &str, body: &str, declared: usize) {
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSStepFunctions.{operation}\r\n\
         Content-Type: application/x-amz-json-1.0\r\nContent-Length: {declared}\r\n\r\n{body}"
    )
    .expect("sent");
}

/// Reads one answer: its status and body.
fn answer(reader: &mut BufReader<TcpStream>) -> std::io::Result<(u16, String)> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not a status line: {line:?}"));
    let mut length = 0;
    loop {
        line.clear();
        reader.read_line(&mut line)?;
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
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok((status, String::from_utf8(body).expect("UTF-8")))
}

fn connect(address: &str) -> BufReader<TcpStream> {
    let stream = TcpStream::connect(address).expect("the system takes the connection");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("a read timeout");
    BufReader::new(stream)
}

#[test]
fn the_connection_bound_and_the_body_read_timeout_are_set_by_options() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sfini"))
        .args(["local", "serve", "--port", "0", "--poll-wait", "1"])
        .args(["--max-connections", "1", "--body-read-timeout", "200ms"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
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

    // One connection, served and left open.
    let mut first = connect(&address);
    send(first.get_mut(), "ListActivities", "{}", 2);
    assert_eq!(answer(&mut first).expect("an answer").0, 200);

    // A second waits while the first is open, and is served once it closes.
    let mut second = connect(&address);
    let body = r#"{"name": "second"}"#;
    send(second.get_mut(), "CreateActivity", body, body.len());
    second
        .get_ref()
        .set_read_timeout(Some(Duration::from_millis(300)))
        .expect("a read timeout");
    let waiting = answer(&mut second).expect_err("no answer beyond the bound");
    assert!(
        matches!(
            waiting.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
        "{waiting}"
    );
    drop(first);
    second
        .get_ref()
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("a read timeout");
    let (status, created) = answer(&mut second).expect("served once the first closed");
    assert_eq!(status, 200, "{created}");
    assert!(created.contains("activity:second"), "{created}");
    drop(second);

    // A body that stops coming is cut off.
    let mut third = connect(&address);
    send(third.get_mut(), "CreateActivity", r#"{"name": "#, 100);
    let (status, refused) = answer(&mut third).expect("an answer");
    assert_eq!(status, 408, "{refused}");
    assert!(refused.contains("RequestTimeoutException"), "{refused}");
    assert!(refused.contains("within 200ms"), "{refused}");

    let _ = child.kill();
    let _ = child.wait();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr)
        .expect("the log");
    assert_eq!(
        stderr.matches("the connection bound is reached").count(),
        1,
        "{stderr}"
    );
}

/// Runs one asynchronous execution of an Express machine whose one Task is
/// an activity, answering each task the activity is given; gives how many
/// it was given.
fn activity_tasks_of_one_express_execution(options: &[&str]) -> usize {
    let (mut child, address) = serve_with(options);
    let mut reader = connect(&address);
    let mut call = |operation: &str, body: &str| {
        send_signed(reader.get_mut(), operation, body, None);
        let (status, answered) = answer(&mut reader).expect("an answer");
        assert_eq!(status, 200, "{operation}: {answered}");
        serde_json::from_str::<serde_json::Value>(&answered).expect("JSON")
    };
    let activity = call("CreateActivity", r#"{"name": "charge"}"#)["activityArn"]
        .as_str()
        .expect("an ARN")
        .to_string();
    let definition = serde_json::json!({"StartAt": "charge", "States": {
        "charge": {"Type": "Task", "Resource": activity, "End": true}
    }})
    .to_string();
    let machine = call(
        "CreateStateMachine",
        &serde_json::json!({
            "name": "pay",
            "type": "EXPRESS",
            "definition": definition,
            "roleArn": "arn:aws:iam::123456789012:role/r",
        })
        .to_string(),
    )["stateMachineArn"]
        .as_str()
        .expect("an ARN")
        .to_string();
    call(
        "StartExecution",
        &serde_json::json!({"stateMachineArn": machine}).to_string(),
    );
    let mut given = 0;
    loop {
        // Each poll waits at most a second (`--poll-wait 1`).
        let task = call(
            "GetActivityTask",
            &serde_json::json!({"activityArn": activity}).to_string(),
        );
        let Some(token) = task["taskToken"].as_str().filter(|token| !token.is_empty()) else {
            break;
        };
        given += 1;
        call(
            "SendTaskSuccess",
            &serde_json::json!({"taskToken": token, "output": "{}"}).to_string(),
        );
    }
    let _ = child.kill();
    let _ = child.wait();
    given
}

#[test]
fn rerun_async_express_runs_an_asynchronous_express_execution_twice() {
    assert_eq!(activity_tasks_of_one_express_execution(&[]), 1);
    assert_eq!(
        activity_tasks_of_one_express_execution(&["--rerun-async-express"]),
        2
    );
}
