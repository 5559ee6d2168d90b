//! [`FaultInjector`]: an engine that makes another one unreliable, to test
//! that workers and clients survive what a network and a busy service do
//! to calls.
//!
//! Each call through the injector draws, from a seeded random generator, at
//! most one fault:
//!
//! - **throttled**: the call fails with a `ThrottlingException` before it
//!   reaches the inner engine;
//! - **transport error**: the call fails with [`SfnError::Transport`] before
//!   it reaches the inner engine;
//! - **latency**: the call waits a while, then goes through;
//! - **dropped response**: the inner engine makes the call, and its answer
//!   is replaced by [`SfnError::Transport`], as when a connection breaks
//!   after the request was sent. A task whose `GetActivityTask` answer is
//!   dropped was handed out, to nobody: it is lost until it times out.
//!
//! The injector counts what it injected, per operation.
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use sfini_runtime::api::{CreateActivityInput, StepFunctions};
//! use sfini_runtime::faults::{FaultInjector, Operation};
//! use sfini_runtime::local::LocalEngine;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let faulty = FaultInjector::builder(Arc::new(LocalEngine::new()))
//!     .seed(7)
//!     .throttle(1.0)
//!     .only(&[Operation::CreateActivity])
//!     .build()
//!     .expect("valid probabilities");
//! let answer = faulty
//!     .create_activity(CreateActivityInput { name: "a".into(), ..Default::default() })
//!     .await;
//! assert_eq!(answer.unwrap_err().code(), "ThrottlingException");
//! assert_eq!(faulty.counts(Operation::CreateActivity).throttled, 1);
//! # }
//! ```

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::api::*;

/// An operation of the [`StepFunctions`] API, to count faults by and to
/// limit them to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `CreateActivity`.
    CreateActivity,
    /// `DescribeActivity`.
    DescribeActivity,
    /// `ListActivities`.
    ListActivities,
    /// `DeleteActivity`.
    DeleteActivity,
    /// `CreateStateMachine`.
    CreateStateMachine,
    /// `UpdateStateMachine`.
    UpdateStateMachine,
    /// `DescribeStateMachine`.
    DescribeStateMachine,
    /// `ListStateMachines`.
    ListStateMachines,
    /// `DeleteStateMachine`.
    DeleteStateMachine,
    /// `StartExecution`.
    StartExecution,
    /// `DescribeExecution`.
    DescribeExecution,
    /// `ListExecutions`.
    ListExecutions,
    /// `StopExecution`.
    StopExecution,
    /// `GetExecutionHistory`.
    GetExecutionHistory,
    /// `GetActivityTask`.
    GetActivityTask,
    /// `SendTaskSuccess`.
    SendTaskSuccess,
    /// `SendTaskFailure`.
    SendTaskFailure,
    /// `SendTaskHeartbeat`.
    SendTaskHeartbeat,
}

impl Operation {
    /// Every operation.
    pub const ALL: [Operation; 18] = [
        Operation::CreateActivity,
        Operation::DescribeActivity,
        Operation::ListActivities,
        Operation::DeleteActivity,
        Operation::CreateStateMachine,
        Operation::UpdateStateMachine,
        Operation::DescribeStateMachine,
        Operation::ListStateMachines,
        Operation::DeleteStateMachine,
        Operation::StartExecution,
        Operation::DescribeExecution,
        Operation::ListExecutions,
        Operation::StopExecution,
        Operation::GetExecutionHistory,
        Operation::GetActivityTask,
        Operation::SendTaskSuccess,
        Operation::SendTaskFailure,
        Operation::SendTaskHeartbeat,
    ];

