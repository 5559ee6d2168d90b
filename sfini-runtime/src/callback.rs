//! Answering a task that waits for a callback.
//!
//! A Task state on a `.waitForTaskToken` resource (an SQS message, an SNS
//! notification, a Lambda function called asynchronously...) hands a task
//! token to another system through its Parameters (`"token.$":
//! "$$.Task.Token"`) and waits until someone sends that token back with the
//! task's result. [`Callback`], from [`Sfn::callback`], is that answer:
//! [`succeed`](Callback::succeed) with any `Serialize` value as the task's
//! output, [`fail`](Callback::fail) with an error name (which the state's
//! Retry and Catch match) and a cause, or [`heartbeat`](Callback::heartbeat)
//! to say the work goes on when the state has a `HeartbeatSeconds`.
//!
//! It speaks `SendTaskSuccess`, `SendTaskFailure` and `SendTaskHeartbeat`,
//! so it answers tasks the same way on the local engine and on AWS Step
//! Functions, and answers activity tasks as well as callbacks.
//!
//! ```
//! use serde_json::json;
//! use sfini_runtime::client::Sfn;
//! use sfini_runtime::local::LocalEngine;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // On the local engine a handler stands for the service that receives
//! // the token; here it keeps it for the program.
//! let engine = LocalEngine::new();
//! let (tokens, mut received) = tokio::sync::mpsc::unbounded_channel::<String>();
//! engine.register_handler("arn:aws:states:::sqs:sendMessage", move |input, _context| {
//!     let tokens = tokens.clone();
//!     async move {
//!         let _ = tokens.send(input["MessageBody"]["token"].as_str().unwrap_or_default().to_string());
//!         Ok(json!({"MessageId": "1"}))
//!     }
//! });
//! let sfn = Sfn::from_local(engine);
//! let machine = sfn.machine(
//!     "approval",
//!     json!({"StartAt": "ask", "States": {"ask": {
//!         "Type": "Task",
//!         "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
//!         "Parameters": {
//!             "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
//!             "MessageBody": {"token.$": "$$.Task.Token"}
//!         },
//!         "End": true
//!     }}})
//!     .to_string(),
//! );
//! machine.register().await?;
//! let execution = machine.start(&json!({})).await?;
//!
//! let token = received.recv().await.expect("the handler sends the token");
//! let callback = sfn.callback(token);
//! callback.heartbeat().await?;
//! callback.succeed(&json!({"approved": true})).await?;
//!
//! let approved: serde_json::Value = execution.wait().await?.output()?;
//! assert_eq!(approved, json!({"approved": true}));
//!
//! // The task is over: a second answer is refused.
//! let late = callback.fail("Rejected", "too late").await.unwrap_err();
//! assert!(late.is_closed(), "{late}");
//! # Ok(())
//! # }
//! ```

use std::fmt;

use serde::Serialize;

use crate::api::{
    ApiFuture, SendTaskFailureInput, SendTaskHeartbeatInput, SendTaskSuccessInput, SfnError,
    token_label,
};
use crate::client::Sfn;
use crate::retry::RetryPolicy;
use crate::worker::{MAX_CAUSE_LENGTH, MAX_ERROR_LENGTH};

/// The answer to one waiting task, by its token; from [`Sfn::callback`].
///
/// Each call is retried past retryable errors (throttling, a lost
/// connection) with its [`RetryPolicy`], the default one unless
/// [`retry`](Callback::retry) says otherwise. Its `Debug` form and its
/// errors name the task by a hash of its token (`#` and eight hexadecimal
/// digits), never by the token, which anyone could use to answer the task.
#[derive(Clone)]
pub struct Callback {
    sfn: Sfn,
    token: String,
    retry: RetryPolicy,
}

impl fmt::Debug for Callback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Callback")
            .field("task", &token_label(&self.token))
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Which call a [`Callback`] makes.
#[derive(Clone, Copy)]
enum Call {
    Success,
    Failure,
    Heartbeat,
}

impl Call {
    fn name(self) -> &'static str {
        match self {
            Call::Success => "SendTaskSuccess",
            Call::Failure => "SendTaskFailure",
            Call::Heartbeat => "SendTaskHeartbeat",
        }
    }
}

impl Callback {
    pub(crate) fn new(sfn: Sfn, token: String) -> Callback {
        Callback {
            sfn,
            token,
            retry: RetryPolicy::default(),
        }
    }

    /// The same answer, with its calls retried by `policy`
    /// ([`RetryPolicy::never`] to try each once).
    #[must_use]
    pub fn retry(mut self, policy: RetryPolicy) -> Callback {
        self.retry = policy;
        self
    }

    /// The task token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Ends the task successfully, with `output` written as JSON as its
    /// result (which the state's ResultSelector, ResultPath and OutputPath
    /// then shape).
    ///
    /// An output the engine does not accept (over its payload limit, 256
    /// KiB of JSON on AWS) is refused with the engine's `InvalidOutput`.
    pub async fn succeed<T: Serialize + ?Sized>(&self, output: &T) -> Result<(), CallbackError> {
        let output = serde_json::to_string(output).map_err(|source| CallbackError::Output {
            task: self.label(),
            source,
        })?;
        self.send(Call::Success, || {
            self.sfn.api().send_task_success(SendTaskSuccessInput {
                task_token: self.token.clone(),
                output: output.clone(),
            })
        })
        .await
    }

