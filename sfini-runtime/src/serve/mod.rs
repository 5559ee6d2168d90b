//! An engine served over the HTTP API of Step Functions (feature `serve`),
//! so that the AWS CLI, boto3 and the AWS SDKs use the local engine as they
//! use AWS, by pointing their endpoint at it.
//!
//! [`Server`] answers the AWS JSON 1.0 protocol of Step Functions: `POST /`
//! with `X-Amz-Target: AWSStepFunctions.<Operation>` and a JSON body of the
//! operation's members, answered with `200` and a JSON body
//! (`Content-Type: application/x-amz-json-1.0`, an `x-amzn-RequestId`
//! header), or with an error shaped as AWS shapes it: HTTP 400 (500 for an
//! internal failure) and `{"__type": "<namespace>#<Code>", "message": ...}`,
//! where the code is the engine's [`SfnError::code`](crate::api::SfnError::code).
//!
//! - **Operations**: the 33 of [`StepFunctions`] (`TestState` among them, its
//!   members read in `test_state.rs`; `StartSyncExecution` in
//!   `sync_execution.rs`, answered whatever the `Host` header, so that
//!   the `sync-` host prefix SDKs add does not matter; the tag calls,
//!   `DescribeStateMachineForExecution` and `ValidateStateMachineDefinition`
//!   in `tags_and_validation.rs`; the version and alias calls in
//!   `versions.rs`), and sfini's own
//!   `SfiniListWaitingTasks` (the tasks waiting for `SendTaskSuccess` or
//!   `SendTaskFailure`, with their tokens: see
//!   [`StepFunctions::list_waiting_tasks`], which Step Functions does not
//!   have). Any other operation of Step Functions, a foreign or missing
//!   `X-Amz-Target`, or a method other than `POST` is answered with
//!   `UnknownOperationException` (except the console's requests, below).
//! - **The console**: `GET /console/` is a web page, built into the
//!   binary and fetching nothing from elsewhere, that lists the state
//!   machines and executions, shows one execution's graph coloured by what
//!   happened to each state, its events and each state's input and output,
//!   and follows a running execution live. It reads the engine through
//!   this API (in the default region, or the one the page names), lists the
//!   regions served with `GET /console/regions`, and draws graphs with
//!   `GET /console/graph.svg?executionArn=ARN` (the definition the
//!   execution ran) or `?stateMachineArn=ARN` (a machine's or a
//!   version's), as [`sfini_core::graph`] renders them. A request for
//!   `/console` or a path below it without an `X-Amz-Target` is the
//!   console's: only `GET` and `HEAD` are answered (`405` otherwise), with
//!   no body (`413`), a request target of at most 8 KiB (`414`), and `404`
//!   for any other path; with an `X-Amz-Target` it is the API's, whatever
//!   its path.
//! - **Members** are read as the API reference defines them (camelCase
//!   names, types, lengths and ranges); a body that is not a JSON object, a
//!   member of the wrong type, a missing required member, or a member the
//!   operation does not have is answered with a `ValidationException`
//!   naming every such member (`1 validation error detected: Value null at
//!   'stateMachineArn' failed to satisfy constraint: Member must not be
//!   null`).
//! - **Members for behaviour the engine lacks** (`loggingConfiguration`,
//!   `tracingConfiguration`, `encryptionConfiguration`, `mapRunArn`) are
//!   accepted only with a value that asks for nothing (logging `OFF`,
//!   tracing disabled, `AWS_OWNED_KEY`) and refused otherwise with a
//!   `ValidationException` naming the member. `includedData:
//!   METADATA_ONLY` leaves the definition (DescribeStateMachine) or the
//!   input and output (DescribeExecution) out; `redriveFilter: REDRIVEN`
//!   lists no execution, since the engine redrives none. `tags` are
//!   checked (key and value lengths) and handed to the engine, which keeps
//!   none: no tag operation is answered, so none can be read back.
//! - **Regions**: a server made with [`Server::bind_regional`] answers each
//!   request in the region its SigV4 signature is scoped to (the third
//!   part of the `Credential=AKID/DATE/REGION/states/aws4_request` scope of
//!   its `Authorization` header), as AWS answers each region at its own
//!   endpoint: each region has its own engine, made on the first request
//!   for it (see [`RegionalEngines`]), whose ARNs name the region, and what
//!   one region holds is not found from another (an ARN of another region
//!   is answered as a resource that does not exist, `StateMachineDoesNotExist`,
//!   `ExecutionDoesNotExist` or `ActivityDoesNotExist`, as AWS answers it).
//!   A request without an `Authorization` header, or whose credential
//!   scope cannot be read, is served in the default region (`us-east-1`
//!   for `sfini local serve`). A scope naming no well-formed region
//!   (lowercase letters, digits and dashes, at most
//!   [`MAX_REGION_NAME_LENGTH`] bytes), or a new region beyond the
//!   [bound](RegionalEngines::max_regions) (default
//!   [`DEFAULT_MAX_REGIONS`]), is refused with an
//!   `InvalidSignatureException`. A server made with [`Server::bind`]
//!   serves its one engine to every request, whatever it is signed for.
//! - **Authentication**: none. Any signature, or none, is accepted: the
//!   `Authorization` header is read for its region only, and the signature
//!   is not checked. Anyone who can reach the port can run workflows, so
//!   bind to loopback unless that is meant.
//! - **Limits**, so that a client cannot hold the server's memory,
//!   connections or time:
//!   - request bodies over [`MAX_REQUEST_BYTES`] are refused with HTTP 413
//!     as soon as their length (declared, or read so far) exceeds it;
//!   - request headers must arrive within 30 seconds, and a connection idle
//!     between requests for as long is closed;
//!   - a body must arrive within the [body read
//!     timeout](Server::body_read_timeout) of its headers (default
//!     [`DEFAULT_BODY_READ_TIMEOUT`]): a client that sends it slowly, or
//!     stops, is answered HTTP 408 (`RequestTimeoutException`, which SDKs
//!     retry) and its connection closed;
//!   - at most [so many connections](Server::max_connections) are open at
//!     once (default [`DEFAULT_MAX_CONNECTIONS`]): at the bound the server
//!     stops accepting, and further clients wait in the system's listen
//!     backlog until a connection closes (a warning is logged the first
//!     time);
//!   - error messages quote what the request held (values, member and
//!     operation names, ARNs, tokens) only in part, their first 100
//!     characters and their length, and are cut at 4 KiB in all.
//! - **Long polls**: `GetActivityTask` waits as the engine waits. A client
//!   that goes away during a poll drops the request's future; the local
//!   engine's polls are cancel-safe, so a task it had handed to that poll
//!   goes to the next one.
//! - **Concurrency**: each connection is a tokio task; connections are kept
//!   alive between requests (HTTP/1.1). A long poll holds its connection
//!   while it waits, so the connection bound is also a bound on polls.
//!
//! ```no_run
//! use std::sync::Arc;
//! use sfini_runtime::local::LocalEngine;
//! use sfini_runtime::serve::Server;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let server = Server::bind("127.0.0.1:8083", Arc::new(LocalEngine::new())).await?;
//! println!("listening on http://{}", server.local_addr());
//! server
//!     .serve_with_shutdown(async {
//!         let _ = tokio::signal::ctrl_c().await;
//!     })
//!     .await;
//! # Ok(())
//! # }
//! ```

