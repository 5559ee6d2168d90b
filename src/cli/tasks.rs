//! `sfini local tasks`, `sfini local send-success`, `sfini local
//! send-failure` and `sfini local send-heartbeat`: stepping through a
//! workflow by hand against `sfini local serve`, by listing the tasks that
//! wait for an answer and answering them with their tokens.
//!
//! ```text
//! sfini local tasks [--execution ARN] [--json] [--max-tasks N]
//! sfini local send-success TOKEN [--output JSON | --output-file PATH]
//! sfini local send-failure TOKEN [--error E] [--cause C]
//! sfini local send-heartbeat TOKEN
//! ```
//!
//! Each takes `--endpoint URL` (else `$SFINI_ENDPOINT`, else
//! `http://127.0.0.1:8083`, the default port of `sfini local serve`) and
//! `--region R` (else `$AWS_REGION` or `$AWS_DEFAULT_REGION`, as the AWS
//! CLI reads them; else the request is not signed and the server answers
//! in its default region). The region is sent as the credential scope of
//! a SigV4-shaped `Authorization` header, which is how the server picks
//! the region's engine; nothing is signed, as the server checks no
//! signature.
//!
//! `sfini local tasks` lists what waits, with sfini's own operation
//! `SfiniListWaitingTasks`: activity tasks no worker has taken yet,
//! activity tasks a worker took, and the callbacks of `.waitForTaskToken`
//! states, each with its token. The answers are Step Functions' own
//! calls, which the AWS CLI makes the same way:
//!
//! ```text
//! aws stepfunctions send-task-success --task-token TOKEN --task-output '{"approved": true}' \
//!     --endpoint-url http://127.0.0.1:8083
//! aws stepfunctions send-task-failure --task-token TOKEN --error Rejected --cause 'by hand' \
//!     --endpoint-url http://127.0.0.1:8083
//! aws stepfunctions send-task-heartbeat --task-token TOKEN --endpoint-url http://127.0.0.1:8083
//! ```
//!
//! The AWS CLI has no call that lists waiting tasks: find the tokens with
//! `sfini local tasks` (or `--json`, for a script). An activity task no
//! worker has taken can be answered with its token too: it closes, its
//! execution goes on, and no worker is handed it afterwards (on AWS no
//! one knows its token before a worker takes it).
//!
//! Exit status: 0 when the server answered the call; 1 when it refused it
//! (its error printed as `sfini local send-success: TaskTimedOut: ...`) or
//! could not be reached; 2 when the call could not be made (a bad URL,
//! output that is not JSON, a file that cannot be read).
//!
//! The client is a small HTTP/1.1 client on the standard library's
//! blocking `TcpStream`, one request per connection: it speaks plain HTTP
//! to a served engine, usually on loopback, and reads at most
//! [`MAX_RESPONSE_BYTES`] of an answer within [`CALL_TIMEOUT`].

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Subcommand;
use serde_json::{Map, Value, json};
use sfini::core::limits::{MAX_DEPTH, MAX_PAYLOAD_BYTES, parse_json};
use sfini::runtime::serve::is_region_name;
use time::OffsetDateTime;

use super::bounded::{self, Unit};

/// Where the served engine is when neither `--endpoint` nor
/// `$SFINI_ENDPOINT` says.
pub const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:8083";
/// The environment variable naming the endpoint.
const ENDPOINT_VARIABLE: &str = "SFINI_ENDPOINT";
/// The most bytes of an answer read (its headers and body): a page of
/// waiting tasks holds about 4 MiB of inputs, escaped in JSON text.
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// The most bytes of an answer's status line and headers.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a whole call may take, from connecting to the answer's end.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(60);
/// The most characters of a task's input `sfini local tasks` prints
/// without `--json`.
const SHOWN_INPUT_CHARS: usize = 500;
/// The exit status when the server refused the call or was not reached.
const REFUSED: u8 = 1;
/// The exit status when the call could not be made.
const NOT_MADE: u8 = 2;

