//! The local console's routes on the served engine (`/console/...`),
//! spoken to with raw HTTP/1.1: the page and its assets with their content
//! types and headers, the graph of the definition an execution ran, and
//! what is refused (other methods, bodies, long targets, unknown and
//! hostile paths), the API beside it unchanged.
#![cfg(feature = "serve")]

use std::net::SocketAddr;
use std::sync::Arc;

use serde_json::{Value, json};
use sfini_runtime::local::LocalEngine;
use sfini_runtime::serve::Server;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const ROLE: &str = "arn:aws:iam::123456789012:role/console-test";

/// An HTTP answer.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Serves a fresh local engine on a free loopback port.
async fn serve() -> SocketAddr {
    let server = Server::bind("127.0.0.1:0", Arc::new(LocalEngine::new()))
        .await
        .expect("a free port");
    let addr = server.local_addr();
    tokio::spawn(server.serve());
    addr
}

/// Sends `head` (request line and headers, without the blank line that
/// ends them) and `body` on a connection of its own, which the request
/// closes; gives the whole answer.
async fn send(addr: SocketAddr, head: &str, body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(addr).await.expect("the server accepts");
    let request = format!("{head}\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("head sent");
    stream.write_all(body).await.expect("body sent");
    let mut raw = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut raw),
    )
    .await
    .expect("answered in time")
    .expect("read");
    let text = String::from_utf8(raw).expect("UTF-8");
    let (head, body) = text.split_once("\r\n\r\n").expect("a head");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|line| line.split_once(": "))
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_string(),
    }
}

async fn get(addr: SocketAddr, target: &str) -> Answer {
    send(addr, &format!("GET {target} HTTP/1.1"), b"").await
}

/// An API call; gives its answer's body.
async fn call(addr: SocketAddr, operation: &str, input: Value) -> Value {
    let body = input.to_string();
    let answer = send(
        addr,
        &format!(
            "POST / HTTP/1.1\r\nX-Amz-Target: AWSStepFunctions.{operation}\r\n\
             Content-Type: application/x-amz-json-1.0\r\nContent-Length: {}",
            body.len()
        ),
        body.as_bytes(),
    )
    .await;
    assert_eq!(answer.status, 200, "{operation}: {answer:?}");
    serde_json::from_str(&answer.body).expect("JSON")
}

/// `text` percent-encoded as a query value.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

/// A machine with a Parallel state, a Catch and a state whose name is
/// markup.
fn definition() -> Value {
    json!({
        "StartAt": "fan",
        "States": {
            "fan": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "ok", "States": {"ok": {"Type": "Pass", "End": true}}},
                    {"StartAt": "boom", "States": {"boom": {"Type": "Fail", "Error": "Boom"}}}
                ],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "<script>alert(1)</script>"}],
                "End": true
            },
            "<script>alert(1)</script>": {"Type": "Pass", "End": true}
        }
    })
}

