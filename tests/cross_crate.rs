//! Workflows whose activities and error types are defined in another crate
//! (`tests/fixtures/orders`, the `orders` crate here), named by path, by a
//! glob import and by a single import, checked and run as those of the
//! workflow's own crate.

use serde_json::{Value, json};
use sfini::prelude::*;

use orders::activities::*;
use orders::errors::PaymentError;

workflow! {
    /// An order: priced, paid for and reserved, each failure caught.
    pub Checkout {
        price: task(orders::activities::price_order) {
            parameters: { "order_id.$": "$.order", "amount.$": "$.amount" },
            result_path: "$.total",
        },
        pay: task(charge) {
            parameters: { "card.$": "$.card", "total.$": "$.total" },
            result_path: "$.payment",
            catch [PaymentError::Declined] => declined { result_path: "$.error" },
            catch [orders::errors::PaymentError::CardExpired] => expired { result_path: "$.error" },
        },
        hold: task(reserve) {
            parameters: { "item.$": "$.item" },
            result_path: "$.reservation",
            catch [orders::errors::OutOfStock] => sold_out { result_path: "$.error" },
            end: true,
        },
        declined: fail { error: "Declined", cause: "the card was declined" },
        expired: fail { error: "Expired", cause: "the card has expired" },
        sold_out: succeed { output_path: "$.error" },
    }
}

fn definition() -> Value {
    serde_json::from_str(Checkout::DEFINITION).unwrap()
}

#[test]
fn the_activities_of_another_crate_are_named_and_checked() {
    let states = &definition()["States"];
    assert_eq!(
        states["price"]["Resource"],
        json!("arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:priceOrder")
    );
    assert_eq!(
        states["pay"]["Catch"],
        json!([
            {"ErrorEquals": ["Payment.Declined"], "ResultPath": "$.error", "Next": "declined"},
            {"ErrorEquals": ["Payment.Expired"], "ResultPath": "$.error", "Next": "expired"}
        ])
    );
    assert_eq!(
        states["hold"]["Catch"][0]["ErrorEquals"],
        json!(["OutOfStock"])
    );
    let names: Vec<&str> = <Checkout as Workflow>::ACTIVITIES
        .iter()
        .map(|activity| activity.name)
        .collect();
    assert_eq!(names, ["priceOrder", "charge", "reserve"]);
    // The activities are the other crate's, not copies.
    assert_eq!(
        <Checkout as Workflow>::ACTIVITIES[1].id,
        <charge as sfini::__private::Activity>::DEFINITION.id
    );
    assert!(
        <charge as sfini::__private::Activity>::DEFINITION
            .id
            .starts_with("sfini_fixture_orders#")
    );
    assert_eq!(orders::activities::audited(), "audit");
}

async fn checkout(input: Value) -> (sfini::runtime::api::ExecutionStatus, Value, Option<String>) {
    let sfn = Sfn::local();
    let worker = sfn.worker().workflow::<Checkout>().start().await.unwrap();
    let machine = sfn.workflow::<Checkout>();
    machine.register().await.unwrap();
    let execution = machine.start(&input).await.unwrap();
    let _ = execution.wait_closed(None).await;
    worker.shutdown().await.unwrap();
    let described = execution.describe().await.unwrap();
    let output = described
        .output
        .as_deref()
        .map(|text| serde_json::from_str(text).unwrap())
        .unwrap_or(Value::Null);
    (described.status, output, described.error)
}

#[tokio::test]
async fn they_run_and_their_errors_are_caught_by_their_names() {
    use sfini::runtime::api::ExecutionStatus;

    let order =
        |card: &str, item: &str| json!({"order": "o-1", "amount": 100, "card": card, "item": item});
    let (status, output, _) = checkout(order("4242", "book")).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    assert_eq!(output["total"], json!(120));
    assert_eq!(output["payment"], json!("charged 120"));
    assert_eq!(output["reservation"], json!("reserved book"));

    let (status, _, error) = checkout(order("4240", "book")).await;
    assert_eq!(status, ExecutionStatus::Failed);
    assert_eq!(error.as_deref(), Some("Declined"));

    let (status, _, error) = checkout(order("4249", "book")).await;
    assert_eq!(status, ExecutionStatus::Failed);
    assert_eq!(error.as_deref(), Some("Expired"));

    let (status, output, _) = checkout(order("4242", "sold-out")).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    assert_eq!(
        output,
        json!({"Error": "OutOfStock", "Cause": "out of stock"})
    );
}

mod single_import {
    use orders::activities::reserve;
    use sfini::prelude::*;

    workflow! {
        pub Reserve {
            hold: task(reserve) { parameters: { "item.$": "$.item" } },
        }
    }
}

#[test]
fn a_single_import_brings_the_activity_too() {
    let definition: Value = serde_json::from_str(single_import::Reserve::DEFINITION).unwrap();
    assert_eq!(
        definition["States"]["hold"]["Resource"],
        json!("arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:reserve")
    );
}

/// This crate's own activity under a name the other crate's `reserve` has.
#[activity(name = "reserve")]
async fn reserve_here(item: String) -> String {
    item
}

workflow! {
    pub ReserveHere {
        hold: task(reserve_here),
    }
}

#[tokio::test]
async fn one_worker_refuses_two_activities_of_one_name() {
    let sfn = Sfn::local();
    let started = sfn
        .worker()
        .workflow::<Checkout>()
        .workflow::<ReserveHere>()
        .start()
        .await;
    let Err(refused) = started else {
        panic!("two activities named `reserve` were served together");
    };
    assert!(
        matches!(&refused, sfini::runtime::worker::WorkerError::DuplicateActivity(name) if name == "reserve"),
        "{refused}"
    );
    // The same activity through two workflows is one.
    let worker = sfn
        .worker()
        .workflow::<Checkout>()
        .workflow::<single_import::Reserve>()
        .start()
        .await
        .unwrap();
    worker.shutdown().await.unwrap();
}
