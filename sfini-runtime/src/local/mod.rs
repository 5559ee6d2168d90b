//! The local engine: an in-process Amazon States Language interpreter that
//! implements [`StepFunctions`], the default engine of sfini.
//!
//! [`LocalEngine`] keeps activities, state machines and executions in
//! memory, with ARNs shaped as AWS shapes them
//! (`arn:aws:states:us-east-1:123456789012:activity:NAME`), checks names,
//! definitions and inputs as AWS does, and runs executions state by state
//! with sfini-core's data flow: every state type, Retry and Catch, timeouts
//! and heartbeats, the context object, and a history recorded as AWS
//! records it.
//!
//! Activity tasks are served as on AWS: a worker calls
//! [`StepFunctions::get_activity_task`] and answers with
//! `send_task_success`, `send_task_failure` or `send_task_heartbeat`. Other
//! resources (Lambda functions, service integrations) run the handlers a
//! program registers with [`LocalEngine::register_handler`]; a resource
//! without a handler fails its task with `States.Runtime`.
//!
//! ```
//! use serde_json::json;
//! use sfini_runtime::api::*;
//! use sfini_runtime::local::{LocalEngine, TaskFailure};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), SfnError> {
//! let engine = LocalEngine::new();
//! engine.register_handler("arn:aws:lambda:us-east-1:123456789012:function:double", |input, _context| async move {
//!     let n = input["n"].as_i64().ok_or_else(|| TaskFailure::new("BadInput", "n is not a number"))?;
//!     Ok(json!(n * 2))
//! });
//! let machine = engine
//!     .create_state_machine(CreateStateMachineInput {
//!         name: "doubler".into(),
//!         definition: json!({
//!             "StartAt": "double",
//!             "States": {"double": {
//!                 "Type": "Task",
//!                 "Resource": "arn:aws:lambda:us-east-1:123456789012:function:double",
//!                 "End": true
//!             }}
//!         })
//!         .to_string(),
//!         role_arn: "arn:aws:iam::123456789012:role/run".into(),
//!         ..Default::default()
//!     })
//!     .await?;
//! let started = engine
//!     .start_execution(StartExecutionInput {
//!         state_machine_arn: machine.state_machine_arn,
//!         input: Some(r#"{"n": 21}"#.into()),
//!         ..Default::default()
//!     })
//!     .await?;
//! let done = engine.wait_for_execution(&started.execution_arn).await?;
//! assert_eq!(done.status, ExecutionStatus::Succeeded);
//! assert_eq!(done.output.as_deref(), Some("42"));
//! # Ok(())
//! # }
//! ```

mod compile;
mod execution;
mod express;
mod for_execution;
mod handler;
mod limits;
mod mac;
mod names;
mod paging;
mod redrive;
mod retention;
mod run;
mod tags;
mod tasks;
mod test_state;
mod variables;
mod versions;
mod waiting;

use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use indexmap::IndexMap;
use rustc_hash::FxHashMap;
use serde_json::Value;
use sfini_core::Diagnostics;
use sfini_core::validate::{DefinitionForm, check_json_as};
use time::OffsetDateTime;
use tokio::sync::oneshot;

use crate::api::*;
use crate::clock::Clock;
use crate::mock::{MockConfig, TestCase};

use self::compile::CompiledMachine;
use self::execution::{Cursor, EventKind, Execution, Failure, Record};
use self::handler::Handler;
pub use self::handler::{HandlerFuture, TaskFailure};
pub use self::limits::{EngineLimits, MAX_EXECUTION_MEMORY, MAX_HISTORY_EVENTS};
pub use self::names::MAX_NAME_LENGTH;
use self::names::{Arns, ResourceKind, check_arn, check_name};
use self::paging::{Listing, Pages};
pub use self::retention::{ExecutionCounts, RETAIN_CLOSED_EXECUTIONS, RETAIN_CLOSED_FOR};
use self::run::{Ending, Run};
use self::tasks::{Outcome, TaskSlot, Tasks};
pub use self::waiting::{
    DEFAULT_WAITING_PAGE, ListWaitingTasksInput, ListWaitingTasksOutput, MAX_WAITING_PAGE,
    MAX_WAITING_PAGE_INPUT_BYTES, WaitingTask, WaitingTaskKind,
};
use crate::workflow::fill_region_and_account;

/// The region of a default engine.
pub const DEFAULT_REGION: &str = "us-east-1";
/// The account of a default engine.
pub const DEFAULT_ACCOUNT_ID: &str = "123456789012";
/// How long `GetActivityTask` waits for a task, as on AWS, unless
/// [`LocalEngineBuilder::activity_poll_wait`] says otherwise.
pub const ACTIVITY_POLL_SECONDS: u64 = 60;
/// The largest execution input or task output, in bytes (256 KiB), unless
/// [`EngineLimits::payload_bytes`] says otherwise.
pub const MAX_PAYLOAD_BYTES: usize = sfini_core::limits::MAX_PAYLOAD_BYTES;
/// The page size of list calls when `max_results` is 0.
pub const DEFAULT_PAGE_SIZE: usize = 100;
/// The largest page size of list calls.
pub const MAX_PAGE_SIZE: i32 = 1000;

/// The local engine: a cheap handle (clone it freely) to an in-process
/// Step Functions.
///
/// Executions run as tokio tasks: the engine must be used inside a tokio
/// runtime. See the [module documentation](self) for an example.
#[derive(Clone)]
pub struct LocalEngine {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for LocalEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalEngine")
            .field("region", &self.shared.region)
            .field("account_id", &self.shared.account)
            .finish_non_exhaustive()
    }
}

/// Settings of a [`LocalEngine`].
#[derive(Clone, Debug)]
pub struct LocalEngineBuilder {
    region: String,
    account: String,
    clock: Clock,
    activity_poll_wait: Duration,
    limits: EngineLimits,
    mock_config: Option<Arc<MockConfig>>,
    unhandled_callbacks: UnhandledCallbacks,
    rerun_async_express: bool,
}

/// What a `.waitForTaskToken` Task does when no handler is registered for
/// its resource.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnhandledCallbacks {
    /// The task fails with `States.Runtime`, as any task with no handler
    /// does (the default).
    #[default]
    Fail,
    /// The service call is taken as made, answered with `{}`, and the task
    /// waits for `SendTaskSuccess` or `SendTaskFailure` with its token (to
    /// its timeout): someone answers it by hand, or another program does,
    /// with the token from the task's input.
    Wait,
}

impl LocalEngineBuilder {
    /// The region in the engine's ARNs (default `us-east-1`).
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// The account in the engine's ARNs (default `123456789012`).
    #[must_use]
    pub fn account_id(mut self, account: impl Into<String>) -> Self {
        self.account = account.into();
        self
    }

    /// The clock the engine reads (default: the real clock); see
    /// [`Clock::virtual_from`] for tests.
    #[must_use]
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// How long `GetActivityTask` waits for a task before answering with
    /// none (default [`ACTIVITY_POLL_SECONDS`], AWS's 60 seconds). Shorter
    /// waits let tests and benchmarks end their polls sooner.
    #[must_use]
    pub fn activity_poll_wait(mut self, wait: Duration) -> Self {
        self.activity_poll_wait = wait;
        self
    }

    /// The bounds executions are held to (default: AWS's quotas and
    /// sfini's; see [`EngineLimits`]).
    #[must_use]
    pub fn limits(mut self, limits: EngineLimits) -> Self {
        self.limits = limits;
        self
    }