/// The headers every answer of the console carries.
fn check_console_headers(answer: &Answer) {
    let policy = answer
        .header("content-security-policy")
        .expect("a content security policy");
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(answer.header("x-frame-options"), Some("DENY"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_and_its_assets_are_served_with_their_types() {
    let addr = serve().await;
    for (target, content_type, holds) in [
        (
            "/console/",
            "text/html; charset=utf-8",
            "<script src=\"console.js\" defer></script>",
        ),
        (
            "/console/index.html",
            "text/html; charset=utf-8",
            "<title>sfini console</title>",
        ),
        (
            "/console/console.js",
            "text/javascript; charset=utf-8",
            "AWSStepFunctions.",
        ),
        (
            "/console/console.css",
            "text/css; charset=utf-8",
            ".status-succeeded",
        ),
    ] {
        let answer = get(addr, target).await;
        assert_eq!(answer.status, 200, "{target}: {answer:?}");
        assert_eq!(
            answer.header("content-type"),
            Some(content_type),
            "{target}"
        );
        assert!(answer.body.contains(holds), "{target}");
        check_console_headers(&answer);
        let length: usize = answer
            .header("content-length")
            .and_then(|length| length.parse().ok())
            .expect("a length");
        assert_eq!(length, answer.body.len(), "{target}");
        // HEAD: the same head, no body.
        let head = send(addr, &format!("HEAD {target} HTTP/1.1"), b"").await;
        assert_eq!(head.status, 200, "{target}");
        assert_eq!(head.header("content-type"), Some(content_type));
        assert_eq!(head.body, "", "{target}");
    }
    let bare = get(addr, "/console").await;
    assert_eq!(bare.status, 308);
    assert_eq!(bare.header("location"), Some("/console/"));
    // The page fetches nothing from elsewhere.
    let page = get(addr, "/console/").await.body;
    for external in ["http://", "https://", "//cdn", "@import"] {
        assert!(!page.contains(external), "{external}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_and_hostile_paths_are_not_found() {
    let addr = serve().await;
    for target in [
        "/console/nothing",
        "/console/console.js/",
        "/console/console.js/x",
        "/console//console.js",
        "/console/../console/console.js",
        "/console/%2e%2e/Cargo.toml",
        "/console/..%2f..%2fetc%2fpasswd",
        "/console/graph.svg/x",
        "/console/CONSOLE.JS",
        "/console/%3Cscript%3Ealert(1)%3C/script%3E",
    ] {
        let answer = get(addr, target).await;
        assert_eq!(answer.status, 404, "{target}: {answer:?}");
        assert_eq!(
            answer.header("content-type"),
            Some("text/plain; charset=utf-8"),
            "{target}"
        );
        assert!(!answer.body.contains('<'), "{target}: {}", answer.body);
        check_console_headers(&answer);
    }
    // What is not the console keeps the API's answer.
    for target in ["/", "/favicon.ico", "/consoles"] {
        let answer = get(addr, target).await;
        assert_eq!(answer.status, 400, "{target}");
        assert_eq!(
            answer.header("content-type"),
            Some("application/x-amz-json-1.0")
        );
        assert!(
            answer.body.contains("UnknownOperationException"),
            "{target}: {}",
            answer.body
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_methods_bodies_and_long_targets_are_refused() {
    let addr = serve().await;
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let answer = send(
            addr,
            &format!("{method} /console/ HTTP/1.1\r\nContent-Length: 0"),
            b"",
        )
        .await;
        assert_eq!(answer.status, 405, "{method}: {answer:?}");
        assert_eq!(answer.header("allow"), Some("GET, HEAD"), "{method}");
    }
    // With an X-Amz-Target the request is the API's, whatever its path.
    let api = send(
        addr,
        "POST /console/ HTTP/1.1\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n\
         Content-Type: application/x-amz-json-1.0\r\nContent-Length: 2",
        b"{}",
    )
    .await;
    assert_eq!(api.status, 200, "{api:?}");
    assert_eq!(api.body, r#"{"stateMachines":[]}"#);
    // A body is refused, and the connection closed.
    let with_body = send(
        addr,
        "GET /console/ HTTP/1.1\r\nContent-Length: 5",
        b"hello",
    )
    .await;
    assert_eq!(with_body.status, 413, "{with_body:?}");
    assert_eq!(with_body.header("connection"), Some("close"));
    let chunked = send(
        addr,
        "GET /console/ HTTP/1.1\r\nTransfer-Encoding: chunked",
        b"5\r\nhello\r\n0\r\n\r\n",
    )
    .await;
    assert_eq!(chunked.status, 413, "{chunked:?}");
    // A request target past the bound.
    let long = get(
        addr,
        &format!("/console/graph.svg?executionArn={}", "a".repeat(9000)),
    )
    .await;
    assert_eq!(long.status, 414, "{long:?}");
    assert!(long.body.len() < 200, "{}", long.body);
    // The page is still served after all that.
    assert_eq!(get(addr, "/console/").await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_graph_is_the_definition_an_execution_ran() {
    let addr = serve().await;
    let created = call(
        addr,
        "CreateStateMachine",
        json!({
            "name": "fanout",
            "definition": definition().to_string(),
            "roleArn": ROLE,
            "publish": true,
        }),
    )
    .await;
    let machine = created["stateMachineArn"].as_str().expect("an ARN");
    let version = created["stateMachineVersionArn"]
        .as_str()
        .expect("a version");
    // The machine changes after its version 1.
    call(
        addr,
        "UpdateStateMachine",
        json!({
            "stateMachineArn": machine,
            "definition": json!({"StartAt": "only", "States": {"only": {"Type": "Succeed"}}}).to_string(),
        }),
    )
    .await;
    let execution = call(
        addr,
        "StartExecution",
        json!({"stateMachineArn": version, "name": "first", "input": "{}"}),
    )
    .await;
    let execution = execution["executionArn"].as_str().expect("an ARN");

    let answer = get(
        addr,
        &format!("/console/graph.svg?executionArn={}", encoded(execution)),
    )
    .await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(
        answer.header("content-type"),
        Some("image/svg+xml; charset=utf-8")
    );
    check_console_headers(&answer);
    let svg = &answer.body;
    assert!(svg.starts_with("<svg"), "{svg}");
    for element in [
        r#"<g class="state state-parallel" data-state="fan">"#,
        r#"<g class="state state-pass" data-state="ok">"#,
        r#"<g class="state state-fail" data-state="boom">"#,
        r#"<g class="group" data-state="fan">"#,
        r#"data-state="&lt;script&gt;alert(1)&lt;/script&gt;""#,
        r#"<g class="terminal start">"#,
        r#"<g class="terminal end">"#,
    ] {
        assert!(svg.contains(element), "{element} in {svg}");
    }
    assert!(
        svg.contains(r#"data-from="fan" data-to="&lt;script&gt;alert(1)&lt;/script&gt;""#),
        "the Catch edge in {svg}"
    );
    assert!(!svg.contains("<script"), "markup escaped: {svg}");
    assert!(
        !svg.contains(r#"data-state="only""#),
        "the version's definition"
    );

    // The same graph by the version's ARN; the machine's is its update.
    let by_version = get(
        addr,
        &format!("/console/graph.svg?stateMachineArn={}", encoded(version)),
    )
    .await;
    assert_eq!(by_version.status, 200);
    assert_eq!(&by_version.body, svg);
    let by_machine = get(
        addr,
        &format!("/console/graph.svg?stateMachineArn={}", encoded(machine)),
    )
    .await;
    assert_eq!(by_machine.status, 200);
    assert!(
        by_machine
            .body
            .contains(r#"<g class="state state-succeed" data-state="only">"#),
        "{}",
        by_machine.body
    );

    // What names no graph.
    let missing = execution.replace(":first", ":second");
    for (query, status) in [
        (String::new(), 400),
        ("executionArn=".to_string(), 400),
        (format!("executionArn={}", encoded(&missing)), 404),
        (
            format!(
                "stateMachineArn={}",
                encoded("arn:aws:states:us-east-1:123456789012:stateMachine:nothing")
            ),
            404,
        ),
        (
            format!("executionArn={0}&executionArn={0}", encoded(execution)),
            400,
        ),
        (
            format!(
                "executionArn={}&stateMachineArn={}",
                encoded(execution),
                encoded(machine)
            ),
            400,
        ),
        ("executionArn=%zz".to_string(), 400),
        ("executionArn=not-an-arn".to_string(), 400),
        (
            "executionArn=%3Cscript%3Ealert(1)%3C%2Fscript%3E".to_string(),
            400,
        ),
    ] {
        let answer = get(addr, &format!("/console/graph.svg?{query}")).await;
        assert_eq!(answer.status, status, "{query}: {answer:?}");
        assert_eq!(
            answer.header("content-type"),
            Some("text/plain; charset=utf-8"),
            "{query}"
        );
        assert!(answer.body.len() < 1000, "{query}: {}", answer.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_regions_served_are_named_for_the_page_to_choose_from() {
    // One engine for every region: no choice.
    let one = serve().await;
    let answer = get(one, "/console/regions").await;
    assert_eq!(answer.status, 200);
    check_console_headers(&answer);
    assert_eq!(answer.header("Content-Type"), Some("application/json"));
    assert_eq!(
        serde_json::from_str::<Value>(&answer.body).unwrap(),
        json!({"defaultRegion": null, "regions": []})
    );

    // An engine per region: the default, and each region a request named.
    let server = Server::bind_regional(
        "127.0.0.1:0",
        sfini_runtime::serve::RegionalEngines::local(LocalEngine::builder().region("eu-central-1")),
    )
    .await
    .expect("a free port");
    let regional = server.local_addr();
    tokio::spawn(server.serve());
    let answer = get(regional, "/console/regions").await;
    assert_eq!(
        serde_json::from_str::<Value>(&answer.body).unwrap(),
        json!({"defaultRegion": "eu-central-1", "regions": ["eu-central-1"]})
    );
    let signed = |region: &str| {
        format!(
            "POST / HTTP/1.1\r\nContent-Type: application/x-amz-json-1.0\r\n\
             X-Amz-Target: AWSStepFunctions.ListStateMachines\r\nContent-Length: 2\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential=K/20261203/{region}/states/aws4_request, \
             SignedHeaders=host, Signature=0"
        )
    };
    assert_eq!(
        send(regional, &signed("ap-south-1"), b"{}").await.status,
        200
    );
    assert_eq!(
        send(regional, &signed("eu-central-1"), b"{}").await.status,
        200
    );
    let answer = get(regional, "/console/regions").await;
    assert_eq!(
        serde_json::from_str::<Value>(&answer.body).unwrap(),
        json!({"defaultRegion": "eu-central-1", "regions": ["ap-south-1", "eu-central-1"]})
    );
}
