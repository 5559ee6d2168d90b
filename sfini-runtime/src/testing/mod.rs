//! Testing workflows without AWS: a workflow run on the local engine, on a
//! virtual clock, with each task answered as the test says, and a report to
//! assert on.
//!
//! [`WorkflowTest`] takes a workflow (a [`Workflow`] type made by
//! `workflow!`, or any Amazon States Language definition), an input, and
//! how each task is answered:
//!
//! - activities are served by their real `#[activity]` functions, by a
//!   worker in the same process (every activity of a [`Workflow`] type is,
//!   unless replaced), or replaced by a closure
//!   ([`WorkflowTest::activity_fn`]);
//! - a Lambda function or service integration is answered by a closure
//!   ([`WorkflowTest::task`]), or a Task state by a list of mocked responses
//!   ([`WorkflowTest::mock`], the `Return`/`Throw` answers of AWS's mock
//!   configuration format);
//! - a `.waitForTaskToken` task that nothing else answers waits for the
//!   test: [`RunningTest::callback`] hands over its token and input, and
//!   [`CallbackTask::succeed`] or [`CallbackTask::fail`] answers it.
//!
//! [`TestRun`], the report of a closed execution, gives its status, output,
//! error and cause, the states it entered in order, each visit's input,
//! output and attempts, and how long it took in virtual time.
//!
//! Waits, retry intervals and timeouts take no time when the test runs on
//! a paused tokio clock: `#[tokio::test(start_paused = true)]`, or
//! [`WorkflowTest::run_blocking`] from a plain `#[test]`. The engine's clock
//! starts at [`DEFAULT_START`] unless [`WorkflowTest::starting_at`] says
//! otherwise, so that the history's times are the same on every run.
//!
//! ```
//! use serde_json::json;
//! use sfini_runtime::local::TaskFailure;
//! use sfini_runtime::mock::MockedResponse;
//! use sfini_runtime::testing::WorkflowTest;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let definition = json!({
//!     "StartAt": "Charge",
//!     "States": {
//!         "Charge": {
//!             "Type": "Task",
//!             "Resource": "arn:aws:states:::lambda:invoke",
//!             "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
//!             "OutputPath": "$.Payload",
//!             "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 5}],
//!             "Next": "Ship"
//!         },
//!         "Ship": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}
//!     }
//! });
//! let run = WorkflowTest::definition(definition.to_string())
//!     .input(json!({"order": 7}))
//!     .mock(
//!         "Charge",
//!         MockedResponse::new("busy once")
//!             .then_throw("Busy", "try again")
//!             .then_return(json!({"Payload": {"order": 7, "charged": true}})),
//!     )
//!     .task("arn:aws:states:::sqs:sendMessage", |input, _context| async move {
//!         match input["charged"].as_bool() {
//!             Some(true) => Ok(json!({"MessageId": "m-1"})),
//!             _ => Err(TaskFailure::new("NotCharged", "ship only what is paid")),
//!         }
//!     })
//!     .run()
//!     .await?;
//! assert!(run.succeeded(), "{run}");
//! assert_eq!(run.output_json(), Some(&json!({"MessageId": "m-1"})));
//! assert_eq!(run.states(), ["Charge", "Ship"]);
//! assert_eq!(run.retries("Charge"), 1);
//! assert_eq!(run.visit("Ship").unwrap().input, json!({"order": 7, "charged": true}));
//! assert_eq!(run.duration().as_secs(), 5);
//! # Ok(())
//! # }
//! ```

mod report;

use std::future::Future;

use serde::Serialize;
use serde_json::Value;
use sfini_core::model::{State, States};
use time::OffsetDateTime;
use tokio::sync::mpsc;

pub use self::report::{StateVisit, TaskAttempt, TestRun};
use crate::activity::{Activity, ActivityDefinition};
use crate::api::*;
use crate::client::Sfn;
use crate::clock::Clock;
use crate::local::{
    DEFAULT_ACCOUNT_ID, DEFAULT_REGION, EngineLimits, LocalEngine, TaskFailure, UnhandledCallbacks,
};
use crate::mock::{MockedResponse, TestCase};
use crate::worker::Worker;
use crate::workflow::{Workflow, fill_region_and_account};

/// When the engine's clock of a test starts, unless
/// [`WorkflowTest::starting_at`] says otherwise: 2024-01-01T00:00:00Z.
pub const DEFAULT_START: OffsetDateTime = match OffsetDateTime::from_unix_timestamp(1_704_067_200) {
    Ok(start) => start,
    Err(_) => OffsetDateTime::UNIX_EPOCH,
};

