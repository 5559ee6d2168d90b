//! [`ActivityContext`]: what a running activity knows about its task: the
//! task token, a way to send heartbeats, and whether the task was cancelled.
//!
//! An activity receives the context by declaring a parameter of type
//! `ActivityContext` (or `&ActivityContext`); the worker that runs the task
//! builds it with [`ActivityContext::new`], and unit tests with
//! [`ActivityContext::for_test`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::watch;

/// The future of one heartbeat.
pub type HeartbeatFuture<'a> =
    Pin<Box<dyn Future<Output = Result<(), HeartbeatError>> + Send + 'a>>;

/// Sends a task's heartbeats to the engine that handed out the task (the
/// local engine, or Step Functions' `SendTaskHeartbeat`).
pub trait HeartbeatSender: Send + Sync {
    /// Reports that the task holding `task_token` is still being worked on.
    fn send_heartbeat<'a>(&'a self, task_token: &'a str) -> HeartbeatFuture<'a>;
}

/// Why a heartbeat was not delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HeartbeatError {
    /// The engine no longer waits for this task: it timed out, or its
    /// execution was stopped. Whatever the activity returns now is ignored;
    /// the context is cancelled.
    #[error(
        "the task is no longer running (it timed out or its execution stopped); stop working on it"
    )]
    TaskTimedOut,
    /// The heartbeat could not be sent (the engine could not be reached,
    /// say); the task may still be running.
    #[error("the heartbeat could not be sent: {0}")]
    Unsent(String),
}

/// A cancellation signal shared by a worker and the activity it runs: the
/// worker calls [`cancel`](Self::cancel), the activity checks
/// [`is_cancelled`](Self::is_cancelled) or awaits
/// [`cancelled`](Self::cancelled). Clones share the same signal.
#[derive(Clone)]
pub struct Cancellation {
    state: Arc<watch::Sender<bool>>,
}

impl Cancellation {
    /// A signal that is not cancelled yet.
    pub fn new() -> Self {
        Cancellation {
            state: Arc::new(watch::Sender::new(false)),
        }
    }

    /// Cancels: wakes every task awaiting [`cancelled`](Self::cancelled).
    /// Cancelling twice is the same as cancelling once.
    pub fn cancel(&self) {
        self.state.send_replace(true);
    }

    /// True once [`cancel`](Self::cancel) has been called.
    pub fn is_cancelled(&self) -> bool {
        *self.state.borrow()
    }

    /// Resolves when the signal is cancelled (at once if it already is).
    pub async fn cancelled(&self) {
        let mut receiver = self.state.subscribe();
        // `wait_for` fails only when every sender is gone; `self.state` is
        // one of them and lives as long as this future.
        let _ = receiver.wait_for(|cancelled| *cancelled).await;
    }
}

impl Default for Cancellation {
    fn default() -> Self {
        Cancellation::new()
    }
}

impl fmt::Debug for Cancellation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cancellation")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

/// What a running activity knows about its task. Cheap to clone: clones
/// share the task.
///
/// ```
/// use sfini_runtime::activity::ActivityContext;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let context = ActivityContext::for_test("token-1");
/// assert_eq!(context.task_token(), "token-1");
/// context.heartbeat().await.expect("test heartbeats are accepted");
/// assert_eq!(context.heartbeats_sent(), 1);
/// context.cancellation().cancel();
/// context.cancelled().await;
/// assert!(context.is_cancelled());
/// # }
/// ```
#[derive(Clone)]
pub struct ActivityContext {
    task: Arc<Task>,
}

struct Task {
    token: String,
    heartbeat: Arc<dyn HeartbeatSender>,
    cancellation: Cancellation,
    heartbeats_sent: AtomicU64,
}

impl ActivityContext {
    /// The context of the task holding `task_token`, whose heartbeats go
    /// through `heartbeat` and which `cancellation` cancels (the worker
    /// keeps a clone to cancel it).
    pub fn new(
        task_token: impl Into<String>,
        heartbeat: Arc<dyn HeartbeatSender>,
        cancellation: Cancellation,
    ) -> Self {
        ActivityContext {
            task: Arc::new(Task {
                token: task_token.into(),
                heartbeat,
                cancellation,
                heartbeats_sent: AtomicU64::new(0),
            }),
        }
    }

    /// A context for calling an activity outside a worker, in unit tests:
    /// every heartbeat is accepted (and counted by
    /// [`heartbeats_sent`](Self::heartbeats_sent)), and the task is cancelled
    /// only through [`cancellation`](Self::cancellation).
    pub fn for_test(task_token: impl Into<String>) -> Self {
        ActivityContext::new(
            task_token,
            Arc::new(AcceptEveryHeartbeat),
            Cancellation::new(),
        )
    }

    /// The task token, which identifies the task to Step Functions.
    pub fn task_token(&self) -> &str {
        &self.task.token
    }