/// The commands that answer tasks by hand (subcommands of `sfini local`).
#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// List the tasks that wait for an answer on a served engine.
    ///
    /// Shows each task's token (what send-success, send-failure and
    /// send-heartbeat take), its execution, state, kind (an activity task
    /// queued for a worker, one a worker took, or a `.waitForTaskToken`
    /// callback), how long it has waited, its deadlines and its input.
    /// Oldest first; with --json, one JSON document
    /// `{"tasks": [...], "truncated": false}`, each task as the server's
    /// SfiniListWaitingTasks gives it.
    Tasks(TasksArgs),
    /// Answer a waiting task with SendTaskSuccess.
    ///
    /// The output is `{}` unless --output or --output-file gives it. The
    /// AWS CLI does the same with `aws stepfunctions send-task-success
    /// --task-token TOKEN --task-output JSON --endpoint-url URL`.
    SendSuccess(SendSuccessArgs),
    /// Fail a waiting task with SendTaskFailure.
    ///
    /// The state's Retry and Catch see the error and cause given. The AWS
    /// CLI does the same with `aws stepfunctions send-task-failure
    /// --task-token TOKEN --error E --cause C --endpoint-url URL`.
    SendFailure(SendFailureArgs),
    /// Send a heartbeat for a waiting task with SendTaskHeartbeat.
    ///
    /// Its HeartbeatSeconds start again. The AWS CLI does the same with
    /// `aws stepfunctions send-task-heartbeat --task-token TOKEN
    /// --endpoint-url URL`.
    SendHeartbeat(SendHeartbeatArgs),
}

/// Where the served engine is.
#[derive(Debug, clap::Args)]
pub struct EndpointArgs {
    /// The served engine's URL (plain http); else $SFINI_ENDPOINT, else
    /// http://127.0.0.1:8083, the default of `sfini local serve`.
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,

    /// The region whose engine answers (sent as the credential scope of
    /// the request's Authorization header); else $AWS_REGION or
    /// $AWS_DEFAULT_REGION; else the server's default region.
    #[arg(long, value_name = "REGION", value_parser = region)]
    region: Option<String>,
}

/// Arguments of `sfini local tasks`.
#[derive(Debug, clap::Args)]
pub struct TasksArgs {
    /// Only the tasks of this execution.
    #[arg(long, value_name = "ARN")]
    execution: Option<String>,

    /// Print one JSON document: `{"tasks": [...], "truncated": BOOL}`.
    #[arg(long)]
    json: bool,

    /// The most tasks listed; beyond it the list says it was cut.
    #[arg(long, value_name = "N", default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_tasks: u64,

    #[command(flatten)]
    endpoint: EndpointArgs,
}

/// Arguments of `sfini local send-success`.
#[derive(Debug, clap::Args)]
pub struct SendSuccessArgs {
    /// The task token (from `sfini local tasks`).
    #[arg(value_name = "TOKEN")]
    token: String,

    /// The task's output, as JSON (`{}` when neither this nor
    /// --output-file is given).
    #[arg(long, value_name = "JSON", conflicts_with = "output_file")]
    output: Option<String>,

    /// Read the task's output, as JSON, from a file, or from standard
    /// input when PATH is `-` (at most 262,144 bytes).
    #[arg(long, value_name = "PATH")]
    output_file: Option<PathBuf>,

    #[command(flatten)]
    endpoint: EndpointArgs,
}

/// Arguments of `sfini local send-failure`.
#[derive(Debug, clap::Args)]
pub struct SendFailureArgs {
    /// The task token (from `sfini local tasks`).
    #[arg(value_name = "TOKEN")]
    token: String,

    /// The error name the state's Retry and Catch match (at most 256
    /// characters).
    #[arg(long, value_name = "ERROR")]
    error: Option<String>,

    /// The cause (at most 32,768 characters).
    #[arg(long, value_name = "CAUSE")]
    cause: Option<String>,

    #[command(flatten)]
    endpoint: EndpointArgs,
}

/// Arguments of `sfini local send-heartbeat`.
#[derive(Debug, clap::Args)]
pub struct SendHeartbeatArgs {
    /// The task token (from `sfini local tasks`).
    #[arg(value_name = "TOKEN")]
    token: String,

    #[command(flatten)]
    endpoint: EndpointArgs,
}