    /// The operation's name in the AWS API, such as `GetActivityTask`.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::CreateActivity => "CreateActivity",
            Operation::DescribeActivity => "DescribeActivity",
            Operation::ListActivities => "ListActivities",
            Operation::DeleteActivity => "DeleteActivity",
            Operation::CreateStateMachine => "CreateStateMachine",
            Operation::UpdateStateMachine => "UpdateStateMachine",
            Operation::DescribeStateMachine => "DescribeStateMachine",
            Operation::ListStateMachines => "ListStateMachines",
            Operation::DeleteStateMachine => "DeleteStateMachine",
            Operation::StartExecution => "StartExecution",
            Operation::DescribeExecution => "DescribeExecution",
            Operation::ListExecutions => "ListExecutions",
            Operation::StopExecution => "StopExecution",
            Operation::GetExecutionHistory => "GetExecutionHistory",
            Operation::GetActivityTask => "GetActivityTask",
            Operation::SendTaskSuccess => "SendTaskSuccess",
            Operation::SendTaskFailure => "SendTaskFailure",
            Operation::SendTaskHeartbeat => "SendTaskHeartbeat",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a [`FaultInjector`] did to the calls of one operation (or of all).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FaultCounts {
    /// Calls made through the injector.
    pub calls: u64,
    /// Calls failed with `ThrottlingException` before reaching the inner
    /// engine.
    pub throttled: u64,
    /// Calls failed with a transport error before reaching the inner
    /// engine.
    pub transport_errors: u64,
    /// Calls delayed, then made.
    pub delayed: u64,
    /// Calls made whose answer was replaced by a transport error (counted
    /// once the inner engine has answered).
    pub dropped_responses: u64,
}

impl FaultCounts {
    /// Calls that failed because of a fault: throttled, transport errors
    /// and dropped responses (delays do not fail a call).
    pub fn failed(&self) -> u64 {
        self.throttled + self.transport_errors + self.dropped_responses
    }

    fn add(&mut self, other: &FaultCounts) {
        self.calls += other.calls;
        self.throttled += other.throttled;
        self.transport_errors += other.transport_errors;
        self.delayed += other.delayed;
        self.dropped_responses += other.dropped_responses;
    }
}

/// Settings of a [`FaultInjector`] that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid fault settings: {0}")]
pub struct FaultSettingsError(String);

/// The settings of a [`FaultInjector`]; from [`FaultInjector::builder`].
#[derive(Clone)]
pub struct FaultInjectorBuilder {
    inner: Arc<dyn StepFunctions>,
    seed: u64,
    throttle: f64,
    transport: f64,
    latency: f64,
    latency_range: (Duration, Duration),
    drop_response: f64,
    only: Option<Vec<Operation>>,
    cancel_safe_polls: Option<bool>,
}

impl fmt::Debug for FaultInjectorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FaultInjectorBuilder")
            .field("seed", &self.seed)
            .field("throttle", &self.throttle)
            .field("transport", &self.transport)
            .field("latency", &self.latency)
            .field("latency_range", &self.latency_range)
            .field("drop_response", &self.drop_response)
            .field("only", &self.only)
            .finish_non_exhaustive()
    }
}

impl FaultInjectorBuilder {
    /// The seed of the random generator that draws the faults (default 0).
    /// The same seed and the same sequence of calls give the same faults.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The probability (0 to 1) that a call fails with
    /// `ThrottlingException` before reaching the inner engine.
    #[must_use]
    pub fn throttle(mut self, probability: f64) -> Self {
        self.throttle = probability;
        self
    }

    /// The probability that a call fails with a transport error before
    /// reaching the inner engine.
    #[must_use]
    pub fn transport_error(mut self, probability: f64) -> Self {
        self.transport = probability;
        self
    }

    /// The probability that a call waits before it is made, and how long:
    /// a random time from `min` to `max`.
    #[must_use]
    pub fn latency(mut self, probability: f64, min: Duration, max: Duration) -> Self {
        self.latency = probability;
        self.latency_range = (min, max);
        self
    }

    /// The probability that a call is made and its answer replaced by a
    /// transport error.
    #[must_use]
    pub fn drop_response(mut self, probability: f64) -> Self {
        self.drop_response = probability;
        self
    }

    /// Injects faults only into these operations; the others pass through
    /// untouched (and draw nothing from the random generator).
    #[must_use]
    pub fn only(mut self, operations: &[Operation]) -> Self {
        self.only = Some(operations.to_vec());
        self
    }

