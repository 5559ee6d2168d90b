//! `GET /console/graph.svg`: the graph of a definition, as
//! [`sfini_core::graph`] draws it, for the console to colour.
//!
//! `?executionArn=ARN` draws the definition the execution ran (the machine,
//! or the version, as it was when the execution started:
//! `DescribeStateMachineForExecution`); `?stateMachineArn=ARN` draws a
//! machine's or a version's definition (`DescribeStateMachine`). Exactly
//! one of the two is given. An ARN that names nothing is answered `404`, a
//! query naming neither or both, or an ARN the engine refuses, `400`.

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::{Response, StatusCode};
use sfini_core::StateMachine;
use sfini_core::graph::Graph;

use super::{query_value, response, text, truncated};
use crate::api::{
    DescribeStateMachineForExecutionInput, DescribeStateMachineInput, SfnError, StepFunctions,
};

/// The most characters of an engine's refusal that an answer quotes.
const MAX_MESSAGE_CHARS: usize = 500;

/// The content type of the answer.
const CONTENT_TYPE_SVG: &str = "image/svg+xml; charset=utf-8";

/// The answer to `GET /console/graph.svg?<query>` from `engine`.
pub(super) async fn answer(engine: &dyn StepFunctions, query: &str) -> Response<Full<Bytes>> {
    let execution = query_value(query, "executionArn");
    let machine = query_value(query, "stateMachineArn");
    let definition = match (execution, machine) {
        (Some(execution_arn), None) => engine
            .describe_state_machine_for_execution(DescribeStateMachineForExecutionInput {
                execution_arn,
            })
            .await
            .map(|described| described.definition),
        (None, Some(state_machine_arn)) => engine
            .describe_state_machine(DescribeStateMachineInput { state_machine_arn })
            .await
            .map(|described| described.definition),
        _ => {
            return text(
                StatusCode::BAD_REQUEST,
                "name the graph's definition with exactly one of `executionArn` or \
                 `stateMachineArn`, each once and percent-encoded\n",
            );
        }
    };
    let definition = match definition {
        Ok(definition) => definition,
        Err(error) => return refused(&error),
    };
    // A definition of up to a megabyte is read and laid out away from the
    // connections' tasks.
    let drawn = tokio::task::spawn_blocking(move || {
        StateMachine::from_json(&definition).map(|machine| Graph::new(&machine).to_svg())
    })
    .await;
    match drawn {
        Ok(Ok(svg)) => response(StatusCode::OK, Bytes::from(svg), CONTENT_TYPE_SVG),
        Ok(Err(diagnostics)) => {
            tracing::warn!(%diagnostics, "a definition the engine holds could not be read");
            text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the definition could not be read to draw it\n",
            )
        }
        Err(error) => {
            tracing::warn!(%error, "drawing a graph failed");
            text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "drawing the graph failed\n",
            )
        }
    }
}

/// The answer for an engine's refusal: `404` for what does not exist,
/// `400` for an ARN it cannot read, `500` otherwise.
fn refused(error: &SfnError) -> Response<Full<Bytes>> {
    let status = match error.code() {
        "ExecutionDoesNotExist" | "StateMachineDoesNotExist" => StatusCode::NOT_FOUND,
        "InvalidArn" | "ValidationException" => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    // The message may quote the ARN, which the request target's bound
    // keeps short; the message is cut besides.
    let message = error.to_string();
    text(
        status,
        &format!("{}\n", truncated(&message, MAX_MESSAGE_CHARS)),
    )
}