/// The role a test's executions run as.
const ROLE: &str = "arn:aws:iam::123456789012:role/sfini-test";

/// Why a test could not run, or could not give what was asked of it.
#[derive(Debug, thiserror::Error)]
pub enum TestError {
    /// The input could not be made JSON.
    #[error("the input is not JSON: {0}")]
    Input(String),
    /// The engine refused the definition (with its problems and where).
    #[error("the definition is refused: {0}")]
    Definition(SfnError),
    /// The engine refused a call: starting the execution (the input, the
    /// test case), answering a callback, reading the history.
    #[error("{call}: {source}")]
    Engine {
        /// What was being done.
        call: &'static str,
        /// The engine's error.
        source: SfnError,
    },
    /// The worker serving the activities could not start or stop.
    #[error("the activities' worker: {0}")]
    Worker(String),
    /// The execution closed while the test waited for a callback.
    #[error(
        "the execution closed ({status}) while the test waited for a `.waitForTaskToken` task: \
         no such task was waiting"
    )]
    NoCallback {
        /// How it closed.
        status: ExecutionStatus,
    },
    /// The execution did not succeed where its output was asked for.
    #[error("the execution did not succeed: it is {status}{}", failure(.error, .cause))]
    NotSucceeded {
        /// How it closed.
        status: ExecutionStatus,
        /// Its error.
        error: Option<String>,
        /// Its cause.
        cause: Option<String>,
    },
    /// The output could not be read as the type asked for.
    #[error("the output {output} is not of the type asked for: {reason}")]
    Output {
        /// The output, as JSON text.
        output: String,
        /// Why it could not be read.
        reason: String,
    },
    /// The test's runtime could not be made ([`WorkflowTest::run_blocking`]).
    #[error("cannot start a runtime for the test: {0}")]
    Runtime(String),
}

fn failure(error: &Option<String>, cause: &Option<String>) -> String {
    match (error, cause) {
        (Some(error), Some(cause)) => format!(" with {error}: {cause}"),
        (Some(error), None) => format!(" with {error}"),
        _ => String::new(),
    }
}

/// Registers a handler on the test's engine once it is built.
type Registration = Box<dyn FnOnce(&LocalEngine) + Send>;

/// A workflow to run in a test, and how its tasks are answered. See the
/// [module documentation](self).
#[must_use = "a test does nothing until it is run"]
pub struct WorkflowTest {
    name: String,
    definition: String,
    /// Activities served by their real functions, by a worker.
    served: Vec<&'static ActivityDefinition>,
    /// Activities replaced by closures, by name.
    replaced: Vec<String>,
    /// Resources answered by closures.
    handled: Vec<String>,
    registrations: Vec<Registration>,
    test_case: TestCase,
    input: Result<Value, String>,
    execution_name: Option<String>,
    start: OffsetDateTime,
    limits: EngineLimits,
}

impl std::fmt::Debug for WorkflowTest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkflowTest")
            .field("name", &self.name)
            .field(
                "served",
                &self.served.iter().map(|a| a.name).collect::<Vec<_>>(),
            )
            .field("replaced", &self.replaced)
            .field("handled", &self.handled)
            .field("mocked", &self.test_case.states().collect::<Vec<_>>())
            .field("start", &self.start)
            .finish_non_exhaustive()
    }
}

impl WorkflowTest {
    /// A test of the workflow type `W`, its activities served by their
    /// real functions unless replaced.
    pub fn of<W: Workflow>() -> WorkflowTest {
        let mut test = WorkflowTest::named(W::NAME, W::DEFINITION.to_string());
        test.served = W::ACTIVITIES.to_vec();
        test
    }

    /// A test of an Amazon States Language definition (JSON text; activity
    /// ARNs may hold `${AWS::Region}` and `${AWS::AccountId}`). The state
    /// machine is named `test`.
    pub fn definition(definition: impl Into<String>) -> WorkflowTest {
        WorkflowTest::named("test", definition.into())
    }

    fn named(name: &str, definition: String) -> WorkflowTest {
        WorkflowTest {
            name: name.to_string(),
            definition,
            served: Vec::new(),
            replaced: Vec::new(),
            handled: Vec::new(),
            registrations: Vec::new(),
            test_case: TestCase::new("test"),
            input: Ok(Value::Object(Default::default())),
            execution_name: None,
            start: DEFAULT_START,
            limits: EngineLimits::default(),
        }
    }

    /// The state machine's name (the workflow's, or `test`).
    pub fn name(mut self, name: impl Into<String>) -> WorkflowTest {
        self.name = name.into();
        self
    }