    /// What [`StepFunctions::cancel_safe_polls`] answers. By default the
    /// inner engine's answer, or false when `GetActivityTask` answers may
    /// be dropped. Saying false of a cancel-safe engine lets a test run a
    /// worker as it runs against a service whose polls are not.
    #[must_use]
    pub fn cancel_safe_polls(mut self, cancel_safe: bool) -> Self {
        self.cancel_safe_polls = Some(cancel_safe);
        self
    }

    /// The injector; fails when a probability is outside 0 to 1, when they
    /// add up to more than 1 (a call gets at most one fault), or when the
    /// latency range is reversed.
    pub fn build(self) -> Result<FaultInjector, FaultSettingsError> {
        let probabilities = [
            ("throttle", self.throttle),
            ("transport_error", self.transport),
            ("latency", self.latency),
            ("drop_response", self.drop_response),
        ];
        for (name, probability) in probabilities {
            if !(0.0..=1.0).contains(&probability) {
                return Err(FaultSettingsError(format!(
                    "the {name} probability is {probability}; a probability is from 0 to 1"
                )));
            }
        }
        let total: f64 = probabilities.iter().map(|(_, p)| p).sum();
        if total > 1.0 + 1e-9 {
            return Err(FaultSettingsError(format!(
                "the fault probabilities add up to {total}; a call gets at most one fault, so \
                 they must add up to at most 1"
            )));
        }
        if self.latency_range.0 > self.latency_range.1 {
            return Err(FaultSettingsError(format!(
                "the latency range starts at {:?} and ends at {:?}; give the shorter first",
                self.latency_range.0, self.latency_range.1
            )));
        }
        let polls_faulted = self
            .only
            .as_ref()
            .is_none_or(|only| only.contains(&Operation::GetActivityTask));
        let cancel_safe_polls = self.cancel_safe_polls.unwrap_or(
            self.inner.cancel_safe_polls() && !(polls_faulted && self.drop_response > 0.0),
        );
        Ok(FaultInjector {
            rng: Mutex::new(StdRng::seed_from_u64(self.seed)),
            counts: std::array::from_fn(|_| Counters::default()),
            cancel_safe_polls,
            settings: self,
        })
    }
}

#[derive(Default)]
struct Counters {
    calls: AtomicU64,
    throttled: AtomicU64,
    transport_errors: AtomicU64,
    delayed: AtomicU64,
    dropped_responses: AtomicU64,
}

/// The fault drawn for one call.
enum Fault {
    None,
    Throttle,
    Transport,
    Latency(Duration),
    DropResponse,
}

/// A [`StepFunctions`] engine that passes each call to another one, with
/// faults drawn at random (see the [module documentation](self)).
pub struct FaultInjector {
    settings: FaultInjectorBuilder,
    rng: Mutex<StdRng>,
    counts: [Counters; 18],
    cancel_safe_polls: bool,
}

impl fmt::Debug for FaultInjector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FaultInjector")
            .field("settings", &self.settings)
            .field("injected", &self.total())
            .finish()
    }
}

impl FaultInjector {
    /// Settings for an injector in front of `inner`: no fault until one is
    /// given a probability.
    pub fn builder(inner: Arc<dyn StepFunctions>) -> FaultInjectorBuilder {
        FaultInjectorBuilder {
            inner,
            seed: 0,
            throttle: 0.0,
            transport: 0.0,
            latency: 0.0,
            latency_range: (Duration::ZERO, Duration::ZERO),
            drop_response: 0.0,
            only: None,
            cancel_safe_polls: None,
        }
    }

    /// The engine the calls go to.
    pub fn inner(&self) -> &Arc<dyn StepFunctions> {
        &self.settings.inner
    }

    /// What was injected into the calls of `operation`.
    pub fn counts(&self, operation: Operation) -> FaultCounts {
        let counters = &self.counts[operation.index()];
        let read = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        FaultCounts {
            calls: read(&counters.calls),
            throttled: read(&counters.throttled),
            transport_errors: read(&counters.transport_errors),
            delayed: read(&counters.delayed),
            dropped_responses: read(&counters.dropped_responses),
        }
    }

