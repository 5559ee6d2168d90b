//! `sfini local serve [--port P] [--bind ADDR] [--poll-wait SECONDS]
//! [--region R] [--account-id A] [--max-connections N]
//! [--body-read-timeout DURATION] [--mock-config FILE] [--unhandled-callbacks wait|fail]
//! [--rerun-async-express]`: the local engine served over the HTTP
//! API of Step Functions, for the AWS CLI, boto3 and the AWS SDKs.
//!
//! Prints `listening on http://ADDR:PORT` on one line of standard output
//! once it accepts connections, so that scripts can read the port (with
//! `--port 0`); logs go to standard error (their level from `RUST_LOG`,
//! such as `debug` or `sfini_runtime=debug`; `info` by default). Stops
//! gracefully on SIGINT or SIGTERM: no new connection is accepted and the
//! requests in flight get a few seconds to finish.

use std::future::Future;
use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Subcommand;
use sfini::runtime::local::{DEFAULT_ACCOUNT_ID, DEFAULT_REGION, LocalEngine, UnhandledCallbacks};
use sfini::runtime::serve::{DEFAULT_MAX_CONNECTIONS, RegionalEngines, Server, is_region_name};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::prelude::*;

/// Arguments of `sfini local`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: LocalCommand,
}

#[derive(Debug, Subcommand)]
enum LocalCommand {
    /// Serve the local engine over the HTTP API of Step Functions.
    ///
    /// Point the AWS CLI, boto3 or an AWS SDK at it with an endpoint URL
    /// (`--endpoint-url http://127.0.0.1:8083`) and any credentials: no
    /// signature is checked. Each request is answered in the region it is
    /// signed for (us-east-1 when it is not signed), each region with its
    /// own state machines, activities and executions, unless `--region`
    /// names one region for all. Everything lives in memory and is gone
    /// when the server stops.
    Serve(ServeArgs),
    #[command(flatten)]
    Tasks(super::tasks::TaskCommand),
}

/// Arguments of `sfini local serve`.
#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// The port to listen on; 0 picks a free one (printed at start).
    #[arg(long, default_value_t = 8083)]
    port: u16,

    /// The address to listen on. Anyone who can reach the port can run
    /// workflows: keep the default (loopback) unless that is meant.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST), value_name = "ADDR")]
    bind: IpAddr,

    /// How long GetActivityTask waits for a task before answering with
    /// none, in seconds (0 to 60; AWS waits 60).
    #[arg(long, default_value_t = 60, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(0..=60))]
    poll_wait: u64,

    /// Serve every request in this region, whatever region it is signed
    /// for. Without it, each request is served in the region of its
    /// signature's credential scope (us-east-1 for a request that is not
    /// signed), each region with its own resources.
    #[arg(long, value_parser = region)]
    region: Option<String>,

    /// The account in the engine's ARNs (12 digits).
    #[arg(long, default_value = DEFAULT_ACCOUNT_ID, value_parser = account_id)]
    account_id: String,

    /// How many connections may be open at once; beyond it, clients wait
    /// until one closes.
    #[arg(long, default_value_t = DEFAULT_MAX_CONNECTIONS, value_name = "N")]
    max_connections: NonZeroUsize,

    /// How long a request's body may take to arrive after its headers, in
    /// seconds or with a unit (`30s`, `500ms`); a slower one is answered
    /// with HTTP 408.
    // The default is the server's, DEFAULT_BODY_READ_TIMEOUT (tested).
    #[arg(long, default_value = "30s", value_name = "DURATION", value_parser = duration)]
    body_read_timeout: Duration,

    /// A mock configuration in AWS's format (as Step Functions Local reads
    /// it): a StartExecution on `<stateMachineArn>#<TestCase>` runs that test
    /// case, its mocked Task states answered from the file.
    #[arg(long, value_name = "FILE")]
    mock_config: Option<PathBuf>,

    /// What a `.waitForTaskToken` Task does when nothing serves its
    /// resource here (no mock): `wait` takes the call as made and waits for
    /// SendTaskSuccess or SendTaskFailure with its token (see `sfini local
    /// tasks`); `fail` fails it with States.Runtime.
    #[arg(long, value_name = "wait|fail", default_value = "wait", value_parser = unhandled_callbacks)]
    unhandled_callbacks: UnhandledCallbacks,

    /// Run each asynchronous Express execution (StartExecution of an
    /// Express machine) twice from its start, the first run's outcome
    /// dropped, as AWS's at-least-once guarantee allows: a workflow whose
    /// effects are not idempotent shows it.
    #[arg(long)]
    rerun_async_express: bool,

    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// How long requests in flight may take to finish once told to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