    /// The execution's input (`{}` unless given).
    pub fn input(mut self, input: impl Serialize) -> WorkflowTest {
        self.input = serde_json::to_value(input).map_err(|error| error.to_string());
        self
    }

    /// The execution's name (a random one unless given).
    pub fn execution_name(mut self, name: impl Into<String>) -> WorkflowTest {
        self.execution_name = Some(name.into());
        self
    }

    /// When the engine's clock starts ([`DEFAULT_START`] unless given).
    pub fn starting_at(mut self, start: OffsetDateTime) -> WorkflowTest {
        self.start = start;
        self
    }

    /// The bounds the engine holds the execution to.
    pub fn limits(mut self, limits: EngineLimits) -> WorkflowTest {
        self.limits = limits;
        self
    }

    /// Serves the activity `A` with its real function, by a worker in this
    /// process (for definitions given as text; a [`Workflow`] type's
    /// activities are served already).
    pub fn activity<A: Activity>(mut self) -> WorkflowTest {
        let definition: &'static ActivityDefinition = &A::DEFINITION;
        if !self
            .served
            .iter()
            .any(|served| served.name == definition.name)
        {
            self.served.push(definition);
        }
        self
    }

    /// Replaces the activity named `name` with `answer`, which receives
    /// each task's input and gives its result, or its failure (which Retry
    /// and Catch match). No worker serves it.
    pub fn activity_fn<F, Fut>(mut self, name: impl Into<String>, answer: F) -> WorkflowTest
    where
        F: Fn(Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value, TaskFailure>> + Send + 'static,
    {
        let name = name.into();
        self.replaced.push(name.clone());
        self.registrations
            .push(Box::new(move |engine: &LocalEngine| {
                let arn = format!(
                    "arn:aws:states:{}:{}:activity:{name}",
                    engine.region(),
                    engine.account_id()
                );
                engine.register_handler(arn, move |input, _context| answer(input));
            }));
        self
    }

    /// Answers the Task states whose `Resource` is `resource` (a Lambda
    /// function ARN or a service integration) with `answer`, which receives
    /// the task's effective input and the context object (`$$`, with
    /// `Task.Token` for a `.waitForTaskToken` resource) and gives the
    /// service's answer or its failure. A closure for `X` also answers
    /// `X.sync` and `X.waitForTaskToken`; for the latter its answer is the
    /// service's, and the task then waits for its callback.
    pub fn task<F, Fut>(mut self, resource: impl Into<String>, answer: F) -> WorkflowTest
    where
        F: Fn(Value, Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value, TaskFailure>> + Send + 'static,
    {
        let resource = resource.into();
        self.handled.push(resource.clone());
        self.registrations
            .push(Box::new(move |engine: &LocalEngine| {
                engine.register_handler(resource, answer)
            }));
        self
    }

    /// Answers each attempt of the Task state named `state` from
    /// `responses`, as a test case of a mock configuration does (see the
    /// [`mock`](crate::mock) module): nothing else serves it.
    pub fn mock(mut self, state: impl Into<String>, responses: MockedResponse) -> WorkflowTest {
        self.test_case = self.test_case.mock(state, responses);
        self
    }

    /// Runs the execution to its end and reports it. Run it on a paused
    /// tokio clock for waits to take no time.
    pub async fn run(self) -> Result<TestRun, TestError> {
        self.start().await?.finish().await
    }

    /// [`WorkflowTest::run`] on a runtime of its own with a paused clock,
    /// for a plain `#[test]`. It must not be called from within a tokio
    /// runtime.
    pub fn run_blocking(self) -> Result<TestRun, TestError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .map_err(|error| TestError::Runtime(error.to_string()))?;
        runtime.block_on(self.run())
    }

    /// Starts the execution, for a test that answers its callbacks
    /// ([`RunningTest::callback`]) before [`RunningTest::finish`].
    pub async fn start(self) -> Result<RunningTest, TestError> {
        let input = self.input.map_err(TestError::Input)?;
        let engine = LocalEngine::builder()
            .clock(Clock::virtual_from(self.start))
            .limits(self.limits)
            .unhandled_callbacks(UnhandledCallbacks::Wait)
            .build();
        for register in self.registrations {
            register(&engine);
        }
        let definition =
            fill_region_and_account(&self.definition, DEFAULT_REGION, DEFAULT_ACCOUNT_ID);
        // Every activity the definition calls exists, served or not.
        let (activities, callbacks) = tasks_of(&definition);
        for activity in &activities {
            engine
                .create_activity(CreateActivityInput {
                    name: activity.clone(),
                    ..Default::default()
                })
                .await
                .map_err(|source| TestError::Engine {
                    call: "creating an activity",
                    source,
                })?;
        }
        // The callbacks nobody answers go to the test.
        let (sender, receiver) = mpsc::unbounded_channel();
        for (state, resource) in callbacks {
            let answered = self.test_case.state(&state).is_some()
                || self.handled.iter().any(|handled| {
                    resource == *handled || resource.starts_with(&format!("{handled}."))
                });
            if answered {
                continue;
            }
            let sender = sender.clone();
            engine.register_handler(resource, move |input: Value, context: Value| {
                let sender = sender.clone();
                async move {
                    let callback = CallbackTask {
                        token: context["Task"]["Token"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                        state: context["State"]["Name"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                        input,
                    };
                    // A test that stopped listening leaves the task to its
                    // timeout.
                    let _ = sender.send(callback);
                    Ok(Value::Object(Default::default()))
                }
            });
        }
        drop(sender);
        let machine = engine
            .create_state_machine(CreateStateMachineInput {
                name: self.name.clone(),
                definition,
                role_arn: ROLE.into(),
                ..Default::default()
            })
            .await
            .map_err(TestError::Definition)?;
        let served: Vec<&'static ActivityDefinition> = self
            .served
            .into_iter()
            .filter(|activity| !self.replaced.iter().any(|name| name == activity.name))
            .collect();
        let worker = if served.is_empty() {
            None
        } else {
            let mut builder = Sfn::from_local(engine.clone()).worker().name("sfini-test");
            for activity in served {
                builder = builder.definition(activity);
            }
            Some(
                builder
                    .start()
                    .await
                    .map_err(|error| TestError::Worker(error.to_string()))?,
            )
        };
        let input_text = input.to_string();
        let started = if self.test_case.states().next().is_some() {
            engine
                .start_test_case(
                    StartExecutionInput {
                        state_machine_arn: machine.state_machine_arn,
                        name: self.execution_name,
                        input: Some(input_text),
                        ..Default::default()
                    },
                    self.test_case,
                )
                .await
        } else {
            engine
                .start_execution(StartExecutionInput {
                    state_machine_arn: machine.state_machine_arn,
                    name: self.execution_name,
                    input: Some(input_text),
                    ..Default::default()
                })
                .await
        };
        let started = started.map_err(|source| TestError::Engine {
            call: "starting the execution",
            source,
        })?;
        Ok(RunningTest {
            engine,
            execution_arn: started.execution_arn,
            callbacks: receiver,
            worker,
        })
    }
}

/// The activity names and the `.waitForTaskToken` Task states (name and
/// resource) of a definition, at any depth; none when it cannot be read
/// (the engine then says why).
fn tasks_of(definition: &str) -> (Vec<String>, Vec<(String, String)>) {
    let mut activities = Vec::new();
    let mut callbacks = Vec::new();
    if let Some(machine) = sfini_core::validate::check_json(definition).machine {
        walk(&machine.states, &mut activities, &mut callbacks);
    }
    activities.sort();
    activities.dedup();
    (activities, callbacks)
}

fn walk(states: &States, activities: &mut Vec<String>, callbacks: &mut Vec<(String, String)>) {
    for (name, state) in states {
        match state {
            State::Task(task) => {
                let resource = &task.resource;
                if let Some((_, activity)) = resource.rsplit_once(":activity:")
                    && resource.starts_with("arn:")
                    && !activity.is_empty()
                {
                    activities.push(activity.to_string());
                }
                if resource.ends_with(".waitForTaskToken") {
                    callbacks.push((name.to_string(), resource.to_string()));
                }
            }
            State::Parallel(parallel) => {
                for branch in &parallel.branches {
                    walk(&branch.states, activities, callbacks);
                }
            }
            State::Map(map) => walk(&map.item_processor.states, activities, callbacks),
            _ => {}
        }
    }
}

/// An execution of a test, running: its callbacks are answered from the
/// test, then [`RunningTest::finish`] reports it.
pub struct RunningTest {
    engine: LocalEngine,
    execution_arn: String,
    callbacks: mpsc::UnboundedReceiver<CallbackTask>,
    worker: Option<Worker>,
}

impl std::fmt::Debug for RunningTest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningTest")
            .field("execution_arn", &self.execution_arn)
            .finish_non_exhaustive()
    }
}

impl RunningTest {
    /// The engine the execution runs on.
    pub fn engine(&self) -> &LocalEngine {
        &self.engine
    }