    /// What was injected into all calls.
    pub fn total(&self) -> FaultCounts {
        let mut total = FaultCounts::default();
        for operation in Operation::ALL {
            total.add(&self.counts(operation));
        }
        total
    }

    fn draw(&self, operation: Operation) -> Fault {
        let counters = &self.counts[operation.index()];
        counters.calls.fetch_add(1, Ordering::Relaxed);
        let settings = &self.settings;
        if settings
            .only
            .as_ref()
            .is_some_and(|only| !only.contains(&operation))
        {
            return Fault::None;
        }
        // The generator's state stays valid whatever happened to a thread
        // that held the lock.
        let mut rng = self
            .rng
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let roll: f64 = rng.random();
        let mut bound = settings.throttle;
        if roll < bound {
            counters.throttled.fetch_add(1, Ordering::Relaxed);
            return Fault::Throttle;
        }
        bound += settings.transport;
        if roll < bound {
            counters.transport_errors.fetch_add(1, Ordering::Relaxed);
            return Fault::Transport;
        }
        bound += settings.latency;
        if roll < bound {
            counters.delayed.fetch_add(1, Ordering::Relaxed);
            let (min, max) = settings.latency_range;
            let nanos = |duration: Duration| u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
            return Fault::Latency(Duration::from_nanos(
                rng.random_range(nanos(min)..=nanos(max)),
            ));
        }
        bound += settings.drop_response;
        if roll < bound {
            // Counted once the call has been made.
            return Fault::DropResponse;
        }
        Fault::None
    }

    /// Makes `call` on the inner engine with the fault drawn for it.
    async fn call<'a, T>(
        &'a self,
        operation: Operation,
        call: impl FnOnce(&'a dyn StepFunctions) -> ApiFuture<'a, T>,
    ) -> Result<T, SfnError> {
        let fault = self.draw(operation);
        match fault {
            Fault::Throttle => {
                return Err(SfnError::Service {
                    code: "ThrottlingException".into(),
                    message: format!("Rate exceeded (a fault injected into {operation})"),
                });
            }
            Fault::Transport => {
                return Err(SfnError::Transport(format!(
                    "the {operation} request did not reach the service (a fault injected before \
                     the call)"
                )));
            }
            Fault::Latency(delay) => tokio::time::sleep(delay).await,
            Fault::None | Fault::DropResponse => {}
        }
        let answer = call(&*self.settings.inner).await;
        if let Fault::DropResponse = fault {
            self.counts[operation.index()]
                .dropped_responses
                .fetch_add(1, Ordering::Relaxed);
            tracing::debug!(%operation, "dropping the answer of a call that was made");
            return Err(SfnError::Transport(format!(
                "the answer to {operation} was lost after the call was made (a fault injected \
                 after the call)"
            )));
        }
        answer
    }
}