    /// The mock configuration whose test cases executions may run: a
    /// `StartExecution` on `<stateMachineArn>#<TestCase>` runs the test case
    /// of that name for the machine's name, its mocked Task states answered
    /// as the configuration says (see the [`mock`](crate::mock) module), as
    /// Step Functions Local runs them.
    #[must_use]
    pub fn mock_config(mut self, config: MockConfig) -> Self {
        self.mock_config = Some(Arc::new(config));
        self
    }

    /// What a `.waitForTaskToken` Task whose resource has no handler does
    /// (default [`UnhandledCallbacks::Fail`]).
    #[must_use]
    pub fn unhandled_callbacks(mut self, unhandled: UnhandledCallbacks) -> Self {
        self.unhandled_callbacks = unhandled;
        self
    }

    /// Whether each asynchronous Express execution (one started with
    /// `StartExecution`) runs its workflow twice from its start: a first
    /// run whose outcome is dropped, then the run that closes it (default
    /// `false`: each runs once).
    ///
    /// AWS runs asynchronous Express executions at least once: their state
    /// is not kept between transitions, and an execution whose worker is
    /// lost starts over. A workflow whose effects are not idempotent
    /// (a payment taken twice) goes wrong then, and a test with this
    /// setting shows it. Synchronous Express executions (at most once)
    /// and Standard ones (exactly once) run once.
    #[must_use]
    pub fn rerun_async_express(mut self, rerun: bool) -> Self {
        self.rerun_async_express = rerun;
        self
    }

    /// The engine.
    pub fn build(self) -> LocalEngine {
        LocalEngine {
            shared: Arc::new(Shared {
                arns: Arns::new(&self.region, &self.account),
                region: self.region,
                account: self.account,
                clock: self.clock,
                activity_poll_wait: self.activity_poll_wait,
                limits: self.limits,
                tasks: Tasks::default(),
                handlers: RwLock::new(FxHashMap::default()),
                registry: Mutex::new(Registry::default()),
                executions: AtomicU64::new(0),
                tasks_queued: tokio::sync::watch::Sender::new(0),
                mock_config: self.mock_config,
                unhandled_callbacks: self.unhandled_callbacks,
                rerun_async_express: self.rerun_async_express,
                created: AtomicU64::new(0),
                pages: Pages::default(),
            }),
        }
    }
}

impl Default for LocalEngine {
    fn default() -> Self {
        LocalEngine::new()
    }
}

impl LocalEngine {
    /// Starts an execution, running `test_case` when one is given;
    /// `sync` for `StartSyncExecution`.
    fn start(
        &self,
        input: StartExecutionInput,
        test_case: Option<Arc<TestCase>>,
        sync: bool,
    ) -> Result<StartExecutionOutput, SfnError> {
        check_arn(&input.state_machine_arn, ResourceKind::StateMachine)?;
        let name = match input.name {
            Some(name) => {
                check_name("execution", &name)?;
                name
            }
            None => uuid(),
        };
        let data = check_payload(
            input.input.as_deref().unwrap_or("{}"),
            &self.shared.limits,
            SfnError::InvalidExecutionInput,
            "execution input",
        )?;
        let shared = &self.shared;
        let now = shared.clock.now();
        let mut registry = shared.lock();
        let _dropped = retention::prune(&mut registry, &shared.limits, now);
        let (machine_arn, _) = versions::split(&input.state_machine_arn);
        let machine = registry.machines.get(machine_arn).ok_or_else(|| {
            SfnError::StateMachineDoesNotExist(format!(
                "no state machine has the ARN `{}`",
                input.state_machine_arn
            ))
        })?;
        if machine.status == StateMachineStatus::Deleting {
            return Err(SfnError::StateMachineDeleting(format!(
                "the state machine `{}` is being deleted",
                input.state_machine_arn
            )));
        }
        let target = versions::target(machine, &input.state_machine_arn)?;
        if let Some(test_case) = &test_case {
            check_test_case(test_case, &machine.name, &target.compiled)?;
        }
        let express = machine.machine_type == StateMachineType::Express;
        let arn = if express {
            express::execution_arn(&machine.arn, &name)
        } else {
            shared.arns.execution(&machine.name, &name)
        };
        // An execution past its age that is still kept is gone: its name
        // may be used again.
        if let Some(existing) = registry
            .executions
            .get(arn.as_str())
            .filter(|existing| !retention::expired(existing.lock().stop_date, &shared.limits, now))
        {
            let running = existing.lock().status == ExecutionStatus::Running;
            if running && *existing.input == data {
                return Ok(StartExecutionOutput {
                    execution_arn: arn,
                    start_date: existing.start,
                });
            }
            return Err(SfnError::ExecutionAlreadyExists(format!(
                "an execution named `{name}` exists{}; choose another name",
                if running {
                    " with another input"
                } else {
                    " and has closed"
                }
            )));
        }
        let start = execution::to_the_millisecond(shared.clock.now());
        let execution = Arc::new(Execution {
            number: shared.executions.fetch_add(1, Ordering::Relaxed),
            arn: Arc::from(arn.as_str()),
            name,
            machine_arn: machine.arn.clone(),
            machine_name: machine.name.clone(),
            role_arn: target.role_arn,
            machine: target.compiled,
            as_run: target.as_run,
            version_arn: target.version_arn,
            alias_arn: target.alias_arn,
            input: Arc::new(data),
            trace_header: input.trace_header.clone(),
            start,
            start_millis: i64::try_from(start.unix_timestamp_nanos() / 1_000_000)
                .unwrap_or(i64::MAX),
            origin: tokio::time::Instant::now(),
            record: Mutex::new(Record::running(shared.limits.max_history_events())),
            memory: AtomicUsize::new(0),
            closed: tokio::sync::Notify::new(),
            test_case,
            express,
            rerun: express && !sync && shared.rerun_async_express,
        });
        // The first event always fits: the limit is at least 2.
        let _ = execution.record(&mut Cursor::default(), 0, EventKind::ExecutionStarted);
        registry
            .executions
            .insert(execution.arn.clone(), execution.clone());
        if let Some(machine) = registry.machines.get_mut(machine_arn) {
            machine
                .executions
                .insert(execution.number, execution.clone());
            machine.running += 1;
        }
        drop(registry);
        let run = Arc::new(Run {
            shared: shared.clone(),
            execution: execution.clone(),
        });
        let handle = tokio::spawn(run::execute(run));
        {
            let mut record = execution.lock();
            if record.status == ExecutionStatus::Running {
                record.abort = Some(handle.abort_handle());
            }
        }
        tracing::debug!(execution = %arn, "execution started");
        Ok(StartExecutionOutput {
            execution_arn: arn,
            start_date: start,
        })
    }

    /// Starts an execution that runs `test_case`: the Task states it mocks
    /// are answered as it says (see the [`mock`](crate::mock) module), the
    /// others as usual. The test case is refused, with
    /// `ValidationException`, when it mocks a state the machine does not
    /// have or that is not a Task state.
    pub async fn start_test_case(
        &self,
        input: StartExecutionInput,
        test_case: TestCase,
    ) -> Result<StartExecutionOutput, SfnError> {
        self.start(input, Some(Arc::new(test_case)), false)
    }
    /// An engine in `us-east-1`, account `123456789012`, on the real clock.
    pub fn new() -> LocalEngine {
        LocalEngine::builder().build()
    }

    /// Settings for an engine.
    pub fn builder() -> LocalEngineBuilder {
        LocalEngineBuilder {
            region: DEFAULT_REGION.to_string(),
            account: DEFAULT_ACCOUNT_ID.to_string(),
            clock: Clock::real(),
            activity_poll_wait: Duration::from_secs(ACTIVITY_POLL_SECONDS),
            limits: EngineLimits::default(),
            mock_config: None,
            unhandled_callbacks: UnhandledCallbacks::Fail,
            rerun_async_express: false,
        }
    }

