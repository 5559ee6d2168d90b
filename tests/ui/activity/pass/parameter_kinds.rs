//! Every kind of parameter and return type an activity accepts.
#![deny(warnings)]

use std::convert::Infallible;
use std::error::Error;

use serde_json::json;
use sfini::{Activity, ActivityContext};

#[sfini::activity]
async fn kinds(
    r#type: String,
    mut count: u32,
    #[default] flag: bool,
    #[default = 5] five: u8,
    #[default(vec![1, 2])] list: Vec<i32>,
    maybe: std::option::Option<Vec<String>>,
    context: &sfini::ActivityContext,
) -> serde_json::Value {
    count += 1;
    json!([r#type, count, flag, five, list, maybe, context.task_token()])
}

#[sfini::activity]
fn plain_with_context(context: ActivityContext) -> Result<(), Box<dyn Error + Send + Sync>> {
    if context.is_cancelled() {
        return Err("cancelled".into());
    }
    Ok(())
}

#[sfini::activity]
async fn never_fails() -> Result<u8, Infallible> {
    Ok(1)
}

#[sfini::activity]
async fn nothing() {}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let context = ActivityContext::for_test("tok");
    let output = (kinds::DEFINITION.run)(json!({"type": "t", "count": 1, "maybe": ["x"]}), context.clone()).await;
    assert_eq!(output, Ok(json!(["t", 2, false, 5, [1, 2], ["x"], "tok"])));
    assert_eq!(kinds::DEFINITION.arguments.len(), 6);
    assert_eq!(kinds::DEFINITION.arguments[0].name, "type");
    context.cancellation().cancel();
    let failure = (plain_with_context::DEFINITION.run)(json!({}), context.clone()).await.unwrap_err();
    assert_eq!(failure.error, "sfini.ActivityFailed");
    assert_eq!(never_fails::DEFINITION.errors, &[] as &[&str]);
    assert_eq!((nothing::DEFINITION.run)(json!("ignored"), context).await, Ok(json!(null)));
}