    /// Tells the engine the task is still being worked on, so that it does
    /// not fail with `States.HeartbeatTimeout`. An activity with
    /// `#[activity(heartbeat = N)]` calls this at least every `N` seconds.
    ///
    /// When the engine answers that the task is over
    /// ([`HeartbeatError::TaskTimedOut`]), the context is cancelled too.
    pub async fn heartbeat(&self) -> Result<(), HeartbeatError> {
        let result = self.task.heartbeat.send_heartbeat(&self.task.token).await;
        match &result {
            Ok(()) => {
                self.task.heartbeats_sent.fetch_add(1, Ordering::Relaxed);
            }
            Err(HeartbeatError::TaskTimedOut) => self.task.cancellation.cancel(),
            Err(_) => {}
        }
        result
    }

    /// [`heartbeat`](Self::heartbeat) for a plain `fn` activity, which sfini
    /// runs on tokio's blocking threads: sends the heartbeat and waits for
    /// the answer on the current thread.
    ///
    /// Fails with [`HeartbeatError::Unsent`] outside a tokio runtime. In an
    /// `async fn`, await [`heartbeat`](Self::heartbeat) instead: blocking an
    /// asynchronous thread on a future panics, as tokio's
    /// `Handle::block_on` does.
    pub fn heartbeat_blocking(&self) -> Result<(), HeartbeatError> {
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|error| HeartbeatError::Unsent(error.to_string()))?;
        runtime.block_on(self.heartbeat())
    }

    /// Resolves when the task is cancelled: its execution stopped, it timed
    /// out, or the worker is shutting down. Race it against the work
    /// (`tokio::select!`) to stop early.
    pub async fn cancelled(&self) {
        self.task.cancellation.cancelled().await;
    }

    /// True once the task is cancelled; for activities that check between
    /// steps (plain `fn` activities in particular).
    pub fn is_cancelled(&self) -> bool {
        self.task.cancellation.is_cancelled()
    }

    /// The task's cancellation signal.
    pub fn cancellation(&self) -> &Cancellation {
        &self.task.cancellation
    }

    /// How many heartbeats the engine accepted so far.
    pub fn heartbeats_sent(&self) -> u64 {
        self.task.heartbeats_sent.load(Ordering::Relaxed)
    }
}

impl fmt::Debug for ActivityContext {
    /// Shows only the start of the task token: a whole token lets anyone
    /// who reads it complete the task.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.task.token.chars().take(8).collect();
        let ellipsis = if shown.len() < self.task.token.len() {
            "…"
        } else {
            ""
        };
        f.debug_struct("ActivityContext")
            .field("task_token", &format_args!("{shown}{ellipsis}"))
            .field("cancelled", &self.is_cancelled())
            .field("heartbeats_sent", &self.heartbeats_sent())
            .finish()
    }
}

/// The heartbeat sender of [`ActivityContext::for_test`].
struct AcceptEveryHeartbeat;

impl HeartbeatSender for AcceptEveryHeartbeat {
    fn send_heartbeat<'a>(&'a self, _task_token: &'a str) -> HeartbeatFuture<'a> {
        Box::pin(async { Ok(()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Records tokens; answers `TaskTimedOut` after `limit` heartbeats.
    struct Recorder {
        tokens: Mutex<Vec<String>>,
        limit: usize,
    }

    impl HeartbeatSender for Recorder {
        fn send_heartbeat<'a>(&'a self, task_token: &'a str) -> HeartbeatFuture<'a> {
            Box::pin(async move {
                let mut tokens = self
                    .tokens
                    .lock()
                    .map_err(|e| HeartbeatError::Unsent(e.to_string()))?;
                if tokens.len() >= self.limit {
                    return Err(HeartbeatError::TaskTimedOut);
                }
                tokens.push(task_token.to_string());
                Ok(())
            })
        }
    }

    #[tokio::test]
    async fn heartbeats_go_to_the_sender_and_a_timed_out_task_is_cancelled() {
        let recorder = Arc::new(Recorder {
            tokens: Mutex::new(Vec::new()),
            limit: 2,
        });
        let cancellation = Cancellation::new();
        let context = ActivityContext::new("abc", recorder.clone(), cancellation.clone());
        assert_eq!(context.heartbeat().await, Ok(()));
        assert_eq!(context.heartbeat().await, Ok(()));
        assert!(!context.is_cancelled());
        assert_eq!(context.heartbeat().await, Err(HeartbeatError::TaskTimedOut));
        assert!(cancellation.is_cancelled());
        assert_eq!(context.heartbeats_sent(), 2);
        assert_eq!(*recorder.tokens.lock().unwrap(), ["abc", "abc"]);
    }

    #[tokio::test]
    async fn cancelled_wakes_waiters() {
        let context = ActivityContext::for_test("t");
        let waiter = tokio::spawn({
            let context = context.clone();
            async move {
                context.cancelled().await;
                context.is_cancelled()
            }
        });
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        context.cancellation().cancel();
        assert!(waiter.await.unwrap());
        // Already cancelled: resolves at once.
        context.cancelled().await;
    }

    #[test]
    fn debug_hides_the_token() {
        let context = ActivityContext::for_test("0123456789abcdef");
        let shown = format!("{context:?}");
        assert!(shown.contains("01234567…"), "{shown}");
        assert!(!shown.contains("89abcdef"), "{shown}");
    }
}