    /// The execution's ARN.
    pub fn execution_arn(&self) -> &str {
        &self.execution_arn
    }

    /// The next `.waitForTaskToken` task that waits for the test (one no
    /// closure or mock answers), in the order they were called; an error
    /// when the execution closes before one comes.
    pub async fn callback(&mut self) -> Result<CallbackTask, TestError> {
        tokio::select! {
            biased;
            callback = self.callbacks.recv() => match callback {
                Some(callback) => Ok(callback),
                None => Err(TestError::NoCallback { status: self.status().await? }),
            },
            closed = self.engine.wait_for_execution(&self.execution_arn) => {
                // A callback made just before the close still counts.
                if let Ok(callback) = self.callbacks.try_recv() {
                    return Ok(callback);
                }
                let closed = closed.map_err(|source| TestError::Engine {
                    call: "following the execution",
                    source,
                })?;
                Err(TestError::NoCallback { status: closed.status })
            }
        }
    }

    async fn status(&self) -> Result<ExecutionStatus, TestError> {
        self.engine
            .describe_execution(DescribeExecutionInput {
                execution_arn: self.execution_arn.clone(),
            })
            .await
            .map(|described| described.status)
            .map_err(|source| TestError::Engine {
                call: "describing the execution",
                source,
            })
    }