    /// The engine's region.
    pub fn region(&self) -> &str {
        &self.shared.region
    }

    /// The engine's account.
    pub fn account_id(&self) -> &str {
        &self.shared.account
    }

    /// The engine's clock.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// The bounds the engine holds executions to.
    pub fn limits(&self) -> &EngineLimits {
        &self.shared.limits
    }

    /// Runs `handler` for the Task states whose `Resource` is `resource`
    /// (a Lambda function ARN, a service integration such as
    /// `arn:aws:states:::sqs:sendMessage.waitForTaskToken`, or an activity
    /// ARN, whose tasks are then served in-process instead of by a worker,
    /// as tests replace an activity).
    ///
    /// The handler receives the task's effective input (after InputPath and
    /// Parameters) and the context object (`$$`, with `Task.Token`). Its
    /// result is the task's result, or its failure the task's error, which
    /// the state's Retry and Catch match. For a `.waitForTaskToken` resource
    /// its result is the service's answer and the task then waits for
    /// `SendTaskSuccess` or `SendTaskFailure` with the token, which a program
    /// sends with [`Sfn::callback`](crate::client::Sfn::callback) (see the
    /// [`callback`](crate::callback) module for an example). A handler
    /// registered for `X` also serves `X.sync` and `X.waitForTaskToken`
    /// when these have no handler of their own. Registering again replaces
    /// the handler; a Task state whose resource has no handler fails with
    /// `States.Runtime`.
    ///
    /// Handlers run inside the execution: one that does not return holds
    /// its task until the state's `TimeoutSeconds`. To answer a callback
    /// later, hand the token to another task (a channel, say) and return.
    pub fn register_handler<F, Fut>(&self, resource: impl Into<String>, function: F)
    where
        F: Fn(Value, Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value, TaskFailure>> + Send + 'static,
    {
        let mut handlers = self
            .shared
            .handlers
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        handlers.insert(resource.into(), handler::handler(function));
    }

    /// Waits until the execution has closed; gives it as
    /// `DescribeExecution` does.
    pub async fn wait_for_execution(
        &self,
        execution_arn: &str,
    ) -> Result<DescribeExecutionOutput, SfnError> {
        let execution = self.shared.execution(execution_arn)?;
        loop {
            let closed = execution.closed.notified();
            tokio::pin!(closed);
            closed.as_mut().enable();
            if execution.lock().status != ExecutionStatus::Running {
                return Ok(execution.describe());
            }
            closed.await;
        }
    }

    /// How many tasks wait on the activity for a worker to take them.
    pub fn queued_activity_tasks(&self, activity_arn: &str) -> usize {
        let registry = self.shared.lock();
        registry.activities.get(activity_arn).map_or(0, |activity| {
            activity.queue.iter().filter(|slot| slot.is_open()).count()
        })
    }

    /// Watches for activity tasks being queued: the receiver's value is how
    /// many activity tasks, on any activity, have been queued since the
    /// engine was built, and its `changed()` resolves each time another one
    /// is.
    ///
    /// A task is queued when it is scheduled and no worker is polling its
    /// activity; a task handed straight to a waiting poller is not counted,
    /// nor is a task given back to the queue by a poller that stopped
    /// waiting before reading it. This lets a program react to a task
    /// waiting for a worker without polling [`queued_activity_tasks`]
    /// on a timer, which matters on a paused tokio clock, where every
    /// timer is a step of the clock's advance. Subscribe before starting
    /// the execution so that no task is missed:
    ///
    /// ```
    /// use serde_json::json;
    /// use sfini_runtime::api::*;
    /// use sfini_runtime::local::LocalEngine;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), SfnError> {
    /// let engine = LocalEngine::new();
    /// let activity = engine
    ///     .create_activity(CreateActivityInput { name: "work".into(), ..Default::default() })
    ///     .await?
    ///     .activity_arn;
    /// let machine = engine
    ///     .create_state_machine(CreateStateMachineInput {
    ///         name: "worker-wanted".into(),
    ///         definition: json!({"StartAt": "t", "States": {"t": {"Type": "Task", "Resource": activity, "End": true}}})
    ///             .to_string(),
    ///         role_arn: "arn:aws:iam::123456789012:role/run".into(),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// let mut queued = engine.watch_queued_activity_tasks();
    /// engine
    ///     .start_execution(StartExecutionInput {
    ///         state_machine_arn: machine.state_machine_arn,
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// queued.changed().await.expect("the engine is alive");
    /// assert_eq!(*queued.borrow(), 1);
    /// assert_eq!(engine.queued_activity_tasks(&activity), 1);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// [`queued_activity_tasks`]: LocalEngine::queued_activity_tasks
    pub fn watch_queued_activity_tasks(&self) -> tokio::sync::watch::Receiver<u64> {
        self.shared.tasks_queued.subscribe()
    }
}

/// Refuses a test case that mocks a state the machine does not have, or
/// one that is not a Task state.
fn check_test_case(
    test_case: &TestCase,
    machine_name: &str,
    machine: &CompiledMachine,
) -> Result<(), SfnError> {
    for state in test_case.states() {
        if !machine.has_task(state) {
            return Err(SfnError::ValidationException(format!(
                "the test case `{}` mocks the state `{state}`, which the state machine \
                 `{machine_name}` {}",
                test_case.name(),
                if machine.has_state(state) {
                    "has, but not as a Task state: only Task states are mocked"
                } else {
                    "does not have"
                }
            )));
        }
    }
    Ok(())
}

/// What every handle of an engine shares.
pub(crate) struct Shared {
    region: String,
    account: String,
    arns: Arns,
    pub(crate) clock: Clock,
    activity_poll_wait: Duration,
    pub(crate) limits: EngineLimits,
    pub(crate) tasks: Tasks,
    handlers: RwLock<FxHashMap<String, Handler>>,
    registry: Mutex<Registry>,
    executions: AtomicU64,
    /// How many activity tasks have been queued, for
    /// [`LocalEngine::watch_queued_activity_tasks`].
    tasks_queued: tokio::sync::watch::Sender<u64>,
    /// The test cases `StartExecution` may name.
    mock_config: Option<Arc<MockConfig>>,
    /// What callbacks with no handler do.
    unhandled_callbacks: UnhandledCallbacks,
    /// Whether asynchronous Express executions run twice (see
    /// [`LocalEngineBuilder::rerun_async_express`]).
    rerun_async_express: bool,
    /// The creation number of the next activity or state machine.
    created: AtomicU64,
    pages: Pages,
}

#[derive(Default)]
struct Registry {
    activities: IndexMap<String, ActivityRecord>,
    machines: IndexMap<String, MachineRecord>,
    executions: FxHashMap<Arc<str>, Arc<Execution>>,
    /// The closed executions, oldest closed first, dropped past the
    /// limits' retention.
    retention: retention::Retention,
}

struct ActivityRecord {
    /// Its creation number, where lists page.
    sequence: u64,
    name: String,
    creation_date: OffsetDateTime,
    queue: VecDeque<Arc<TaskSlot>>,
    /// Its tags (`tags.rs`).
    tags: tags::Tags,
    /// The queue's length at which its closed slots are next dropped.
    compact_at: usize,
    pollers: VecDeque<oneshot::Sender<Arc<TaskSlot>>>,
}

struct MachineRecord {
    /// Its creation number, where lists page.
    sequence: u64,
    arn: Arc<str>,
    name: Arc<str>,
    definition: String,
    role_arn: Arc<str>,
    machine_type: StateMachineType,
    creation_date: OffsetDateTime,
    status: StateMachineStatus,
    compiled: Arc<CompiledMachine>,
    /// Its revision's id (a random UUID), from its first update on, as on
    /// AWS.
    revision_id: Option<String>,
    /// Its tags (`tags.rs`).
    tags: tags::Tags,
    /// Its current revision as its executions see it
    /// (`DescribeStateMachineForExecution`, `for_execution.rs`).
    as_run: Arc<for_execution::MachineAsRun>,
    /// Its executions kept, by number (so in start order).
    executions: BTreeMap<u64, Arc<Execution>>,
    running: usize,
    /// Its versions and aliases (`versions.rs`).
    versions: versions::Versions,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Registry> {
        // Every change to the registry is a single insertion, removal or
        // assignment: a poisoned lock still holds a consistent registry.
        self.registry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn execution(&self, arn: &str) -> Result<Arc<Execution>, SfnError> {
        express::refuse_express_arn(arn)?;
        check_arn(arn, ResourceKind::Execution)?;
        let now = self.clock.now();
        let mut registry = self.lock();
        let dropped = retention::prune(&mut registry, &self.limits, now);
        let found = registry.executions.get(arn).cloned();
        drop(registry);
        drop(dropped);
        // One past its age that a batched prune has not reached yet is
        // gone all the same.
        found
            .filter(|execution| !retention::expired(execution.lock().stop_date, &self.limits, now))
            .ok_or_else(|| {
                SfnError::ExecutionDoesNotExist(format!("no execution has the ARN `{arn}`"))
            })
    }

    /// Whether a handler is registered for exactly this resource.
    pub(crate) fn has_handler(&self, resource: &str) -> bool {
        self.handlers
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .contains_key(resource)
    }

    /// The handler of a resource: registered for it, or for it without its
    /// `.sync` or `.waitForTaskToken` suffix.
    pub(crate) fn handler(&self, resource: &str) -> Option<Handler> {
        let handlers = self
            .handlers
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        handlers.get(resource).cloned().or_else(|| {
            [".waitForTaskToken", ".sync:2", ".sync"]
                .iter()
                .find_map(|suffix| resource.strip_suffix(suffix))
                .and_then(|base| handlers.get(base).cloned())
        })
    }

    /// Queues an activity task on its activity, or hands it to a worker
    /// already waiting.
    pub(crate) fn enqueue(
        &self,
        activity_arn: &str,
        mut slot: Arc<TaskSlot>,
    ) -> Result<(), Arc<Failure>> {
        let mut registry = self.lock();
        let Some(activity) = registry.activities.get_mut(activity_arn) else {
            return Err(Failure::new(
                sfini_core::error_name::PredefinedError::Runtime.as_str(),
                format!(
                    "the activity `{activity_arn}` does not exist; create it before running the state machine"
                ),
            ));
        };
        while let Some(poller) = activity.pollers.pop_front() {
            match poller.send(slot) {
                Ok(()) => return Ok(()),
                Err(returned) => slot = returned,
            }
        }
        retention::compact_queue(&mut activity.queue, &mut activity.compact_at);
        activity.queue.push_back(slot);
        self.tasks_queued
            .send_modify(|count| *count = count.wrapping_add(1));
        Ok(())
    }

    /// Gives back a task handed to a poller that gave up before reading it:
    /// to a worker already waiting, or else to the front of the queue, so
    /// that it is the next one taken.
    fn requeue(&self, activity_arn: &str, mut slot: Arc<TaskSlot>) {
        if !slot.is_open() {
            return;
        }
        let mut registry = self.lock();
        let Some(activity) = registry.activities.get_mut(activity_arn) else {
            // Deleted meanwhile: as with a task queued on a deleted
            // activity, it waits for its timeout.
            return;
        };
        while let Some(poller) = activity.pollers.pop_front() {
            match poller.send(slot) {
                Ok(()) => return,
                Err(returned) => slot = returned,
            }
        }
        activity.queue.push_front(slot);
    }

    /// Closes an execution with its ending, unless it has closed already.
    pub(crate) fn close_execution(&self, execution: &Arc<Execution>, ending: Ending) {
        let at = execution.elapsed();
        let now = execution.time_at(at);
        {
            let mut record = execution.lock();
            if record.status != ExecutionStatus::Running {
                return;
            }
            // What an execution that timed out was waiting on is cut short.
            if !execution.abort_records(&mut record, 0, at) {
                // The history's limit failed the execution meanwhile.
                drop(record);
                self.after_close(execution);
                return;
            }
            let previous = u32::try_from(record.events.len()).unwrap_or(u32::MAX);
            let (status, kind) = match ending {
                Ending::Succeeded(output) => {
                    record.output = Some(output.clone());
                    (
                        ExecutionStatus::Succeeded,
                        EventKind::ExecutionSucceeded(output),
                    )
                }
                Ending::Failed(failure) => {
                    record.failure = Some(failure.clone());
                    (ExecutionStatus::Failed, EventKind::ExecutionFailed(failure))
                }
                // AWS's DescribeExecution of a timed-out execution gives no
                // error and no cause; its history's event names the error.
                Ending::TimedOut(failure) => (
                    ExecutionStatus::TimedOut,
                    EventKind::ExecutionTimedOut(failure),
                ),
            };
            execution.push(&mut record, previous, at, kind);
            record.status = status;
            record.stop_date = Some(now);
            record.abort = None;
            // What a redrive would resume from is let go where none can
            // come: the execution succeeded, or is an Express one.
            if status == ExecutionStatus::Succeeded || execution.express {
                record.redrives.memo = redrive::Memo::default();
            }
        }
        self.after_close(execution);
    }

    /// What follows the closing of an execution: its tasks close, waiters
    /// wake, and a machine being deleted goes once its last execution has.
    fn after_close(&self, execution: &Arc<Execution>) {
        self.tasks.close_execution(execution);
        execution.closed.notify_waiters();
        let stop = execution.lock().stop_date;
        let now = self.clock.now();
        let mut registry = self.lock();
        let remove = match registry.machines.get_mut(&*execution.machine_arn) {
            Some(machine) => {
                machine.running = machine.running.saturating_sub(1);
                machine.status == StateMachineStatus::Deleting && machine.running == 0
            }
            None => false,
        };
        if remove {
            remove_machine(&mut registry, &execution.machine_arn.clone());
            return;
        }
        // Kept while the retention allows; what it drops goes once the
        // registry is free again.
        let dropped = retention::closed(&mut registry, execution, stop, &self.limits, now);
        drop(registry);
        drop(dropped);
    }

    /// Finishes the closing of an execution that the history's limit has
    /// just failed ([`Execution::push`]): its task stops and what follows a
    /// closing follows.
    pub(crate) fn closed_by_limit(&self, execution: &Arc<Execution>) {
        let abort = execution.lock().abort.take();
        if let Some(abort) = abort {
            abort.abort();
        }
        tracing::debug!(execution = %execution.arn, "the execution reached its history's limit");
        self.after_close(execution);
    }

    /// Hands a task to a worker: the history records that it started.
    fn start_task(&self, slot: &TaskSlot, worker: Option<&str>) -> bool {
        let mut record = slot.execution.lock();
        let mut state = slot.lock();
        if record.status != ExecutionStatus::Running || state.sender.is_none() {
            return false;
        }
        if slot.hidden {
            return true;
        }
        let at = slot.execution.elapsed();
        let pushed = slot.execution.push(
            &mut record,
            state.previous,
            at,
            EventKind::Started(
                slot.state,
                worker.map(|worker| Arc::new(worker.to_string())),
            ),
        );
        match pushed {
            Some(id) => {
                state.previous = id;
                true
            }
            None => {
                drop(state);
                drop(record);
                self.closed_by_limit(&slot.execution);
                false
            }
        }
    }

    fn validate_definition(
        &self,
        definition: &str,
    ) -> Result<(String, Arc<CompiledMachine>), SfnError> {
        let definition = fill_region_and_account(definition, &self.region, &self.account);
        // As AWS checks it: a Resource must be an ARN, so a placeholder left
        // in one (any but the region and account filled above) is refused.
        let checked = check_json_as(&definition, DefinitionForm::Deployed);
        let invalid = |diagnostics: Diagnostics| {
            let errors: Vec<String> = diagnostics
                .errors()
                .take(5)
                .map(ToString::to_string)
                .collect();
            let more = diagnostics.errors().count().saturating_sub(errors.len());
            let mut message = errors.join("\n");
            if more > 0 {
                message.push_str(&format!("\n… and {more} more"));
            }
            SfnError::InvalidDefinition {
                message,
                diagnostics,
            }
        };
        let machine = match checked.machine {
            Some(machine) if checked.diagnostics.is_valid() => machine,
            _ => return Err(invalid(checked.diagnostics)),
        };
        let compiled = compile::compile(&machine, self.limits.evaluation()).map_err(invalid)?;
        Ok((definition, Arc::new(compiled)))
    }
}

fn remove_machine(registry: &mut Registry, arn: &str) {
    if let Some(machine) = registry.machines.shift_remove(arn) {
        for execution in machine.executions.values() {
            registry.executions.remove(&execution.arn);
        }
    }
}

/// Reads JSON text that comes into the engine (an execution's input, a
/// task's output) within the engine's payload and nesting limits.
fn check_payload(
    text: &str,
    limits: &EngineLimits,
    error: fn(String) -> SfnError,
    what: &str,
) -> Result<Value, SfnError> {
    let limit = limits.max_payload_bytes();
    if text.len() > limit {
        return Err(error(format!(
            "the {what} has {} bytes; at most {limit} are allowed",
            text.len()
        )));
    }
    sfini_core::limits::parse_json(text, limits.max_depth()).map_err(|problem| match problem {
        sfini_core::limits::ParseError::TooDeep { limit } => error(format!(
            "the {what} nests more than {limit} levels of arrays and objects deep"
        )),
        sfini_core::limits::ParseError::Syntax(_) => {
            error(format!("the {what} is not JSON: {problem}"))
        }
    })
}

/// Refuses a version description without `publish`, as AWS does.
fn check_version_description(publish: bool, description: Option<&str>) -> Result<(), SfnError> {
    if description.is_some() && !publish {
        return Err(SfnError::ValidationException(
            "Version description can only be set when publish is true".to_string(),
        ));
    }
    versions::check_description(description, "version's description")
}

/// A random version 4 UUID, the name of an execution started without one.
fn uuid() -> String {
    let bits: u128 = rand::random();
    let bits = (bits & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

fn ready<'a, T: Send + 'a>(result: Result<T, SfnError>) -> ApiFuture<'a, T> {
    Box::pin(std::future::ready(result))
}

impl StepFunctions for LocalEngine {
    fn create_activity(&self, input: CreateActivityInput) -> ApiFuture<'_, CreateActivityOutput> {
        ready((|| {
            check_name("activity", &input.name)?;
            let arn = self.shared.arns.activity(&input.name);
            let tags = tags::Tags::initial(&arn, &input.tags)?;
            let mut registry = self.shared.lock();
            let activity =
                registry
                    .activities
                    .entry(arn.clone())
                    .or_insert_with(|| ActivityRecord {
                        sequence: self.shared.created.fetch_add(1, Ordering::Relaxed),
                        name: input.name.clone(),
                        creation_date: self.shared.clock.now(),
                        queue: VecDeque::new(),
                        tags,
                        pollers: VecDeque::new(),
                        compact_at: retention::COMPACT_MIN,
                    });
            Ok(CreateActivityOutput {
                activity_arn: arn,
                creation_date: activity.creation_date,
            })
        })())
    }

    fn describe_activity(
        &self,
        input: DescribeActivityInput,
    ) -> ApiFuture<'_, DescribeActivityOutput> {
        ready((|| {
            check_arn(&input.activity_arn, ResourceKind::Activity)?;
            let registry = self.shared.lock();
            let activity = registry
                .activities
                .get(&input.activity_arn)
                .ok_or_else(|| {
                    SfnError::ActivityDoesNotExist(format!(
                        "no activity has the ARN `{}`",
                        input.activity_arn
                    ))
                })?;
            Ok(DescribeActivityOutput {
                activity_arn: input.activity_arn.clone(),
                name: activity.name.clone(),
                creation_date: activity.creation_date,
            })
        })())
    }