mod console;
mod error;
mod http;
mod operation;
mod read;
mod redrive;
mod region;
mod sync_execution;
mod tags_and_validation;
mod test_state;
mod versions;
mod waiting;
mod write;

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream, ToSocketAddrs};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;
use tracing::Instrument;

use crate::api::StepFunctions;

use self::region::Engines;
pub use self::region::{
    DEFAULT_MAX_REGIONS, MAX_REGION_NAME_LENGTH, RegionalEngines, is_region_name,
};

/// The largest request body the server reads, in bytes (2 MiB): room for
/// the largest definition Step Functions takes (1 MiB of characters) with
/// its escapes and the rest of the request.
pub const MAX_REQUEST_BYTES: usize = 2 * 1024 * 1024;

/// How long a shut-down server lets requests in flight finish, by default.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// How long a request's body may take to arrive after its headers, by
/// default: as long as the headers may take.
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = HEADER_READ_TIMEOUT;

/// How many connections a server keeps open at once, by default (512).
///
/// Far more than the clients of a local engine open (a worker holds one
/// connection per poll in flight and per report; the HTTP benchmarks use
/// 64), and low enough that the bound holds before the process runs out of
/// file descriptors where their limit is the common 1024, and that what the
/// connections may hold at once stays bounded: each may be reading a body
/// of up to [`MAX_REQUEST_BYTES`].
pub const DEFAULT_MAX_CONNECTIONS: NonZeroUsize = match NonZeroUsize::new(512) {
    Some(bound) => bound,
    None => unreachable!(),
};