    /// Ends the task with an error: `error` is the name the state's Retry
    /// and Catch match (`ErrorEquals`), `cause` says what happened.
    ///
    /// Step Functions takes at most 256 characters of error name and 32,768
    /// of cause; longer ones are refused here, before any call, on either
    /// engine.
    pub async fn fail(
        &self,
        error: impl Into<String>,
        cause: impl Into<String>,
    ) -> Result<(), CallbackError> {
        let error = error.into();
        let cause = cause.into();
        self.check_length("error name", &error, MAX_ERROR_LENGTH)?;
        self.check_length("cause", &cause, MAX_CAUSE_LENGTH)?;
        self.send(Call::Failure, || {
            self.sfn.api().send_task_failure(SendTaskFailureInput {
                task_token: self.token.clone(),
                error: Some(error.clone()),
                cause: Some(cause.clone()),
            })
        })
        .await
    }

    /// Tells the engine that the work goes on, so that a state with a
    /// `HeartbeatSeconds` does not time out with `States.HeartbeatTimeout`.
    pub async fn heartbeat(&self) -> Result<(), CallbackError> {
        self.send(Call::Heartbeat, || {
            self.sfn.api().send_task_heartbeat(SendTaskHeartbeatInput {
                task_token: self.token.clone(),
            })
        })
        .await
    }

    fn label(&self) -> String {
        token_label(&self.token)
    }

    fn check_length(
        &self,
        what: &'static str,
        text: &str,
        limit: usize,
    ) -> Result<(), CallbackError> {
        let characters = text.chars().count();
        if characters > limit {
            return Err(CallbackError::TooLong {
                task: self.label(),
                what,
                characters,
                limit,
            });
        }
        Ok(())
    }

    /// Makes `call`, retried while its errors are retryable and the policy
    /// allows; sorts the error that ends it.
    async fn send<'a, T>(
        &'a self,
        call: Call,
        attempt: impl Fn() -> ApiFuture<'a, T>,
    ) -> Result<(), CallbackError> {
        let mut retry = 0;
        let mut answer_lost = false;
        loop {
            let error = match attempt().await {
                Ok(_) => return Ok(()),
                Err(error) => error,
            };
            if error.is_retryable() && retry + 1 < self.retry.max_attempts() {
                answer_lost |= matches!(error, SfnError::Transport(_));
                let delay = self.retry.delay(retry);
                tracing::debug!(%error, retry, ?delay, call = call.name(), "retrying a callback");
                tokio::time::sleep(delay).await;
                retry += 1;
                continue;
            }
            let task = self.label();
            let closed = matches!(
                error,
                SfnError::TaskTimedOut(_) | SfnError::TaskDoesNotExist(_)
            );
            return Err(match call {
                // The answer to an earlier attempt was lost, and the task has
                // closed since: most likely that attempt closed it.
                Call::Success | Call::Failure if closed && answer_lost => {
                    CallbackError::Unconfirmed {
                        task,
                        call: call.name(),
                        source: error,
                    }
                }
                _ if closed => CallbackError::Closed {
                    task,
                    call: call.name(),
                    source: error,
                },
                _ => CallbackError::Api {
                    task,
                    call: call.name(),
                    source: error,
                },
            });
        }
    }
}

/// Why a [`Callback`] was not delivered. Each message names the task by a
/// hash of its token and says why.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// The output could not be written as JSON (a map with keys that are
    /// not strings, say).
    #[error("the output for the task {task} cannot be written as JSON: {source}")]
    Output {
        /// The task, as a hash of its token.
        task: String,
        /// Why it could not be written.
        source: serde_json::Error,
    },
    /// The error name or the cause is longer than Step Functions accepts.
    #[error(
        "the {what} for the task {task} has {characters} characters; Step Functions accepts at most {limit}"
    )]
    TooLong {
        /// The task, as a hash of its token.
        task: String,
        /// `error name` or `cause`.
        what: &'static str,
        /// How many characters it has.
        characters: usize,
        /// How many are accepted.
        limit: usize,
    },
    /// The task is no longer waiting: it was answered already, timed out,
    /// or its execution has ended (`TaskTimedOut`, `TaskDoesNotExist`).
    #[error(
        "{call} for the task {task} was refused: the task is no longer waiting (answered, timed out, or its execution ended): {source}"
    )]
    Closed {
        /// The task, as a hash of its token.
        task: String,
        /// The API call.
        call: &'static str,
        /// The engine's answer.
        source: SfnError,
    },
    /// An attempt got no answer (the connection failed) and the next found
    /// the task closed: the first most likely ended it, but that cannot be
    /// known.
    #[error(
        "{call} for the task {task} is unconfirmed: an attempt got no answer, and the task was closed when it was tried again (most likely by that attempt): {source}"
    )]
    Unconfirmed {
        /// The task, as a hash of its token.
        task: String,
        /// The API call.
        call: &'static str,
        /// The answer to the last attempt.
        source: SfnError,
    },
    /// The engine refused the call for another reason (a token it did not
    /// issue, an output over its limit), or it kept failing for a passing
    /// reason past the retry policy's attempts.
    #[error("{call} for the task {task} failed: {source}")]
    Api {
        /// The task, as a hash of its token.
        task: String,
        /// The API call.
        call: &'static str,
        /// The engine's error.
        source: SfnError,
    },
}

impl CallbackError {
    /// True when the task was no longer waiting for an answer
    /// ([`CallbackError::Closed`]).
    pub fn is_closed(&self) -> bool {
        matches!(self, CallbackError::Closed { .. })
    }

    /// The engine's error, when the engine refused the call.
    pub fn sfn_error(&self) -> Option<&SfnError> {
        match self {
            CallbackError::Closed { source, .. }
            | CallbackError::Unconfirmed { source, .. }
            | CallbackError::Api { source, .. } => Some(source),
            CallbackError::Output { .. } | CallbackError::TooLong { .. } => None,
        }
    }
}