    fn list_activities(&self, input: ListActivitiesInput) -> ApiFuture<'_, ListActivitiesOutput> {
        ready((|| {
            let registry = self.shared.lock();
            let (activities, next_token) = self.shared.pages.page(
                &Listing::activities(),
                input.max_results,
                input.next_token.as_deref(),
                registry
                    .activities
                    .iter()
                    .map(|entry| (entry.1.sequence, entry)),
                |(arn, activity)| {
                    Some(ActivityListItem {
                        activity_arn: arn.clone(),
                        name: activity.name.clone(),
                        creation_date: activity.creation_date,
                    })
                },
            )?;
            Ok(ListActivitiesOutput {
                activities,
                next_token,
            })
        })())
    }

    fn delete_activity(&self, input: DeleteActivityInput) -> ApiFuture<'_, DeleteActivityOutput> {
        ready((|| {
            check_arn(&input.activity_arn, ResourceKind::Activity)?;
            self.shared
                .lock()
                .activities
                .shift_remove(&input.activity_arn);
            Ok(DeleteActivityOutput {})
        })())
    }

    fn create_state_machine(
        &self,
        input: CreateStateMachineInput,
    ) -> ApiFuture<'_, CreateStateMachineOutput> {
        ready((|| {
            check_name("state machine", &input.name)?;
            if !input.role_arn.starts_with("arn:") {
                return Err(SfnError::InvalidArn(format!(
                    "the role {} is not an ARN; give the IAM role executions run as, such as \
                     `arn:aws:iam::123456789012:role/NAME`",
                    quoted(&input.role_arn, '`')
                )));
            }
            let (definition, compiled) = self.shared.validate_definition(&input.definition)?;
            let arn = self.shared.arns.state_machine(&input.name);
            let tags = tags::Tags::initial(&arn, &input.tags)?;
            let machine_type = input
                .state_machine_type
                .unwrap_or(StateMachineType::Standard);
            express::check_definition(machine_type, &definition)?;
            check_version_description(input.publish, input.version_description.as_deref())?;
            let mut registry = self.shared.lock();
            if let Some(existing) = registry.machines.get_mut(&arn) {
                if existing.status == StateMachineStatus::Deleting {
                    return Err(SfnError::StateMachineDeleting(format!(
                        "the state machine `{arn}` is being deleted"
                    )));
                }
                if existing.definition == definition
                    && *existing.role_arn == *input.role_arn
                    && existing.machine_type == machine_type
                {
                    let creation_date = existing.creation_date;
                    let state_machine_version_arn = if input.publish {
                        let now = self.shared.clock.now();
                        Some(versions::publish(existing, input.version_description, now)?.0)
                    } else {
                        None
                    };
                    return Ok(CreateStateMachineOutput {
                        state_machine_arn: arn,
                        creation_date,
                        state_machine_version_arn,
                    });
                }
                return Err(SfnError::StateMachineAlreadyExists(format!(
                    "a state machine named `{}` exists with another definition, role or type; \
                     update it with UpdateStateMachine or choose another name",
                    input.name
                )));
            }
            let creation_date = self.shared.clock.now();
            let as_run = Arc::new(for_execution::MachineAsRun {
                definition: definition.clone(),
                role_arn: Arc::from(input.role_arn.as_str()),
                update_date: creation_date,
                revision_id: None,
            });
            registry.machines.insert(
                arn.clone(),
                MachineRecord {
                    sequence: self.shared.created.fetch_add(1, Ordering::Relaxed),
                    arn: Arc::from(arn.as_str()),
                    name: Arc::from(input.name.as_str()),
                    definition,
                    role_arn: Arc::from(input.role_arn.as_str()),
                    machine_type,
                    creation_date,
                    status: StateMachineStatus::Active,
                    compiled,
                    revision_id: None,
                    tags,
                    as_run,
                    executions: BTreeMap::new(),
                    running: 0,
                    versions: versions::Versions::default(),
                },
            );
            let state_machine_version_arn = match registry.machines.get_mut(&arn) {
                Some(machine) if input.publish => {
                    Some(versions::publish(machine, input.version_description, creation_date)?.0)
                }
                _ => None,
            };
            Ok(CreateStateMachineOutput {
                state_machine_arn: arn,
                creation_date,
                state_machine_version_arn,
            })
        })())
    }

    fn update_state_machine(
        &self,
        input: UpdateStateMachineInput,
    ) -> ApiFuture<'_, UpdateStateMachineOutput> {
        ready((|| {
            check_arn(&input.state_machine_arn, ResourceKind::StateMachine)?;
            // A version cannot be updated: AWS answers that no such machine
            // exists.
            if versions::split(&input.state_machine_arn).1 != versions::Qualifier::Machine {
                return Err(SfnError::StateMachineDoesNotExist(format!(
                    "State Machine Does Not Exist: '{}'",
                    versions::cut(&input.state_machine_arn)
                )));
            }
            check_version_description(input.publish, input.version_description.as_deref())?;
            if input.definition.is_none() && input.role_arn.is_none() {
                return Err(SfnError::ValidationException(
                    "give a new definition, a new role, or both".to_string(),
                ));
            }
            let validated = input
                .definition
                .as_deref()
                .map(|definition| self.shared.validate_definition(definition))
                .transpose()?;
            let mut registry = self.shared.lock();
            let machine = registry
                .machines
                .get_mut(&input.state_machine_arn)
                .ok_or_else(|| {
                    SfnError::StateMachineDoesNotExist(format!(
                        "no state machine has the ARN `{}`",
                        input.state_machine_arn
                    ))
                })?;
            if machine.status == StateMachineStatus::Deleting {
                return Err(SfnError::StateMachineDeleting(format!(
                    "the state machine `{}` is being deleted",
                    input.state_machine_arn
                )));
            }
            // A version that could not be published leaves the machine as
            // it was.
            if input.publish {
                versions::check_room(machine)?;
            }
            // An update that changes nothing keeps the revision, as on AWS.
            let mut changed = machine.revision_id.is_none();
            if let Some((definition, _)) = &validated {
                express::check_definition(machine.machine_type, definition)?;
            }
            if let Some((definition, compiled)) = validated
                && definition != machine.definition
            {
                machine.definition = definition;
                machine.compiled = compiled;
                changed = true;
            }
            if let Some(role) = &input.role_arn
                && **role != *machine.role_arn
            {
                machine.role_arn = Arc::from(role.as_str());
                changed = true;
            }
            let update_date = self.shared.clock.now();
            if changed {
                machine.revision_id = Some(uuid());
                machine.as_run = Arc::new(for_execution::MachineAsRun {
                    definition: machine.definition.clone(),
                    role_arn: machine.role_arn.clone(),
                    update_date,
                    revision_id: machine.revision_id.clone(),
                });
            }
            let state_machine_version_arn = if input.publish {
                Some(versions::publish(machine, input.version_description, update_date)?.0)
            } else {
                None
            };
            Ok(UpdateStateMachineOutput {
                update_date,
                revision_id: machine.revision_id.clone(),
                state_machine_version_arn,
            })
        })())
    }

    fn describe_state_machine(
        &self,
        input: DescribeStateMachineInput,
    ) -> ApiFuture<'_, DescribeStateMachineOutput> {
        ready((|| {
            check_arn(&input.state_machine_arn, ResourceKind::StateMachine)?;
            let registry = self.shared.lock();
            let (base, qualifier) = versions::split(&input.state_machine_arn);
            if let versions::Qualifier::Version(number) = qualifier
                && let Some(machine) = registry.machines.get(base)
            {
                return versions::describe_version(machine, &input.state_machine_arn, number);
            }
            let machine = registry
                .machines
                .get(&input.state_machine_arn)
                .ok_or_else(|| {
                    SfnError::StateMachineDoesNotExist(format!(
                        "no state machine has the ARN `{}`",
                        input.state_machine_arn
                    ))
                })?;
            Ok(DescribeStateMachineOutput {
                state_machine_arn: input.state_machine_arn.clone(),
                name: machine.name.to_string(),
                status: Some(machine.status),
                definition: machine.definition.clone(),
                role_arn: machine.role_arn.to_string(),
                state_machine_type: machine.machine_type,
                creation_date: machine.creation_date,
                // The engine logs, traces and encrypts nothing: AWS's
                // answers for a machine created without these settings.
                logging_configuration: Some(LoggingConfiguration::default()),
                tracing_configuration: Some(TracingConfiguration::default()),
                encryption_configuration: Some(EncryptionConfiguration::default()),
                // A version's description.
                description: None,
                revision_id: machine.revision_id.clone(),
                label: None,
                variable_references: None,
            })
        })())
    }

    fn list_state_machines(
        &self,
        input: ListStateMachinesInput,
    ) -> ApiFuture<'_, ListStateMachinesOutput> {
        ready((|| {
            let registry = self.shared.lock();
            let (state_machines, next_token) = self.shared.pages.page(
                &Listing::state_machines(),
                input.max_results,
                input.next_token.as_deref(),
                registry
                    .machines
                    .iter()
                    .map(|entry| (entry.1.sequence, entry)),
                |(arn, machine)| {
                    Some(StateMachineListItem {
                        state_machine_arn: arn.clone(),
                        name: machine.name.to_string(),
                        state_machine_type: machine.machine_type,
                        creation_date: machine.creation_date,
                    })
                },
            )?;
            Ok(ListStateMachinesOutput {
                state_machines,
                next_token,
            })
        })())
    }

    fn delete_state_machine(
        &self,
        input: DeleteStateMachineInput,
    ) -> ApiFuture<'_, DeleteStateMachineOutput> {
        ready((|| {
            check_arn(&input.state_machine_arn, ResourceKind::StateMachine)?;
            if versions::split(&input.state_machine_arn).1 != versions::Qualifier::Machine {
                return Err(SfnError::ValidationException(format!(
                    "{} is a version's or an alias's ARN; delete it with \
                     DeleteStateMachineVersion or DeleteStateMachineAlias",
                    quoted(&input.state_machine_arn, '`')
                )));
            }
            let mut registry = self.shared.lock();
            let running = match registry.machines.get_mut(&input.state_machine_arn) {
                Some(machine) => {
                    machine.status = StateMachineStatus::Deleting;
                    machine.running
                }
                None => return Ok(DeleteStateMachineOutput {}),
            };
            if running == 0 {
                remove_machine(&mut registry, &input.state_machine_arn);
            }
            Ok(DeleteStateMachineOutput {})
        })())
    }

    fn start_execution(&self, input: StartExecutionInput) -> ApiFuture<'_, StartExecutionOutput> {
        Box::pin(async move {
            let Some((machine_arn, test_case)) = input.state_machine_arn.split_once('#') else {
                return self.start(input, None, false);
            };
            let test_case = test_case.to_string();
            check_arn(machine_arn, ResourceKind::StateMachine)?;
            let Some(config) = self.shared.mock_config.clone() else {
                return Err(SfnError::InvalidArn(format!(
                    "`{}` names the test case `{test_case}`, but the engine has no mock \
                     configuration (`sfini local serve --mock-config FILE`)",
                    input.state_machine_arn
                )));
            };
            let machine_name = self
                .shared
                .lock()
                .machines
                .get(machine_arn)
                .map(|machine| machine.name.clone())
                .ok_or_else(|| {
                    SfnError::StateMachineDoesNotExist(format!(
                        "no state machine has the ARN `{machine_arn}`"
                    ))
                })?;
            let mocks = config
                .test_case(&machine_name, &test_case)
                .map_err(|error| SfnError::ValidationException(error.to_string()))?;
            let input = StartExecutionInput {
                state_machine_arn: machine_arn.to_string(),
                ..input
            };
            self.start(input, Some(mocks), false)
        })
    }

    fn describe_execution(
        &self,
        input: DescribeExecutionInput,
    ) -> ApiFuture<'_, DescribeExecutionOutput> {
        ready(
            self.shared
                .execution(&input.execution_arn)
                .map(|execution| execution.describe()),
        )
    }

    fn list_executions(&self, input: ListExecutionsInput) -> ApiFuture<'_, ListExecutionsOutput> {
        ready((|| {
            check_arn(&input.state_machine_arn, ResourceKind::StateMachine)?;
            let now = self.shared.clock.now();
            let mut registry = self.shared.lock();
            let dropped = retention::prune(&mut registry, &self.shared.limits, now);
            // A version's or an alias's ARN lists the executions started by it.
            let (machine_arn, qualifier) = versions::split(&input.state_machine_arn);
            let qualified = (qualifier != versions::Qualifier::Machine)
                .then_some(input.state_machine_arn.as_str());
            let machine = registry.machines.get(machine_arn).ok_or_else(|| {
                SfnError::StateMachineDoesNotExist(format!(
                    "no state machine has the ARN `{}`",
                    input.state_machine_arn
                ))
            })?;
            express::refuse_listing(machine.machine_type, &input.state_machine_arn)?;
            // Executions are kept by number: a page goes on from its
            // token's, whatever was dropped meanwhile.
            let (executions, next_token) = self.shared.pages.page(
                &Listing::executions(
                    &input.state_machine_arn,
                    input.status_filter,
                    input.redrive_filter,
                ),
                input.max_results,
                input.next_token.as_deref(),
                machine
                    .executions
                    .values()
                    .rev()
                    .map(|execution| (execution.number, execution)),
                |execution| {
                    let started_by = |arn| {
                        execution.version_arn.as_deref() == Some(arn)
                            || execution.alias_arn.as_deref() == Some(arn)
                    };
                    if qualified.is_some_and(|arn| !started_by(arn)) {
                        return None;
                    }
                    Some(execution.list_item()).filter(|item| {
                        input
                            .status_filter
                            .is_none_or(|status| item.status == status)
                            && input.redrive_filter.is_none_or(|filter| {
                                (filter == ExecutionRedriveFilter::Redriven)
                                    == (item.redrive_count > 0)
                            })
                            && !retention::expired(item.stop_date, &self.shared.limits, now)
                    })
                },
            )?;
            drop(registry);
            drop(dropped);
            Ok(ListExecutionsOutput {
                executions,
                next_token,
            })
        })())
    }

    fn stop_execution(&self, input: StopExecutionInput) -> ApiFuture<'_, StopExecutionOutput> {
        ready((|| {
            let execution = self.shared.execution(&input.execution_arn)?;
            let at = execution.elapsed();
            let now = execution.time_at(at);
            let abort = {
                let mut record = execution.lock();
                if record.status != ExecutionStatus::Running {
                    return Ok(StopExecutionOutput {
                        stop_date: record.stop_date.unwrap_or(now),
                    });
                }
                let failure = Arc::new(Failure {
                    error: input.error.clone().unwrap_or_default(),
                    cause: input.cause.clone(),
                    terminal: false,
                    location: None,
                    from_data_flow: false,
                });
                // What the execution was waiting on is cut short first; the
                // history's limit may fail the execution on the way.
                if execution.abort_records(&mut record, 0, at) {
                    let previous = u32::try_from(record.events.len()).unwrap_or(u32::MAX);
                    execution.push(
                        &mut record,
                        previous,
                        at,
                        EventKind::ExecutionAborted(failure.clone()),
                    );
                    record.failure = Some(failure);
                    record.status = ExecutionStatus::Aborted;
                    record.stop_date = Some(now);
                }
                record.abort.take()
            };
            if let Some(abort) = abort {
                abort.abort();
            }
            self.shared.after_close(&execution);
            Ok(StopExecutionOutput { stop_date: now })
        })())
    }

    fn get_execution_history(
        &self,
        input: GetExecutionHistoryInput,
    ) -> ApiFuture<'_, GetExecutionHistoryOutput> {
        ready((|| {
            let execution = self.shared.execution(&input.execution_arn)?;
            let with_data = input.include_execution_data.unwrap_or(true);
            let events: Vec<(usize, execution::Event)> = {
                let record = execution.lock();
                let numbered = record
                    .events
                    .iter()
                    .cloned()
                    .enumerate()
                    .map(|(index, event)| (index + 1, event));
                if input.reverse_order {
                    numbered.rev().collect()
                } else {
                    numbered.collect()
                }
            };
            let (events, next_token) = self.shared.pages.page(
                &Listing::history(&input.execution_arn, input.reverse_order),
                input.max_results,
                input.next_token.as_deref(),
                events.into_iter().map(|entry| (entry.0 as u64, entry)),
                Some,
            )?;
            let events = events
                .iter()
                .map(|(id, event)| execution.render(*id, event, &self.shared.region, with_data))
                .collect();
            Ok(GetExecutionHistoryOutput { events, next_token })
        })())
    }

    fn get_activity_task(
        &self,
        input: GetActivityTaskInput,
    ) -> ApiFuture<'_, GetActivityTaskOutput> {
        Box::pin(async move {
            check_arn(&input.activity_arn, ResourceKind::Activity)?;
            if let Some(worker) = &input.worker_name
                && worker.chars().count() > MAX_NAME_LENGTH
            {
                return Err(SfnError::ValidationException(format!(
                    "the worker name has {} characters; at most {MAX_NAME_LENGTH} are allowed",
                    worker.chars().count()
                )));
            }
            let deadline = tokio::time::Instant::now() + self.shared.activity_poll_wait;
            let worker = input.worker_name.as_deref();
            loop {
                let mut receiver = {
                    let mut registry = self.shared.lock();
                    let activity = registry
                        .activities
                        .get_mut(&input.activity_arn)
                        .ok_or_else(|| {
                            SfnError::ActivityDoesNotExist(format!(
                                "no activity has the ARN `{}`",
                                input.activity_arn
                            ))
                        })?;
                    let mut taken = None;
                    while let Some(slot) = activity.queue.pop_front() {
                        if slot.is_open() {
                            taken = Some(slot);
                            break;
                        }
                    }
                    match taken {
                        Some(slot) => {
                            drop(registry);
                            if self.shared.start_task(&slot, worker) {
                                return Ok(hand_out(&slot));
                            }
                            continue;
                        }
                        None => {
                            let (sender, receiver) = oneshot::channel();
                            activity.pollers.push_back(sender);
                            WaitingPoll {
                                shared: &self.shared,
                                activity_arn: &input.activity_arn,
                                receiver: Some(receiver),
                            }
                        }
                    }
                };
                let slot = tokio::select! {
                    slot = receiver.wait() => slot,
                    () = tokio::time::sleep_until(deadline) => receiver.stop(),
                };
                match slot {
                    Some(slot) if self.shared.start_task(&slot, worker) => {
                        return Ok(hand_out(&slot));
                    }
                    _ if tokio::time::Instant::now() >= deadline => {
                        return Ok(GetActivityTaskOutput::default());
                    }
                    _ => {}
                }
            }
        })
    }

    fn cancel_safe_polls(&self) -> bool {
        true
    }

    fn send_task_success(
        &self,
        input: SendTaskSuccessInput,
    ) -> ApiFuture<'_, SendTaskSuccessOutput> {
        ready((|| {
            let output = check_payload(
                &input.output,
                &self.shared.limits,
                SfnError::InvalidOutput,
                "task output",
            )?;
            self.shared
                .tasks
                .answer(&input.task_token, Outcome::Success(output))?;
            Ok(SendTaskSuccessOutput {})
        })())
    }

    fn send_task_failure(
        &self,
        input: SendTaskFailureInput,
    ) -> ApiFuture<'_, SendTaskFailureOutput> {
        ready((|| {
            let failure = Arc::new(Failure {
                error: input.error.clone().unwrap_or_default(),
                cause: input.cause.clone(),
                terminal: false,
                location: None,
                from_data_flow: false,
            });
            self.shared
                .tasks
                .answer(&input.task_token, Outcome::Failure(failure))?;
            Ok(SendTaskFailureOutput {})
        })())
    }

    fn send_task_heartbeat(
        &self,
        input: SendTaskHeartbeatInput,
    ) -> ApiFuture<'_, SendTaskHeartbeatOutput> {
        ready((|| {
            self.shared.tasks.heartbeat(&input.task_token)?;
            Ok(SendTaskHeartbeatOutput {})
        })())
    }

    fn list_waiting_tasks(
        &self,
        input: ListWaitingTasksInput,
    ) -> ApiFuture<'_, ListWaitingTasksOutput> {
        ready(self.waiting_tasks_page(input))
    }

    fn redrive_execution(
        &self,
        input: crate::api::RedriveExecutionInput,
    ) -> ApiFuture<'_, crate::api::RedriveExecutionOutput> {
        Box::pin(LocalEngine::redrive_execution(self, input))
    }

    fn test_state(&self, input: TestStateInput) -> ApiFuture<'_, TestStateOutput> {
        Box::pin(LocalEngine::test_state(self, input))
    }

    fn start_sync_execution(
        &self,
        input: StartSyncExecutionInput,
    ) -> ApiFuture<'_, StartSyncExecutionOutput> {
        Box::pin(LocalEngine::start_sync_execution(self, input))
    }

    fn list_tags_for_resource(
        &self,
        input: ListTagsForResourceInput,
    ) -> ApiFuture<'_, ListTagsForResourceOutput> {
        ready(self.list_tags(&input))
    }

    fn tag_resource(&self, input: TagResourceInput) -> ApiFuture<'_, TagResourceOutput> {
        ready(self.tag(&input))
    }

    fn untag_resource(&self, input: UntagResourceInput) -> ApiFuture<'_, UntagResourceOutput> {
        ready(self.untag(&input))
    }

    fn describe_state_machine_for_execution(
        &self,
        input: DescribeStateMachineForExecutionInput,
    ) -> ApiFuture<'_, DescribeStateMachineForExecutionOutput> {
        ready(self.describe_for_execution(&input))
    }

    fn publish_state_machine_version(
        &self,
        input: PublishStateMachineVersionInput,
    ) -> ApiFuture<'_, PublishStateMachineVersionOutput> {
        ready(self.publish_version(input))
    }

    fn list_state_machine_versions(
        &self,
        input: ListStateMachineVersionsInput,
    ) -> ApiFuture<'_, ListStateMachineVersionsOutput> {
        ready(self.list_versions(input))
    }

    fn delete_state_machine_version(
        &self,
        input: DeleteStateMachineVersionInput,
    ) -> ApiFuture<'_, DeleteStateMachineVersionOutput> {
        ready(self.delete_version(input))
    }

    fn create_state_machine_alias(
        &self,
        input: CreateStateMachineAliasInput,
    ) -> ApiFuture<'_, CreateStateMachineAliasOutput> {
        ready(self.create_alias(input))
    }

    fn describe_state_machine_alias(
        &self,
        input: DescribeStateMachineAliasInput,
    ) -> ApiFuture<'_, DescribeStateMachineAliasOutput> {
        ready(self.describe_alias(input))
    }

    fn update_state_machine_alias(
        &self,
        input: UpdateStateMachineAliasInput,
    ) -> ApiFuture<'_, UpdateStateMachineAliasOutput> {
        ready(self.update_alias(input))
    }

    fn delete_state_machine_alias(
        &self,
        input: DeleteStateMachineAliasInput,
    ) -> ApiFuture<'_, DeleteStateMachineAliasOutput> {
        ready(self.delete_alias(input))
    }

    fn list_state_machine_aliases(
        &self,
        input: ListStateMachineAliasesInput,
    ) -> ApiFuture<'_, ListStateMachineAliasesOutput> {
        ready(self.list_aliases(input))
    }

    fn validate_state_machine_definition(
        &self,
        input: ValidateStateMachineDefinitionInput,
    ) -> ApiFuture<'_, ValidateStateMachineDefinitionOutput> {
        ready(self.validate(&input))
    }
}

