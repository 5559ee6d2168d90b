//! `sfini local serve` run as a user runs it: the address line, the warning
//! for addresses beyond loopback, bad options, and a graceful stop on
//! SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
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

#[test]
fn region_and_account_shape_the_arns() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sfini"))
        .args(["local", "serve", "--port", "0", "--poll-wait", "1"])
        .args(["--region", "eu-west-3", "--account-id", "111122223333"])
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

    let body = r#"{"name": "resize"}"#;
    let mut stream = std::net::TcpStream::connect(&address).expect("the server accepts");
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {address}\r\nX-Amz-Target: AWSStepFunctions.CreateActivity\r\n\
         Content-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    let _ = child.kill();
    let _ = child.wait();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains(r#""activityArn":"arn:aws:states:eu-west-3:111122223333:activity:resize""#),
        "{answer}"
    );
}