fn region(text: &str) -> Result<String, String> {
    if is_region_name(text) {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{text}` is not a region name: lowercase letters, digits and dashes, starting with \
             a letter, such as `us-east-1`"
        ))
    }
}

/// Runs the command.
pub fn run(command: &TaskCommand) -> ExitCode {
    match command {
        TaskCommand::Tasks(args) => list(args),
        TaskCommand::SendSuccess(args) => send_success(args),
        TaskCommand::SendFailure(args) => send_failure(args),
        TaskCommand::SendHeartbeat(args) => send_heartbeat(args),
    }
}

/// Why a call gave no answer.
#[derive(Debug)]
enum CallError {
    /// The server answered with an error: its code (what follows `#` in
    /// `__type`) and message.
    Refused {
        /// The error's code, such as `TaskTimedOut`.
        code: String,
        /// The server's message.
        message: String,
    },
    /// The server could not be reached, or its answer could not be read.
    Failed(String),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Refused { code, message } => {
                write!(f, "{}: {}", printable(code), printable(message))
            }
            CallError::Failed(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for CallError {}

/// A served engine to call.
#[derive(Debug)]
struct Client {
    endpoint: Endpoint,
    region: Option<String>,
}

impl Client {
    /// The client the arguments and the environment name; `Err` with what
    /// is wrong with them.
    fn new(args: &EndpointArgs) -> Result<Client, String> {
        let from_environment = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|value| !value.trim().is_empty())
        };
        let url = match &args.endpoint {
            Some(url) => url.clone(),
            None => from_environment(ENDPOINT_VARIABLE).unwrap_or_else(|| DEFAULT_ENDPOINT.into()),
        };
        let endpoint = Endpoint::parse(&url)?;
        let region = match &args.region {
            Some(region) => Some(region.clone()),
            None => match ["AWS_REGION", "AWS_DEFAULT_REGION"]
                .into_iter()
                .find_map(|name| Some((name, from_environment(name)?)))
            {
                Some((_, value)) if is_region_name(value.trim()) => Some(value.trim().to_string()),
                Some((name, value)) => {
                    return Err(format!(
                        "${name} is `{}`, not a region name; give --region",
                        printable(&value)
                    ));
                }
                None => None,
            },
        };
        Ok(Client { endpoint, region })
    }

    /// Calls `operation` with `body`; its answer's JSON object.
    fn call(&self, operation: &str, body: &Value) -> Result<Value, CallError> {
        let deadline = Instant::now() + CALL_TIMEOUT;
        let mut stream = self.connect(deadline)?;
        let request = self.request(operation, body);
        let lost = |error: io::Error| {
            CallError::Failed(format!(
                "the connection to {} failed: {error}",
                self.endpoint.url
            ))
        };
        set_timeouts(&stream, deadline).map_err(lost)?;
        stream.write_all(&request).map_err(lost)?;
        stream.flush().map_err(lost)?;
        let (status, body) = read_response(&mut stream, deadline).map_err(|reason| {
            CallError::Failed(format!(
                "the answer of {} could not be read: {reason}",
                self.endpoint.url
            ))
        })?;
        answer(status, &body)
    }

    /// A connection to the endpoint, tried at each of its addresses.
    fn connect(&self, deadline: Instant) -> Result<TcpStream, CallError> {
        let unreachable = |reason: String| {
            CallError::Failed(format!(
                "cannot reach {}: {reason}; is `sfini local serve` running there? Give its URL \
                 with --endpoint or ${ENDPOINT_VARIABLE}",
                self.endpoint.url
            ))
        };
        let addresses: Vec<SocketAddr> = (self.endpoint.host.as_str(), self.endpoint.port)
            .to_socket_addrs()
            .map_err(|error| unreachable(error.to_string()))?
            .collect();
        let mut last = String::from("the host has no address");
        for address in addresses {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match TcpStream::connect_timeout(&address, CONNECT_TIMEOUT.min(left)) {
                Ok(stream) => return Ok(stream),
                Err(error) => last = error.to_string(),
            }
        }
        Err(unreachable(last))
    }

    /// The request's bytes: HTTP/1.1, one request, then the connection
    /// closes.
    fn request(&self, operation: &str, body: &Value) -> Vec<u8> {
        let body = body.to_string();
        let mut head = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-amz-json-1.0\r\n\
             X-Amz-Target: AWSStepFunctions.{operation}\r\nUser-Agent: sfini/{}\r\n\
             Content-Length: {}\r\nConnection: close\r\n",
            self.endpoint.path,
            self.endpoint.authority,
            env!("CARGO_PKG_VERSION"),
            body.len()
        );
        if let Some(region) = &self.region {
            // The server reads the region from the credential scope and
            // checks no signature.
            let date = OffsetDateTime::now_utc().date();
            head.push_str(&format!(
                "Authorization: AWS4-HMAC-SHA256 Credential=sfini/{:04}{:02}{:02}/{region}/states/\
                 aws4_request, SignedHeaders=content-type;host;x-amz-target, Signature=0\r\n",
                date.year(),
                u8::from(date.month()),
                date.day()
            ));
        }
        head.push_str("\r\n");
        let mut request = head.into_bytes();
        request.extend_from_slice(body.as_bytes());
        request
    }
}

