//! `sfini::testing` as the README shows it: a `workflow!` type with its
//! real activities, and a workflow of service tasks answered by mocks,
//! closures and the test itself.

#[allow(dead_code)]
#[path = "../examples/looping.rs"]
mod looping;

use looping::Looping;
use sfini::mock::{MockAnswer, MockedResponse};
use sfini::prelude::*;
use sfini::testing::WorkflowTest;

#[tokio::test(start_paused = true)]
async fn counts_to_twelve() {
    let run = WorkflowTest::of::<Looping>() // its activities served by their functions
        .input(json!({"increment": 3}))
        .run()
        .await
        .unwrap();
    assert_eq!(run.output::<i64>().unwrap(), 12, "{run}");
    assert_eq!(run.visits_of("increment").len(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_throttled_order_is_priced_then_approved_by_hand() {
    let mut running = WorkflowTest::definition(include_str!("../examples/mocks/orders.asl.json"))
        .input(json!({"id": "o-1"}))
        .mock(
            "Price",
            MockedResponse::new("throttled twice")
                .then(
                    MockAnswer::Throw {
                        error: "Lambda.TooManyRequestsException".into(),
                        cause: "slow down".into(),
                    },
                    2,
                )
                .then_return(json!({"Payload": {"total": 42}})),
        )
        .task(
            "arn:aws:states:::dynamodb:putItem",
            |_request, _context| async { Ok(json!({})) },
        )
        .task(
            "arn:aws:states:::states:startExecution.sync:2",
            |_request, _context| async {
                Ok(json!({"Status": "SUCCEEDED", "Output": {"tracking": "T-1"}}))
            },
        )
        .start()
        .await
        .unwrap();
    let approval = running.callback().await.unwrap(); // the SQS message, its token inside
    assert_eq!(approval.input["MessageBody"]["total"], 42);
    running
        .succeed(approval, json!({"approved": true}))
        .await
        .unwrap();
    let run = running.finish().await.unwrap();
    assert!(run.succeeded(), "{run}");
    assert_eq!(run.retries("Price"), 2);
    assert_eq!(run.duration().as_secs(), 6); // 2 s, then 4 s of backoff
    assert_eq!(run.states(), ["Price", "Approve", "Store", "Ship"]);
    assert_eq!(
        run.output_json(),
        Some(&json!({
            "id": "o-1",
            "price": {"total": 42},
            "approval": {"approved": true},
            "shipping": {"tracking": "T-1"}
        }))
    );
}

#[test]
fn a_plain_test_runs_on_a_clock_of_its_own() {
    let run = WorkflowTest::of::<Looping>()
        .input(json!({"increment": 5}))
        .run_blocking()
        .unwrap();
    // The loop stops once the counter reaches 10.
    assert_eq!(run.output::<i64>().unwrap(), 10, "{run}");
    assert_eq!(
        run.visits_of("increment")
            .iter()
            .map(|visit| visit.output.clone().unwrap())
            .collect::<Vec<_>>(),
        [
            json!({"counter": 5, "increment": 5}),
            json!({"counter": 10, "increment": 5})
        ]
    );
}