fn unhandled_callbacks(text: &str) -> Result<UnhandledCallbacks, String> {
    match text {
        "wait" => Ok(UnhandledCallbacks::Wait),
        "fail" => Ok(UnhandledCallbacks::Fail),
        _ => Err(format!("`{text}` is neither `wait` nor `fail`")),
    }
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

/// A positive duration: a number of seconds, or a number and `s` or `ms`.
fn duration(text: &str) -> Result<Duration, String> {
    let wrong = || {
        format!(
            "`{text}` is not a duration: a positive number of seconds, or a number with `s` or \
             `ms`, such as `30`, `30s` or `500ms`"
        )
    };
    let (number, per_second) = if let Some(number) = text.strip_suffix("ms") {
        (number, 1000.0)
    } else {
        (text.strip_suffix('s').unwrap_or(text), 1.0)
    };
    let number: f64 = number.trim().parse().map_err(|_| wrong())?;
    // Beyond a year is no limit worth a number: refused as a typo.
    let seconds = number / per_second;
    if !(seconds > 0.0 && seconds <= 365.0 * 24.0 * 3600.0) {
        return Err(wrong());
    }
    Ok(Duration::from_secs_f64(seconds))
}

fn account_id(text: &str) -> Result<String, String> {
    if text.len() == 12 && text.chars().all(|c| c.is_ascii_digit()) {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{text}` is not an AWS account id: 12 digits, such as `123456789012`"
        ))
    }
}

/// Runs the subcommand.
pub fn run(args: &Args) -> ExitCode {
    match &args.command {
        LocalCommand::Serve(serve) => run_serve(serve),
        LocalCommand::Tasks(command) => super::tasks::run(command),
    }
}

fn run_serve(args: &ServeArgs) -> ExitCode {
    init_logs();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("sfini local serve: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(serve(args))
}

/// Logs to standard error, filtered by `RUST_LOG` (`info` by default).
fn init_logs() {
    let filter = match std::env::var("RUST_LOG") {
        Ok(text) if !text.trim().is_empty() => text.parse::<Targets>().unwrap_or_else(|error| {
            eprintln!(
                "sfini local serve: RUST_LOG=`{text}` is not a filter ({error}); \
                 logging at `info`: give a level such as `debug`, or `target=level,...`"
            );
            Targets::new().with_default(LevelFilter::INFO)
        }),
        _ => Targets::new().with_default(LevelFilter::INFO),
    };
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(io::stderr)
        .with_ansi(false);
    // A subscriber set earlier (there is none in this binary) keeps its
    // place: logging is then its business.
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(filter)
        .try_init();
}

async fn serve(args: &ServeArgs) -> ExitCode {
    let mut builder = LocalEngine::builder()
        .region(args.region.as_deref().unwrap_or(DEFAULT_REGION))
        .account_id(&args.account_id)
        .activity_poll_wait(Duration::from_secs(args.poll_wait))
        .limits(args.limits.limits())
        .unhandled_callbacks(args.unhandled_callbacks)
        .rerun_async_express(args.rerun_async_express);
    if let Some(path) = &args.mock_config {
        match super::mock_config::read(path) {
            Ok(config) => builder = builder.mock_config(config),
            Err(message) => {
                eprintln!("sfini local serve: {message}");
                return ExitCode::from(2);
            }
        }
    }
    let addr = SocketAddr::new(args.bind, args.port);
    let bound = match &args.region {
        // One region for every request.
        Some(_) => Server::bind(addr, Arc::new(builder.build())).await,
        // The region of each request's signature.
        None => Server::bind_regional(addr, RegionalEngines::local(builder)).await,
    };
    let server = match bound {
        Ok(server) => server
            .shutdown_grace(SHUTDOWN_GRACE)
            .max_connections(args.max_connections)
            .body_read_timeout(args.body_read_timeout),
        Err(error) => {
            eprintln!("sfini local serve: cannot listen on {addr}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let stop = stop_signal();
    let local = server.local_addr();
    if !local.ip().is_loopback() {
        eprintln!(
            "sfini local serve: warning: listening on {local}, not a loopback address: anyone \
             who can reach this port can create and run workflows, with no authentication"
        );
    }
    let mut out = io::stdout().lock();
    if writeln!(out, "listening on http://{local}")
        .and_then(|()| out.flush())
        .is_err()
    {
        eprintln!("sfini local serve: cannot write the address to standard output");
        return ExitCode::FAILURE;
    }
    drop(out);
    server.serve_with_shutdown(stop).await;
    ExitCode::SUCCESS
}

/// A future that completes on SIGINT (Ctrl-C) or SIGTERM. The signals are
/// caught from this call on, before the future is first polled, so that a
/// signal sent as soon as the address is printed stops the server rather
/// than the process.
#[cfg(unix)]
fn stop_signal() -> impl Future<Output = ()> {
    use tokio::signal::unix::{Signal, SignalKind, signal};
    let listen = |kind: SignalKind, name: &str| match signal(kind) {
        Ok(listener) => Some(listener),
        Err(error) => {
            tracing::warn!(%error, "cannot catch {name}");
            None
        }
    };
    let mut interrupt = listen(SignalKind::interrupt(), "SIGINT");
    let mut terminate = listen(SignalKind::terminate(), "SIGTERM");
    async fn received(listener: &mut Option<Signal>) {
        let caught = match listener {
            Some(listener) => listener.recv().await.is_some(),
            None => false,
        };
        if !caught {
            // Not caught, or no longer: this signal never stops the server.
            std::future::pending::<()>().await;
        }
    }
    async move {
        tokio::select! {
            () = received(&mut interrupt) => {}
            () = received(&mut terminate) => {}
        }
        tracing::info!("stop requested");
    }
}

/// A future that completes on Ctrl-C.
#[cfg(not(unix))]
fn stop_signal() -> impl Future<Output = ()> {
    async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot catch Ctrl-C");
            std::future::pending::<()>().await;
        }
        tracing::info!("stop requested");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_accounts_are_checked() {
        assert_eq!(region("eu-west-3").as_deref(), Ok("eu-west-3"));
        assert!(
            region("EU_WEST")
                .unwrap_err()
                .contains("is not a region name")
        );
        assert!(region("").is_err());
        assert_eq!(account_id("000011112222").as_deref(), Ok("000011112222"));
        assert!(account_id("1234").unwrap_err().contains("12 digits"));
    }

    #[test]
    fn durations_are_seconds_or_milliseconds() {
        assert_eq!(
            duration("30s"),
            Ok(sfini::runtime::serve::DEFAULT_BODY_READ_TIMEOUT)
        );
        assert_eq!(duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(duration("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(duration("200ms"), Ok(Duration::from_millis(200)));
        for bad in ["0", "0ms", "-1s", "soon", "", "ms", "inf", "NaN", "1e30"] {
            assert!(
                duration(bad).unwrap_err().contains("is not a duration"),
                "{bad}"
            );
        }
    }
}