/// The read and write timeouts of `stream`: what is left until `deadline`.
fn set_timeouts(stream: &TcpStream, deadline: Instant) -> io::Result<()> {
    let left = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_millis(1));
    stream.set_read_timeout(Some(left))?;
    stream.set_write_timeout(Some(left))
}

/// An `http://` URL, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Endpoint {
    /// The URL as given, for messages.
    url: String,
    /// `host:port` as written, for the `Host` header.
    authority: String,
    /// The host, without brackets for IPv6.
    host: String,
    /// The port (80 when none is written).
    port: u16,
    /// The path requests go to (`/` when none is written).
    path: String,
}

impl Endpoint {
    fn parse(url: &str) -> Result<Endpoint, String> {
        let shown = printable(url);
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("https://") {
            return Err(format!(
                "`{shown}` is an https URL; `sfini local serve` speaks plain HTTP: give \
                 http://HOST:PORT"
            ));
        }
        let Some(rest) = lower
            .starts_with("http://")
            .then(|| &url["http://".len()..])
        else {
            return Err(format!(
                "`{shown}` is not an http URL: give http://HOST:PORT, such as {DEFAULT_ENDPOINT}"
            ));
        };
        let (authority, path) = match rest.find(['/', '?', '#']) {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, "/"),
        };
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        let wrong =
            |what: &str| format!("`{shown}` is not an http URL that sfini can call: {what}");
        if authority.is_empty() {
            return Err(wrong("it names no host"));
        }
        if authority.contains('@') {
            return Err(wrong("it holds user information; give http://HOST:PORT"));
        }
        if authority
            .chars()
            .chain(path.chars())
            .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(wrong("it holds white space or control characters"));
        }
        let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
            let Some((host, after)) = bracketed.split_once(']') else {
                return Err(wrong("its IPv6 address has no closing `]`"));
            };
            (host, after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        let port = match port {
            None => 80,
            Some(port) => port
                .parse::<u16>()
                .ok()
                .filter(|port| *port != 0)
                .ok_or_else(|| wrong("its port is not a number from 1 to 65535"))?,
        };
        if host.is_empty() {
            return Err(wrong("it names no host"));
        }
        Ok(Endpoint {
            url: url.to_string(),
            authority: authority.to_string(),
            host: host.to_string(),
            port,
            path,
        })
    }
}

/// Reads one HTTP/1.1 response to its end, within [`MAX_RESPONSE_BYTES`]
/// and `deadline`: its status and body.
fn read_response(stream: &mut TcpStream, deadline: Instant) -> Result<(u16, Vec<u8>), String> {
    let mut received: Vec<u8> = Vec::new();
    let mut chunk = [0_u8; 16 * 1024];
    // The end of the head and the body's length, once the head is read.
    let mut head: Option<(usize, u16, Framing)> = None;
    loop {
        if let Some((start, status, Framing::Length(length))) = head
            && received.len() >= start + length
        {
            received.truncate(start + length);
            return Ok((status, received.split_off(start)));
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "it did not arrive within {} seconds",
                CALL_TIMEOUT.as_secs()
            ));
        }
        set_timeouts(stream, deadline).map_err(|error| error.to_string())?;
        let read = match stream.read(&mut chunk) {
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error)
                if matches!(
                    error.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(format!(
                    "it did not arrive within {} seconds",
                    CALL_TIMEOUT.as_secs()
                ));
            }
            Err(error) => return Err(error.to_string()),
        };
        if read == 0 {
            // The server closed the connection: the body ends here.
            return match head {
                Some((start, status, Framing::UntilClose)) => {
                    Ok((status, received.split_off(start)))
                }
                Some((start, status, Framing::Chunked)) => {
                    Ok((status, dechunk(&received[start..])?))
                }
                Some((_, _, Framing::Length(length))) => Err(format!(
                    "the connection closed before the body's {length} bytes came"
                )),
                None if received.is_empty() => {
                    Err("the server closed the connection without answering".into())
                }
                None => Err("the connection closed within the answer's headers".into()),
            };
        }
        if received.len() + read > MAX_RESPONSE_BYTES {
            return Err(format!(
                "it is larger than {MAX_RESPONSE_BYTES} bytes, the most sfini reads"
            ));
        }
        received.extend_from_slice(&chunk[..read]);
        if head.is_none() {
            head = read_head(&mut received)?;
        }
        if let Some((start, _, Framing::Length(length))) = head
            && start.saturating_add(length) > MAX_RESPONSE_BYTES
        {
            return Err(format!(
                "its body has {length} bytes, more than the {MAX_RESPONSE_BYTES} sfini reads"
            ));
        }
    }
}