macro_rules! faulty_calls {
    ($($method:ident($input:ty) -> $output:ty = $operation:ident;)*) => {
        impl StepFunctions for FaultInjector {
            $(
                fn $method(&self, input: $input) -> ApiFuture<'_, $output> {
                    Box::pin(self.call(Operation::$operation, move |inner| inner.$method(input)))
                }
            )*

            fn cancel_safe_polls(&self) -> bool {
                self.cancel_safe_polls
            }

            // Calls no worker makes pass through without faults.
            fn list_waiting_tasks(
                &self,
                input: crate::local::ListWaitingTasksInput,
            ) -> ApiFuture<'_, crate::local::ListWaitingTasksOutput> {
                self.settings.inner.list_waiting_tasks(input)
            }

            fn test_state(&self, input: TestStateInput) -> ApiFuture<'_, TestStateOutput> {
                self.settings.inner.test_state(input)
            }

            fn redrive_execution(
                &self,
                input: RedriveExecutionInput,
            ) -> ApiFuture<'_, RedriveExecutionOutput> {
                self.settings.inner.redrive_execution(input)
            }

            fn start_sync_execution(
                &self,
                input: StartSyncExecutionInput,
            ) -> ApiFuture<'_, StartSyncExecutionOutput> {
                self.settings.inner.start_sync_execution(input)
            }

            fn list_tags_for_resource(
                &self,
                input: ListTagsForResourceInput,
            ) -> ApiFuture<'_, ListTagsForResourceOutput> {
                self.settings.inner.list_tags_for_resource(input)
            }

            fn tag_resource(&self, input: TagResourceInput) -> ApiFuture<'_, TagResourceOutput> {
                self.settings.inner.tag_resource(input)
            }

            fn untag_resource(
                &self,
                input: UntagResourceInput,
            ) -> ApiFuture<'_, UntagResourceOutput> {
                self.settings.inner.untag_resource(input)
            }

            fn describe_state_machine_for_execution(
                &self,
                input: DescribeStateMachineForExecutionInput,
            ) -> ApiFuture<'_, DescribeStateMachineForExecutionOutput> {
                self.settings.inner.describe_state_machine_for_execution(input)
            }

            fn validate_state_machine_definition(
                &self,
                input: ValidateStateMachineDefinitionInput,
            ) -> ApiFuture<'_, ValidateStateMachineDefinitionOutput> {
                self.settings.inner.validate_state_machine_definition(input)
            }

            fn publish_state_machine_version(&self, input: PublishStateMachineVersionInput) -> ApiFuture<'_, PublishStateMachineVersionOutput> {
                self.settings.inner.publish_state_machine_version(input)
            }

            fn list_state_machine_versions(&self, input: ListStateMachineVersionsInput) -> ApiFuture<'_, ListStateMachineVersionsOutput> {
                self.settings.inner.list_state_machine_versions(input)
            }

            fn delete_state_machine_version(&self, input: DeleteStateMachineVersionInput) -> ApiFuture<'_, DeleteStateMachineVersionOutput> {
                self.settings.inner.delete_state_machine_version(input)
            }

            fn create_state_machine_alias(&self, input: CreateStateMachineAliasInput) -> ApiFuture<'_, CreateStateMachineAliasOutput> {
                self.settings.inner.create_state_machine_alias(input)
            }

            fn describe_state_machine_alias(&self, input: DescribeStateMachineAliasInput) -> ApiFuture<'_, DescribeStateMachineAliasOutput> {
                self.settings.inner.describe_state_machine_alias(input)
            }

            fn update_state_machine_alias(&self, input: UpdateStateMachineAliasInput) -> ApiFuture<'_, UpdateStateMachineAliasOutput> {
                self.settings.inner.update_state_machine_alias(input)
            }

            fn delete_state_machine_alias(&self, input: DeleteStateMachineAliasInput) -> ApiFuture<'_, DeleteStateMachineAliasOutput> {
                self.settings.inner.delete_state_machine_alias(input)
            }

            fn list_state_machine_aliases(&self, input: ListStateMachineAliasesInput) -> ApiFuture<'_, ListStateMachineAliasesOutput> {
                self.settings.inner.list_state_machine_aliases(input)
            }
        }
    };
}

