//! What the examples share: registering a workflow and its activities on the
//! local engine, serving its activities, and running one execution.
//!
//! Only the Step Functions API (`StepFunctions`) is used, the same calls a
//! worker makes on AWS: create the activities and the state machine, start
//! an execution, poll for activity tasks, run each one through its
//! `#[activity]` definition and report the result.

#![allow(dead_code)]

use std::sync::Arc;

use serde_json::Value;
use sfini::runtime::api::{
    CreateActivityInput, CreateStateMachineInput, GetActivityTaskInput, GetExecutionHistoryInput,
    HistoryEvent, SendTaskFailureInput, SendTaskHeartbeatInput, SendTaskSuccessInput, SfnError,
    StartExecutionInput, StepFunctions,
};
use sfini::runtime::local::LocalEngine;
use sfini::runtime::workflow::Workflow;
use sfini::{ActivityContext, ActivityDefinition, Cancellation, HeartbeatError, HeartbeatSender};

/// The role executions run as; the local engine accepts any well-formed ARN.
const ROLE: &str = "arn:aws:iam::123456789012:role/sfini-examples";

/// How an execution ended.
pub struct Outcome {
    pub status: String,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub history: Vec<HistoryEvent>,
}

/// Registers `W` and its activities on `engine`, serves the activities,
/// runs one execution with `input` and returns how it ended.
pub async fn run<W: Workflow>(engine: &LocalEngine, input: Value) -> Result<Outcome, SfnError> {
    let engine = Arc::new(engine.clone());
    let mut workers = Vec::new();
    for activity in W::ACTIVITIES {
        let created = engine
            .create_activity(CreateActivityInput {
                name: activity.name.into(),
                ..Default::default()
            })
            .await?;
        workers.push(tokio::spawn(serve(
            engine.clone(),
            created.activity_arn,
            activity,
        )));
    }
    let machine = engine
        .create_state_machine(CreateStateMachineInput {
            name: W::NAME.into(),
            definition: W::DEFINITION.into(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await?;
    let started = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.state_machine_arn,
            input: Some(input.to_string()),
            ..Default::default()
        })
        .await?;
    let done = engine.wait_for_execution(&started.execution_arn).await?;
    for worker in workers {
        worker.abort();
    }
    let history = engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: started.execution_arn,
            max_results: 1000,
            ..Default::default()
        })
        .await?
        .events;
    Ok(Outcome {
        status: done.status.as_str().to_owned(),
        output: done
            .output
            .map(|text| serde_json::from_str(&text).expect("the engine writes JSON output")),
        error: done.error,
        cause: done.cause,
        history,
    })
}

/// Polls for tasks of one activity and runs each in its own task, so that
/// a slow task does not hold up the next one.
async fn serve(
    engine: Arc<LocalEngine>,
    activity_arn: String,
    activity: &'static ActivityDefinition,
) {
    let heartbeats: Arc<dyn HeartbeatSender> = Arc::new(Heartbeats(engine.clone()));
    loop {
        let polled = engine
            .get_activity_task(GetActivityTaskInput {
                activity_arn: activity_arn.clone(),
                worker_name: Some("example-worker".into()),
            })
            .await;
        let Ok(task) = polled else { continue };
        let (Some(token), Some(input)) = (task.task_token, task.input) else {
            continue;
        };
        let engine = engine.clone();
        let context = ActivityContext::new(token.clone(), heartbeats.clone(), Cancellation::new());
        tokio::spawn(async move {
            let input = serde_json::from_str(&input).unwrap_or(Value::Null);
            // A task that timed out meanwhile answers TaskTimedOut: the
            // engine has moved on, and so does the example.
            let _ = match (activity.run)(input, context).await {
                Ok(output) => engine
                    .send_task_success(SendTaskSuccessInput {
                        task_token: token,
                        output: output.to_string(),
                    })
                    .await
                    .map(drop),
                Err(failure) => engine
                    .send_task_failure(SendTaskFailureInput {
                        task_token: token,
                        error: Some(failure.error),
                        cause: Some(failure.cause),
                    })
                    .await
                    .map(drop),
            };
        });
    }
}

/// Heartbeats through the engine's SendTaskHeartbeat.
struct Heartbeats(Arc<LocalEngine>);

impl HeartbeatSender for Heartbeats {
    fn send_heartbeat<'a>(
        &'a self,
        task_token: &'a str,
    ) -> sfini::runtime::activity::HeartbeatFuture<'a> {
        Box::pin(async move {
            match self
                .0
                .send_task_heartbeat(SendTaskHeartbeatInput {
                    task_token: task_token.into(),
                })
                .await
            {
                Ok(_) => Ok(()),
                Err(SfnError::TaskTimedOut(_) | SfnError::TaskDoesNotExist(_)) => {
                    Err(HeartbeatError::TaskTimedOut)
                }
                Err(other) => Err(HeartbeatError::Unsent(other.to_string())),
            }
        })
    }
}

/// The history as the Python sfini prints it: one line per event, then the
/// details worth reading, indented.
pub fn format_history(events: &[HistoryEvent]) -> String {
    let mut out = String::new();
    for event in events {
        let details = event.details.to_json().map(|(_, details)| details);
        let lines: Vec<String> = [
            ("name", "name"),
            ("resource", "resource"),
            ("workerName", "worker"),
            ("error", "error"),
            ("cause", "cause"),
        ]
        .iter()
        .filter_map(|(key, label)| {
            let value = details.as_ref()?.get(*key)?.as_str()?;
            Some(format!("  {label}: {value}"))
        })
        .collect();
        out.push_str(&format!(
            "{} [{}] @ {}{}\n",
            event.event_type().as_str(),
            event.id,
            event
                .timestamp
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            if lines.is_empty() { "" } else { ":" }
        ));
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}