/// A `GetActivityTask` call waiting for a task to be handed to it.
///
/// Dropping it (the caller gave up on the call) never loses a task: a task
/// already sent to it goes back to the front of its activity's queue, not
/// started.
struct WaitingPoll<'a> {
    shared: &'a Shared,
    activity_arn: &'a str,
    receiver: Option<oneshot::Receiver<Arc<TaskSlot>>>,
}

impl WaitingPoll<'_> {
    /// The task handed to this call; `None` if the activity was deleted
    /// while it waited.
    async fn wait(&mut self) -> Option<Arc<TaskSlot>> {
        let receiver = self.receiver.as_mut()?;
        let slot = receiver.await.ok();
        self.receiver = None;
        slot
    }

    /// Stops waiting: no task can be handed to this call any more; gives
    /// the task that came just before, if one did.
    fn stop(&mut self) -> Option<Arc<TaskSlot>> {
        let mut receiver = self.receiver.take()?;
        receiver.close();
        receiver.try_recv().ok()
    }
}

impl Drop for WaitingPoll<'_> {
    fn drop(&mut self) {
        if let Some(slot) = self.stop() {
            self.shared.requeue(self.activity_arn, slot);
        }
    }
}

fn hand_out(slot: &TaskSlot) -> GetActivityTaskOutput {
    GetActivityTaskOutput {
        task_token: Some(slot.token.clone()),
        input: Some(slot.input.to_string()),
    }
}