faulty_calls! {
    create_activity(CreateActivityInput) -> CreateActivityOutput = CreateActivity;
    describe_activity(DescribeActivityInput) -> DescribeActivityOutput = DescribeActivity;
    list_activities(ListActivitiesInput) -> ListActivitiesOutput = ListActivities;
    delete_activity(DeleteActivityInput) -> DeleteActivityOutput = DeleteActivity;
    create_state_machine(CreateStateMachineInput) -> CreateStateMachineOutput = CreateStateMachine;
    update_state_machine(UpdateStateMachineInput) -> UpdateStateMachineOutput = UpdateStateMachine;
    describe_state_machine(DescribeStateMachineInput) -> DescribeStateMachineOutput = DescribeStateMachine;
    list_state_machines(ListStateMachinesInput) -> ListStateMachinesOutput = ListStateMachines;
    delete_state_machine(DeleteStateMachineInput) -> DeleteStateMachineOutput = DeleteStateMachine;
    start_execution(StartExecutionInput) -> StartExecutionOutput = StartExecution;
    describe_execution(DescribeExecutionInput) -> DescribeExecutionOutput = DescribeExecution;
    list_executions(ListExecutionsInput) -> ListExecutionsOutput = ListExecutions;
    stop_execution(StopExecutionInput) -> StopExecutionOutput = StopExecution;
    get_execution_history(GetExecutionHistoryInput) -> GetExecutionHistoryOutput = GetExecutionHistory;
    get_activity_task(GetActivityTaskInput) -> GetActivityTaskOutput = GetActivityTask;
    send_task_success(SendTaskSuccessInput) -> SendTaskSuccessOutput = SendTaskSuccess;
    send_task_failure(SendTaskFailureInput) -> SendTaskFailureOutput = SendTaskFailure;
    send_task_heartbeat(SendTaskHeartbeatInput) -> SendTaskHeartbeatOutput = SendTaskHeartbeat;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local::LocalEngine;

    fn engine() -> Arc<dyn StepFunctions> {
        Arc::new(LocalEngine::new())
    }

    #[tokio::test]
    async fn calls_no_worker_makes_pass_through_without_faults() {
        let injector = FaultInjector::builder(engine())
            .throttle(1.0)
            .build()
            .expect("valid settings");
        let tested = injector
            .test_state(TestStateInput {
                definition: r#"{"Type": "Pass", "Result": 7, "End": true}"#.into(),
                ..Default::default()
            })
            .await
            .expect("TestState is not throttled");
        assert_eq!(tested.output.as_deref(), Some("7"));
        let waiting = injector
            .list_waiting_tasks(crate::local::ListWaitingTasksInput::default())
            .await
            .expect("the listing is not throttled");
        assert!(waiting.tasks.is_empty());
        // StartSyncExecution reaches the engine, which answers it.
        let missing = injector
            .start_sync_execution(StartSyncExecutionInput {
                state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:none".into(),
                ..Default::default()
            })
            .await
            .expect_err("no such machine");
        assert_eq!(missing.code(), "StateMachineDoesNotExist");
    }

    #[test]
    fn bad_settings_are_refused() {
        let error = FaultInjector::builder(engine())
            .throttle(1.5)
            .build()
            .unwrap_err();
        assert!(error.to_string().contains("throttle probability is 1.5"));
        let error = FaultInjector::builder(engine())
            .throttle(0.6)
            .drop_response(0.6)
            .build()
            .unwrap_err();
        assert!(error.to_string().contains("add up to"), "{error}");
    }

    #[test]
    fn dropping_poll_answers_makes_polls_unsafe_to_cancel() {
        let plain = FaultInjector::builder(engine()).build().unwrap();
        assert!(plain.cancel_safe_polls());
        let dropping = FaultInjector::builder(engine())
            .drop_response(0.1)
            .build()
            .unwrap();
        assert!(!dropping.cancel_safe_polls());
        let elsewhere = FaultInjector::builder(engine())
            .drop_response(0.1)
            .only(&[Operation::SendTaskSuccess])
            .build()
            .unwrap();
        assert!(elsewhere.cancel_safe_polls());
    }

    #[tokio::test(start_paused = true)]
    async fn faults_are_drawn_in_proportion_and_counted() {
        let injector = FaultInjector::builder(engine())
            .seed(3)
            .throttle(0.1)
            .transport_error(0.1)
            .latency(0.1, Duration::from_millis(1), Duration::from_millis(5))
            .drop_response(0.1)
            .build()
            .unwrap();
        let mut failures = 0;
        for _ in 0..2000 {
            let answer = injector
                .create_activity(CreateActivityInput {
                    name: "a".into(),
                    ..Default::default()
                })
                .await;
            if answer.is_err() {
                failures += 1;
            }
        }
        let counts = injector.counts(Operation::CreateActivity);
        assert_eq!(counts.calls, 2000);
        assert_eq!(counts.failed(), failures);
        for count in [
            counts.throttled,
            counts.transport_errors,
            counts.delayed,
            counts.dropped_responses,
        ] {
            assert!((120..=280).contains(&count), "{counts:?}");
        }
        assert_eq!(injector.total(), counts);
        // A dropped answer still reached the engine: the activity exists.
        assert_eq!(
            injector
                .inner()
                .list_activities(ListActivitiesInput::default())
                .await
                .unwrap()
                .activities
                .len(),
            1
        );
    }
}