/// How a response's body ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Framing {
    /// After so many bytes (`Content-Length`).
    Length(usize),
    /// In chunks (`Transfer-Encoding: chunked`), read until the connection
    /// closes.
    Chunked,
    /// When the connection closes.
    UntilClose,
}

/// The head of the response in `received`, once it is whole: where the
/// body starts, the status and how the body ends. Interim (1xx) responses
/// before it are dropped from `received`.
fn read_head(received: &mut Vec<u8>) -> Result<Option<(usize, u16, Framing)>, String> {
    loop {
        let Some(end) = received.windows(4).position(|window| window == b"\r\n\r\n") else {
            if received.len() > MAX_HEAD_BYTES {
                return Err(format!(
                    "its headers are longer than {MAX_HEAD_BYTES} bytes"
                ));
            }
            return Ok(None);
        };
        let text = String::from_utf8_lossy(&received[..end]).into_owned();
        let mut lines = text.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status = status_line
            .strip_prefix("HTTP/1.")
            .and_then(|rest| rest.get(2..5))
            .and_then(|code| code.parse::<u16>().ok())
            .ok_or_else(|| {
                format!(
                    "it is not HTTP/1.1: it starts with `{}`",
                    printable(&status_line.chars().take(80).collect::<String>())
                )
            })?;
        if (100..200).contains(&status) {
            received.drain(..end + 4);
            continue;
        }
        let mut framing = Framing::UntilClose;
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("transfer-encoding")
                && value.to_ascii_lowercase().contains("chunked")
            {
                framing = Framing::Chunked;
            } else if name.eq_ignore_ascii_case("content-length") && framing != Framing::Chunked {
                let length = value.parse::<usize>().map_err(|_| {
                    format!("its Content-Length `{}` is no number", printable(value))
                })?;
                framing = Framing::Length(length);
            }
        }
        return Ok(Some((end + 4, status, framing)));
    }
}

/// The body of a chunked response.
fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let Some(line_end) = data.windows(2).position(|window| window == b"\r\n") else {
            return Err("a chunk of its body was cut short".into());
        };
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| "a chunk of its body has no size".to_string())?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        if data.len() < size + 2 {
            return Err("a chunk of its body was cut short".into());
        }
        body.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// The answer's JSON object, or the error it carries.