/// How long a connection may take to send a request's headers.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How long to wait before accepting again after accepting failed (out of
/// file descriptors, for instance).
const ACCEPT_RETRY_DELAY: Duration = Duration::from_millis(100);

/// A Step Functions engine served over HTTP: see the [module
/// documentation](self).
pub struct Server {
    listener: TcpListener,
    local_addr: SocketAddr,
    engines: Arc<Engines>,
    shutdown_grace: Duration,
    body_read_timeout: Duration,
    max_connections: NonZeroUsize,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("local_addr", &self.local_addr)
            .field("shutdown_grace", &self.shutdown_grace)
            .field("body_read_timeout", &self.body_read_timeout)
            .field("max_connections", &self.max_connections)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Listens on `addr` (port 0 picks a free port: see
    /// [`local_addr`](Self::local_addr)) to serve `engine` to every request,
    /// whatever region it is signed for: its ARNs name the engine's own
    /// region (as `sfini local serve --region` serves).
    pub async fn bind(
        addr: impl ToSocketAddrs,
        engine: Arc<dyn StepFunctions>,
    ) -> io::Result<Server> {
        Server::bind_engines(addr, Engines::One(engine)).await
    }

    /// Listens on `addr` to serve each request with the engine of the
    /// region it is signed for, as AWS answers each region at its own
    /// endpoint: see [`RegionalEngines`] and the [module
    /// documentation](self).
    pub async fn bind_regional(
        addr: impl ToSocketAddrs,
        engines: RegionalEngines,
    ) -> io::Result<Server> {
        Server::bind_engines(addr, Engines::Regional(engines)).await
    }

    async fn bind_engines(addr: impl ToSocketAddrs, engines: Engines) -> io::Result<Server> {
        let listener = TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        Ok(Server {
            listener,
            local_addr,
            engines: Arc::new(engines),
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// How long [`serve_with_shutdown`](Self::serve_with_shutdown) lets
    /// requests in flight finish once told to stop (default
    /// [`DEFAULT_SHUTDOWN_GRACE`]); requests still running then, such as
    /// long polls, are cut off.
    #[must_use]
    pub fn shutdown_grace(mut self, grace: Duration) -> Server {
        self.shutdown_grace = grace;
        self
    }

    /// How long a request's body may take to arrive, counted from the end
    /// of its headers (default [`DEFAULT_BODY_READ_TIMEOUT`]). A body still
    /// incomplete then is answered with HTTP 408 and a
    /// `RequestTimeoutException`, and the connection is closed.
    #[must_use]
    pub fn body_read_timeout(mut self, timeout: Duration) -> Server {
        self.body_read_timeout = timeout;
        self
    }

    /// How many connections may be open at once (default
    /// [`DEFAULT_MAX_CONNECTIONS`]). At the bound the server accepts no
    /// more until one closes: the system's listen backlog holds the clients
    /// that connect meanwhile, and beyond it their connections are refused
    /// or time out, as the system decides. An idle kept-alive connection
    /// counts until it is closed, by its client or after 30 seconds idle.
    #[must_use]
    pub fn max_connections(mut self, bound: NonZeroUsize) -> Server {
        self.max_connections = bound;
        self
    }

    /// Serves until the task running it is dropped.
    pub async fn serve(self) {
        self.serve_with_shutdown(std::future::pending()).await;
    }

    /// Serves until `signal` completes, then shuts down gracefully: stops
    /// accepting connections, closes idle ones, lets requests in flight
    /// finish within the [grace](Self::shutdown_grace), cuts off the rest,
    /// and returns.
    pub async fn serve_with_shutdown(self, signal: impl Future<Output = ()>) {
        let Server {
            listener,
            local_addr,
            engines,
            shutdown_grace,
            body_read_timeout,
            max_connections,
        } = self;
        tracing::info!(
            address = %local_addr,
            console = %format_args!("http://{local_addr}/console/"),
            "serving the Step Functions API and its console"
        );
        let (stop, stopped) = watch::channel(false);
        let mut connections = JoinSet::new();
        let mut admission = Admission::new(max_connections);
        tokio::pin!(signal);
        loop {
            tokio::select! {
                () = &mut signal => break,
                accepted = admission.accept(&listener) => match accepted {
                    Ok((stream, peer, permit)) => {
                        let span = tracing::debug_span!("connection", %peer);
                        let serve = connection(
                            stream,
                            Arc::clone(&engines),
                            body_read_timeout,
                            stopped.clone(),
                        );
                        connections.spawn(
                            async move {
                                serve.await;
                                // The connection's place is free once it
                                // has ended.
                                drop(permit);
                            }
                            .instrument(span),
                        );
                    }
                    Err(error) => {
                        tracing::warn!(%error, "accepting a connection failed");
                        tokio::time::sleep(ACCEPT_RETRY_DELAY).await;
                    }
                },
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        drop(listener);
        tracing::info!(
            connections = connections.len(),
            "shutting down: letting requests in flight finish"
        );
        // Every receiver is held by a connection, which checks the value
        // when it changes; no receiver left is no one to tell.
        let _ = stop.send(true);
        let drained = tokio::time::timeout(shutdown_grace, async {
            while connections.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!(
                connections = connections.len(),
                grace = ?shutdown_grace,
                "cutting off the requests still in flight"
            );
            connections.shutdown().await;
        }
        tracing::info!("stopped");
    }
}

/// The bound on open connections: a permit per connection, taken before
/// accepting it.
struct Admission {
    permits: Arc<Semaphore>,
    bound: NonZeroUsize,
    /// Whether the bound has been reached before (it is logged as a
    /// warning the first time only).
    reached: bool,
}

impl Admission {
    fn new(bound: NonZeroUsize) -> Admission {
        // A semaphore holds at most `Semaphore::MAX_PERMITS`: a larger
        // bound is no bound at all anyway.
        let permits = bound.get().min(Semaphore::MAX_PERMITS);
        Admission {
            permits: Arc::new(Semaphore::new(permits)),
            bound,
            reached: false,
        }
    }

    /// The next connection, with its permit: waits for a connection to
    /// close while the bound is reached, then for a client. Cancel-safe:
    /// dropped, it gives back its permit and leaves the client in the
    /// backlog.
    async fn accept(
        &mut self,
        listener: &TcpListener,
    ) -> io::Result<(TcpStream, SocketAddr, OwnedSemaphorePermit)> {
        let permit = match Arc::clone(&self.permits).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if self.reached {
                    tracing::debug!(
                        max_connections = self.bound,
                        "the connection bound is reached again"
                    );
                } else {
                    self.reached = true;
                    tracing::warn!(
                        max_connections = self.bound,
                        "the connection bound is reached: no connection is accepted until \
                         one closes, and new clients wait in the listen backlog (logged once)"
                    );
                }
                Arc::clone(&self.permits)
                    .acquire_owned()
                    .await
                    .map_err(|_| io::Error::other("the connection bound's semaphore closed"))?
            }
        };
        let (stream, peer) = listener.accept().await?;
        Ok((stream, peer, permit))
    }
}

/// Serves one connection until the client closes it or the server stops.
async fn connection(
    stream: TcpStream,
    engines: Arc<Engines>,
    body_read_timeout: Duration,
    mut stopped: watch::Receiver<bool>,
) {
    // Answers are small and written at once: no reason to delay them.
    if let Err(error) = stream.set_nodelay(true) {
        tracing::debug!(%error, "could not disable Nagle's algorithm");
    }
    let service = service_fn(move |request| {
        let engines = Arc::clone(&engines);
        async move { Ok::<_, Infallible>(http::answer(engines, request, body_read_timeout).await) }
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    let ended = tokio::select! {
        ended = connection.as_mut() => ended,
        // The value only ever changes to `true`; a sender gone is a server
        // gone, which stops too.
        _ = stopped.changed() => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(error) = ended {
        tracing::debug!(%error, "the connection ended with an error");
    }
}