    /// Answers `callback` with success and `output` (sent as
    /// `SendTaskSuccess` sends it).
    pub async fn succeed(
        &self,
        callback: CallbackTask,
        output: impl Serialize,
    ) -> Result<(), TestError> {
        callback.succeed(&self.engine, output).await
    }

    /// Answers `callback` with the failure `error` and `cause`.
    pub async fn fail(
        &self,
        callback: CallbackTask,
        error: impl Into<String>,
        cause: impl Into<String>,
    ) -> Result<(), TestError> {
        callback.fail(&self.engine, error, cause).await
    }

    /// Waits for the execution to close (on the virtual clock, at once
    /// however long it waits), stops the worker, and reports it.
    pub async fn finish(mut self) -> Result<TestRun, TestError> {
        let closed = self
            .engine
            .wait_for_execution(&self.execution_arn)
            .await
            .map_err(|source| TestError::Engine {
                call: "following the execution",
                source,
            })?;
        if let Some(worker) = self.worker.take() {
            worker
                .shutdown()
                .await
                .map_err(|error| TestError::Worker(error.to_string()))?;
        }
        let mut events = Vec::new();
        let mut next_token = None;
        loop {
            let page = self
                .engine
                .get_execution_history(GetExecutionHistoryInput {
                    execution_arn: self.execution_arn.clone(),
                    max_results: 1000,
                    next_token,
                    ..Default::default()
                })
                .await
                .map_err(|source| TestError::Engine {
                    call: "reading the history",
                    source,
                })?;
            events.extend(page.events);
            next_token = page.next_token;
            if next_token.is_none() {
                break;
            }
        }
        Ok(TestRun::new(closed, events))
    }
}

/// A `.waitForTaskToken` task waiting for the test.
#[derive(Clone, Debug, PartialEq)]
pub struct CallbackTask {
    /// Its task token.
    pub token: String,
    /// The Task state's name.
    pub state: String,
    /// What the service was sent: the task's effective input, the token in
    /// it where the definition put it.
    pub input: Value,
}

impl CallbackTask {
    /// Answers with success and `output`.
    pub async fn succeed(
        self,
        engine: &LocalEngine,
        output: impl Serialize,
    ) -> Result<(), TestError> {
        let output =
            serde_json::to_string(&output).map_err(|error| TestError::Input(error.to_string()))?;
        engine
            .send_task_success(SendTaskSuccessInput {
                task_token: self.token,
                output,
            })
            .await
            .map(drop)
            .map_err(|source| TestError::Engine {
                call: "answering the callback",
                source,
            })
    }

    /// Answers with the failure `error` and `cause`, which Retry and Catch
    /// match.
    pub async fn fail(
        self,
        engine: &LocalEngine,
        error: impl Into<String>,
        cause: impl Into<String>,
    ) -> Result<(), TestError> {
        engine
            .send_task_failure(SendTaskFailureInput {
                task_token: self.token,
                error: Some(error.into()),
                cause: Some(cause.into()),
            })
            .await
            .map(drop)
            .map_err(|source| TestError::Engine {
                call: "answering the callback",
                source,
            })
    }

    /// Sends a heartbeat for the task.
    pub async fn heartbeat(&self, engine: &LocalEngine) -> Result<(), TestError> {
        engine
            .send_task_heartbeat(SendTaskHeartbeatInput {
                task_token: self.token.clone(),
            })
            .await
            .map(drop)
            .map_err(|source| TestError::Engine {
                call: "sending a heartbeat",
                source,
            })
    }
}

#[cfg(test)]
mod tests;