fn answer(status: u16, body: &[u8]) -> Result<Value, CallError> {
    let text = String::from_utf8_lossy(body);
    let parsed = parse_json(&text, MAX_DEPTH).ok();
    if status == 200 {
        return match parsed {
            Some(value @ Value::Object(_)) => Ok(value),
            _ => Err(CallError::Failed(format!(
                "the server answered HTTP 200 with a body that is not a JSON object: `{}`",
                printable(&text.chars().take(200).collect::<String>())
            ))),
        };
    }
    let field = |name: &str| {
        parsed
            .as_ref()
            .and_then(|value| value.get(name))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    match (
        field("__type"),
        field("message").or_else(|| field("Message")),
    ) {
        (Some(kind), message) => Err(CallError::Refused {
            // SDKs keep what follows `#` as the code.
            code: kind.rsplit('#').next().unwrap_or_default().to_string(),
            message: message.unwrap_or_default(),
        }),
        (None, _) => Err(CallError::Failed(format!(
            "the server answered HTTP {status}: `{}`",
            printable(&text.chars().take(200).collect::<String>())
        ))),
    }
}

/// `text` safe to print on a terminal: control characters escaped.
fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Prints why `command` failed; the exit status `status`.
fn fail(command: &str, message: &dyn std::fmt::Display, status: u8) -> ExitCode {
    eprintln!("sfini local {command}: {message}");
    ExitCode::from(status)
}

/// Makes a client, or says why not.
fn client(command: &str, args: &EndpointArgs) -> Result<Client, ExitCode> {
    Client::new(args).map_err(|message| fail(command, &message, NOT_MADE))
}

fn send_success(args: &SendSuccessArgs) -> ExitCode {
    const COMMAND: &str = "send-success";
    let client = match client(COMMAND, &args.endpoint) {
        Ok(client) => client,
        Err(status) => return status,
    };
    let output = match (&args.output, &args.output_file) {
        (Some(output), _) => output.clone(),
        (None, Some(path)) => {
            let (read, from) = if path.as_os_str() == "-" {
                (
                    bounded::read_stdin(MAX_PAYLOAD_BYTES, Unit::Bytes),
                    "standard input".to_string(),
                )
            } else {
                (
                    bounded::read_file(path, MAX_PAYLOAD_BYTES, Unit::Bytes),
                    format!("the file {}", path.display()),
                )
            };
            match read {
                Ok(text) => text,
                Err(error) => {
                    return fail(COMMAND, &error.describe("the output", &from), NOT_MADE);
                }
            }
        }
        (None, None) => "{}".to_string(),
    };
    if output.len() > MAX_PAYLOAD_BYTES {
        return fail(
            COMMAND,
            &format!(
                "the output has {} bytes; Step Functions takes at most {MAX_PAYLOAD_BYTES}",
                output.len()
            ),
            NOT_MADE,
        );
    }
    if let Err(error) = parse_json(&output, MAX_DEPTH) {
        return fail(
            COMMAND,
            &format!("the output is not JSON: {error}"),
            NOT_MADE,
        );
    }
    let body = json!({"taskToken": args.token, "output": output});
    answered(
        COMMAND,
        client.call("SendTaskSuccess", &body),
        "answered the task: SendTaskSuccess",
    )
}

fn send_failure(args: &SendFailureArgs) -> ExitCode {
    const COMMAND: &str = "send-failure";
    let client = match client(COMMAND, &args.endpoint) {
        Ok(client) => client,
        Err(status) => return status,
    };
    let mut body = Map::new();
    body.insert("taskToken".into(), Value::String(args.token.clone()));
    if let Some(error) = &args.error {
        body.insert("error".into(), Value::String(error.clone()));
    }
    if let Some(cause) = &args.cause {
        body.insert("cause".into(), Value::String(cause.clone()));
    }
    answered(
        COMMAND,
        client.call("SendTaskFailure", &Value::Object(body)),
        "failed the task: SendTaskFailure",
    )
}

fn send_heartbeat(args: &SendHeartbeatArgs) -> ExitCode {
    const COMMAND: &str = "send-heartbeat";
    let client = match client(COMMAND, &args.endpoint) {
        Ok(client) => client,
        Err(status) => return status,
    };
    let body = json!({"taskToken": args.token});
    answered(
        COMMAND,
        client.call("SendTaskHeartbeat", &body),
        "sent a heartbeat: SendTaskHeartbeat",
    )
}

/// Says how a call went; its exit status.
fn answered(command: &str, result: Result<Value, CallError>, done: &str) -> ExitCode {
    match result {
        Ok(_) => {
            println!("{done}");
            ExitCode::SUCCESS
        }
        Err(error) => fail(command, &error, REFUSED),
    }
}

fn list(args: &TasksArgs) -> ExitCode {
    const COMMAND: &str = "tasks";
    let client = match client(COMMAND, &args.endpoint) {
        Ok(client) => client,
        Err(status) => return status,
    };
    let max = usize::try_from(args.max_tasks).unwrap_or(usize::MAX);
    let now = OffsetDateTime::now_utc();
    let mut out = io::stdout().lock();
    let mut listed = 0_usize;
    let mut next_token: Option<String> = None;
    let mut truncated = false;
    // A closed pipe ends the listing: nothing more can be said.
    let written = (|| -> Result<Result<(), CallError>, io::Error> {
        if args.json {
            write!(out, "{{\"tasks\":[")?;
        }
        loop {
            let mut request = Map::new();
            let page = (max - listed).min(1000);
            request.insert("maxResults".into(), Value::from(page));
            if let Some(execution) = &args.execution {
                request.insert("executionArn".into(), Value::String(execution.clone()));
            }
            if let Some(token) = next_token.take() {
                request.insert("nextToken".into(), Value::String(token));
            }
            let answer = match client.call("SfiniListWaitingTasks", &Value::Object(request)) {
                Ok(answer) => answer,
                Err(error) => return Ok(Err(error)),
            };
            let tasks = answer
                .get("tasks")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            for task in tasks.iter().take(max - listed) {
                if args.json {
                    if listed > 0 {
                        write!(out, ",")?;
                    }
                    write!(out, "{task}")?;
                } else {
                    if listed > 0 {
                        writeln!(out)?;
                    }
                    write_task(&mut out, task, now)?;
                }
                listed += 1;
            }
            next_token = answer
                .get("nextToken")
                .and_then(Value::as_str)
                .map(str::to_string);
            if next_token.is_none() {
                break;
            }
            if listed >= max {
                truncated = true;
                break;
            }
        }
        if args.json {
            writeln!(out, "],\"truncated\":{truncated}}}")?;
        } else if listed == 0 {
            match &args.execution {
                Some(execution) => writeln!(
                    out,
                    "no task of {} waits for an answer",
                    printable(execution)
                )?,
                None => writeln!(out, "no task waits for an answer")?,
            }
        }
        out.flush()?;
        Ok(Ok(()))
    })();
    match written {
        Ok(Ok(())) => {
            if truncated && !args.json {
                eprintln!(
                    "sfini local tasks: more tasks wait than the {max} listed; list more with \
                     --max-tasks, or one execution's with --execution"
                );
            }
            ExitCode::SUCCESS
        }
        Ok(Err(error)) => fail(COMMAND, &error, REFUSED),
        Err(_) => ExitCode::SUCCESS,
    }
}

/// Writes one task as a block of `name  value` lines.
fn write_task(out: &mut impl Write, task: &Value, now: OffsetDateTime) -> io::Result<()> {
    let text = |name: &str| task.get(name).and_then(Value::as_str).map(printable);
    let date = |name: &str| task.get(name).and_then(Value::as_f64).and_then(from_epoch);
    writeln!(out, "token      {}", text("taskToken").unwrap_or_default())?;
    writeln!(
        out,
        "execution  {}",
        text("executionArn").unwrap_or_default()
    )?;
    writeln!(out, "state      {}", text("stateName").unwrap_or_default())?;
    let kind = match task.get("kind").and_then(Value::as_str) {
        Some("ACTIVITY_QUEUED") => "activity task, not taken by a worker yet".to_string(),
        Some("ACTIVITY_STARTED") => match text("workerName") {
            Some(worker) => format!("activity task, taken by the worker `{worker}`"),
            None => "activity task, taken by a worker".to_string(),
        },
        Some("CALLBACK") => "callback (.waitForTaskToken)".to_string(),
        Some(other) => printable(other),
        None => String::new(),
    };
    writeln!(out, "kind       {kind}")?;
    writeln!(out, "resource   {}", text("resource").unwrap_or_default())?;
    if let Some(scheduled) = date("scheduledDate") {
        writeln!(
            out,
            "waiting    {} (since {})",
            duration(now - scheduled),
            rfc3339(scheduled)
        )?;
    }
    for (name, label) in [
        ("heartbeatDeadline", "heartbeat"),
        ("timeoutDeadline", "timeout"),
    ] {
        if let Some(deadline) = date(name) {
            let left = deadline - now;
            let when = if left.is_negative() {
                format!("overdue by {}", duration(-left))
            } else {
                format!("in {}", duration(left))
            };
            writeln!(out, "{label:<9}  {when} ({})", rfc3339(deadline))?;
        }
    }
    let input = text("input").unwrap_or_default();
    let shown: String = input.chars().take(SHOWN_INPUT_CHARS).collect();
    if shown.len() < input.len() {
        writeln!(
            out,
            "input      {shown}… ({} bytes; --json shows it whole)",
            input.len()
        )
    } else {
        writeln!(out, "input      {input}")
    }
}

/// A timestamp of the protocol (seconds since the epoch, to the
/// millisecond).
fn from_epoch(seconds: f64) -> Option<OffsetDateTime> {
    if !seconds.is_finite() {
        return None;
    }
    let millis = (seconds * 1000.0).round();
    if millis.abs() > 1e15 {
        return None;
    }
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis as i64) * 1_000_000).ok()
}

/// `at` as AWS writes times: `2026-03-01T12:00:00.000Z`.
fn rfc3339(at: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.millisecond()
    )
}

/// A span of time in two units at most: `42s`, `3m05s`, `2h03m`, `4d07h`.
fn duration(span: time::Duration) -> String {
    let seconds = span.whole_seconds().max(0);
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m{:02}s", seconds / 60, seconds % 60),
        3600..86_400 => format!("{}h{:02}m", seconds / 3600, seconds % 3600 / 60),
        _ => format!("{}d{:02}h", seconds / 86_400, seconds % 86_400 / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_http_urls() {
        let endpoint = Endpoint::parse("http://127.0.0.1:8083").expect("a URL");
        assert_eq!(
            (
                endpoint.host.as_str(),
                endpoint.port,
                endpoint.path.as_str()
            ),
            ("127.0.0.1", 8083, "/")
        );
        assert_eq!(endpoint.authority, "127.0.0.1:8083");
        let endpoint = Endpoint::parse("HTTP://[::1]:9000/sfn").expect("a URL");
        assert_eq!(
            (
                endpoint.host.as_str(),
                endpoint.port,
                endpoint.path.as_str()
            ),
            ("::1", 9000, "/sfn")
        );
        let endpoint = Endpoint::parse("http://localhost").expect("a URL");
        assert_eq!((endpoint.host.as_str(), endpoint.port), ("localhost", 80));
        for (bad, expected) in [
            ("https://127.0.0.1:8083", "speaks plain HTTP"),
            ("127.0.0.1:8083", "is not an http URL"),
            ("http://", "names no host"),
            ("http://:8083", "names no host"),
            ("http://h:0", "its port is not a number"),
            ("http://h:99999", "its port is not a number"),
            ("http://u:p@h:1", "user information"),
            ("http://h:1/a b", "white space"),
            ("http://[::1:80", "no closing"),
        ] {
            let error = Endpoint::parse(bad).expect_err(bad);
            assert!(error.contains(expected), "{bad}: {error}");
        }
    }

    #[test]
    fn heads_and_bodies_are_read_as_framed() {
        let mut received = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\nContent-Type: x\r\ncontent-length: 5\r\n\r\nhello".to_vec();
        let head = read_head(&mut received).expect("a head").expect("whole");
        assert_eq!(head.1, 400);
        assert_eq!(head.2, Framing::Length(5));
        assert_eq!(&received[head.0..], b"hello");
        let mut partial = b"HTTP/1.1 200 OK\r\nContent-Le".to_vec();
        assert_eq!(read_head(&mut partial), Ok(None));
        let mut chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        assert_eq!(
            read_head(&mut chunked).expect("a head").map(|head| head.2),
            Some(Framing::Chunked)
        );
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n").as_deref(),
            Ok(&b"abcde"[..])
        );
        assert!(dechunk(b"9\r\nabc").is_err());
        let mut foreign = b"SSH-2.0-OpenSSH\r\n\r\n".to_vec();
        assert!(
            read_head(&mut foreign)
                .expect_err("not HTTP")
                .contains("is not HTTP/1.1")
        );
    }

    #[test]
    fn errors_keep_the_code_after_the_namespace() {
        let refused = answer(
            400,
            br#"{"__type": "com.amazonaws.swf.service.v2.model#TaskTimedOut", "message": "closed"}"#,
        )
        .expect_err("an error");
        assert_eq!(refused.to_string(), "TaskTimedOut: closed");
        let unknown = answer(502, b"<html>bad gateway</html>").expect_err("an error");
        assert_eq!(
            unknown.to_string(),
            "the server answered HTTP 502: `<html>bad gateway</html>`"
        );
        assert_eq!(answer(200, b"{}").expect("an object"), json!({}));
        assert!(answer(200, b"[]").is_err());
        assert_eq!(printable("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
    }

    #[test]
    fn durations_and_dates_are_short() {
        assert_eq!(duration(time::Duration::seconds(42)), "42s");
        assert_eq!(duration(time::Duration::seconds(185)), "3m05s");
        assert_eq!(duration(time::Duration::seconds(7380)), "2h03m");
        assert_eq!(
            duration(time::Duration::seconds(4 * 86_400 + 7 * 3600)),
            "4d07h"
        );
        assert_eq!(duration(time::Duration::seconds(-5)), "0s");
        let at = from_epoch(1_772_366_400.5).expect("a date");
        assert_eq!(rfc3339(at), "2026-03-01T12:00:00.500Z");
        assert_eq!(from_epoch(f64::NAN), None);
        assert_eq!(from_epoch(1e300), None);
    }
}
