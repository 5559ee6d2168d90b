//! Benchmarks of the two targets sfini-core is held to:
//!
//! - validating and writing a generated 10,000-state machine in under 20 ms
//!   (`machine/*`);
//! - evaluating `$.a.b[3].c` on a 1 KB document in under 1 µs (`path/*`).
//!
//! Run with `cargo bench -p sfini-core --bench core`; see `benches/README.md`
//! at the top of the workspace for what each benchmark measures.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use sfini_core::model::*;
use sfini_core::path::Path;

/// States in the generated machine, nested ones included.
const MACHINE_STATES: usize = 10_000;
/// Parallel states at the top level of the generated machine.
const PARALLELS: usize = 8;
/// Branches of each Parallel state.
const BRANCHES: usize = 3;
/// Blocks in each Parallel branch.
const BRANCH_BLOCKS: usize = 4;
/// Map states at the top level of the generated machine.
const MAPS: usize = 8;
/// Blocks in each Map processor.
const PROCESSOR_BLOCKS: usize = 12;
/// States in one block (see [`block`]).
const BLOCK_STATES: usize = 8;

const TIMESTAMPS: [&str; 4] = [
    "2026-03-14T01:59:00Z",
    "2026-06-30T23:59:59.5Z",
    "2026-01-01T00:00:00+02:00",
    "2025-12-24T18:30:00-07:30",
];

const RESOURCES: [&str; 4] = [
    "arn:aws:states:::lambda:invoke",
    "arn:aws:states:::dynamodb:getItem",
    "arn:aws:states:::sqs:sendMessage",
    "arn:aws:states:::ecs:runTask.sync",
];

/// The states of one scope, in order.
type Scoped = Vec<(String, State)>;

/// Eight states doing what a typical order-handling step does; every one
/// is reachable from `{id}_fetch`, and the block leaves through `next`.
///
/// ```text
/// fetch ──> enrich ──> decide ─┬─> wait ───┐
///   │ catch                    ├─> notify ─┼─> store ──> next
///   ├─> recover ──> next       └───────────┘     │ catch
///   └─> failed                                   └─> recover
/// ```
fn block(id: &str, index: usize, next: &str, out: &mut Scoped) {
    let name = |part: &str| format!("{id}_{part}");
    let variant = index % 4;

    let fetch = Task::new(RESOURCES[variant])
        .comment(format!("Fetches the order of step {index}"))
        .parameters(json!({
            "FunctionName": "arn:aws:lambda:eu-west-1:123456789012:function:fetch-order",
            "Payload": {
                "order_id.$": "$.order.id",
                "skus.$": "$.order.items[*].sku",
                "first_item.$": "$.order.items[0]",
                "customer.$": "$.customer",
                "message.$": "States.Format('order {} for {}', $.order.id, $.customer.name)",
                "execution.$": "$$.Execution.Id",
                "step": index,
                "options": {"consistent": true, "region": "eu-west-1", "retries": 3},
            },
        }))
        .result_selector(json!({
            "status.$": "$.Payload.status",
            "body.$": "$.Payload.body",
            "count.$": "States.ArrayLength($.Payload.body.items)",
            "headers": {"source": "fetch"},
        }))
        .result_path(format!("$.results.fetch_{index}"))
        .timeout_seconds(300)
        .heartbeat_seconds(60)
        .retry(
            Retrier::new(["States.Timeout", "Lambda.ServiceException"])
                .interval_seconds(2)
                .max_attempts(5)
                .backoff_rate(1.5)
                .max_delay_seconds(60)
                .jitter_strategy(JitterStrategy::Full),
        )
        .retry(Retrier::new(["States.ALL"]).max_attempts(1))
        .catch(
            Catcher::new(["States.TaskFailed", "OrderNotFound"], name("recover"))
                .result_path("$.error"),
        )
        .catch(Catcher::new(["States.ALL"], name("failed")).result_path("$.error"))
        .next(name("enrich"));

    let enrich = Pass::new()
        .parameters(json!({
            "order.$": "$.order",
            "total.$": "States.MathAdd($.order.subtotal, $.order.shipping)",
            "id.$": "States.UUID()",
            "channel": "web",
        }))
        .result_path("$.enriched")
        .next(name("decide"));

    let when_wait = Condition::and([
        Condition::numeric(
            "$.enriched.total",
            Operator::GreaterThanEquals,
            100 + index as u64,
        ),
        Condition::string("$.customer.tier", Operator::Equals, "gold"),
        Condition::is("$.order.delivery", TypeTest::Present, true),
        Condition::not(Condition::boolean("$.order.express", true)),
    ]);
    let when_notify = Condition::or([
        Condition::matches("$.customer.email", "*@example.com"),
        Condition::timestamp("$.order.placed_at", Operator::LessThan, TIMESTAMPS[variant]),
        Condition::test(
            "$.order.subtotal",
            Comparison::Numeric(
                Operator::LessThanEquals,
                ValueOrPath::Path("$.limits.subtotal".to_string()),
            ),
        ),
        Condition::is("$.order.coupon", TypeTest::String, true),
    ]);
    let decide = Choice::new()
        .comment("Routes the order")
        .when(when_wait, name("wait"))
        .when(when_notify, name("notify"))
        .when(
            Condition::numeric("$.order.items_count", Operator::GreaterThan, 50.5),
            name("wait"),
        )
        .otherwise(name("store"));

    let wait = match variant {
        0 => Wait::seconds(30 + index as u64),
        1 => Wait::seconds_path("$.order.delay_seconds"),
        2 => Wait::timestamp(TIMESTAMPS[index % TIMESTAMPS.len()]),
        _ => Wait::timestamp_path("$.order.not_before"),
    }
    .next(name("store"));

    let notify = Task::new("arn:aws:states:::sns:publish")
        .parameters(json!({
            "TopicArn": "arn:aws:sns:eu-west-1:123456789012:orders",
            "Message.$": "States.JsonToString($.enriched)",
            "Subject.$": "States.Format('Order {} needs attention', $.order.id)",
        }))
        .result_path(DataPath::Null)
        .retry(Retrier::new(["SNS.ThrottledException"]).interval_seconds(5))
        .next(name("store"));

    let store = Task::new("arn:aws:states:::dynamodb:putItem")
        .parameters(json!({
            "TableName": "orders",
            "Item": {
                "id": {"S.$": "$.order.id"},
                "status": {"S.$": "$.results.status"},
                "total": {"N.$": "States.Format('{}', $.enriched.total)"},
                "tags": {"SS": ["web", "bench"]},
            },
        }))
        .result_selector(json!({"consumed.$": "$.ConsumedCapacity"}))
        .result_path("$.stored")
        .output_path("$.order")
        .retry(Retrier::new([
            "DynamoDB.ProvisionedThroughputExceededException",
            "States.Timeout",
        ]))
        .catch(Catcher::new(["States.ALL"], name("recover")).result_path("$.error"))
        .next(next);

    let recover = Pass::new()
        .result(json!({"recovered": true, "step": index}))
        .result_path("$.recovery")
        .next(next);

    let failed = Fail::new()
        .error("OrderFailed")
        .cause_path("States.Format('order {} failed: {}', $.order.id, $.error.Cause)");

    out.extend([
        (name("fetch"), State::from(fetch)),
        (name("enrich"), enrich.into()),
        (name("decide"), decide.into()),
        (name("wait"), wait.into()),
        (name("notify"), notify.into()),
        (name("store"), store.into()),
        (name("recover"), recover.into()),
        (name("failed"), failed.into()),
    ]);
}

/// `blocks` blocks chained one after the other, then a Succeed state.
/// Returns where the chain starts.
fn chain(id: &str, blocks: usize, out: &mut Scoped) -> String {
    for index in 0..blocks {
        let next = if index + 1 < blocks {
            format!("{id}_{}_fetch", index + 1)
        } else {
            format!("{id}_done")
        };
        block(&format!("{id}_{index}"), index, &next, out);
    }
    out.push((format!("{id}_done"), Succeed::new().into()));
    format!("{id}_0_fetch")
}

fn parallel(id: &str, next: &str) -> Parallel {
    let mut parallel = Parallel::new()
        .comment("Checks stock, payment and fraud at once")
        .parameters(json!({"order.$": "$.order", "customer.$": "$.customer"}))
        .result_selector(json!({"stock.$": "$[0]", "payment.$": "$[1]", "fraud.$": "$[2]"}))
        .result_path("$.checks")
        .retry(Retrier::new(["States.ALL"]).max_attempts(2))
        .catch(Catcher::new(["States.ALL"], next).result_path("$.checks_error"))
        .next(next);
    for index in 0..BRANCHES {
        let branch_id = format!("{id}_b{index}");
        let mut states = Scoped::new();
        let start = chain(&branch_id, BRANCH_BLOCKS, &mut states);
        let mut branch = Branch::new(start);
        branch.states.extend(states);
        parallel = parallel.branch(branch);
    }
    parallel
}

fn map(id: &str, next: &str) -> Map {
    let mut states = Scoped::new();
    let start = chain(&format!("{id}_item"), PROCESSOR_BLOCKS, &mut states);
    let mut processor = ItemProcessor::new(start);
    processor.states.extend(states);
    Map::new(processor)
        .comment("Handles every line of the order")
        .items_path("$.order.lines")
        .item_selector(json!({
            "line.$": "$$.Map.Item.Value",
            "position.$": "$$.Map.Item.Index",
            "order_id.$": "$.order.id",
        }))
        .max_concurrency(10)
        .result_path("$.lines")
        .retry(Retrier::new(["States.ALL"]).max_attempts(1))
        .next(next)
}

/// The machine to validate and write: a chain of blocks at the top level,
/// with Parallel and Map states spread along it, padded with Pass states to
/// exactly [`MACHINE_STATES`] states in all.
fn generated_machine() -> StateMachine {
    let per_parallel = 1 + BRANCHES * (BRANCH_BLOCKS * BLOCK_STATES + 1);
    let per_map = 1 + PROCESSOR_BLOCKS * BLOCK_STATES + 1;
    let nested = PARALLELS * per_parallel + MAPS * per_map;
    // The top level: its blocks, the padding, and the final Succeed.
    let room = MACHINE_STATES - nested - 1;
    let blocks = room / BLOCK_STATES;
    let padding = room % BLOCK_STATES;
    let every = blocks / (PARALLELS + MAPS + 1);

    let mut states = Scoped::new();
    let block_start = |index: usize| format!("s{index}_fetch");
    let (mut parallels, mut maps) = (0, 0);
    for index in 0..blocks {
        let after = if index + 1 < blocks {
            block_start(index + 1)
        } else if padding > 0 {
            "pad_0".to_string()
        } else {
            "done".to_string()
        };
        let at_nested = (index + 1) % every == 0 && parallels + maps < PARALLELS + MAPS;
        if !at_nested {
            block(&format!("s{index}"), index, &after, &mut states);
            continue;
        }
        let nested_name = format!("s{index}_nested");
        block(&format!("s{index}"), index, &nested_name, &mut states);
        let state: State = if parallels <= maps {
            parallels += 1;
            parallel(&nested_name, &after).into()
        } else {
            maps += 1;
            map(&nested_name, &after).into()
        };
        states.push((nested_name, state));
    }
    assert_eq!((parallels, maps), (PARALLELS, MAPS));
    for index in 0..padding {
        let next = if index + 1 < padding {
            format!("pad_{}", index + 1)
        } else {
            "done".to_string()
        };
        let pass = Pass::new()
            .result(json!({"padding": index}))
            .result_path(format!("$.padding_{index}"))
            .next(next);
        states.push((format!("pad_{index}"), pass.into()));
    }
    states.push((
        "done".to_string(),
        Succeed::new().output_path("$.order").into(),
    ));

    let mut machine = StateMachine::new(block_start(0))
        .comment("Generated: handles an order through many steps")
        .timeout_seconds(86_400);
    machine.states.extend(states);
    machine
}

/// Every state of a scope, nested scopes included.
fn count_states(states: &States) -> usize {
    states
        .values()
        .map(|state| {
            1 + match state {
                State::Parallel(parallel) => parallel
                    .branches
                    .iter()
                    .map(|branch| count_states(&branch.states))
                    .sum(),
                State::Map(map) => count_states(&map.item_processor.states),
                _ => 0,
            }
        })
        .sum()
}

fn machine_benches(c: &mut Criterion) {
    let machine = generated_machine();
    let diagnostics = machine.validate();
    assert!(diagnostics.is_valid(), "{diagnostics}");
    assert!(diagnostics.is_empty(), "{diagnostics}");
    assert_eq!(count_states(&machine.states), MACHINE_STATES);
    let text = machine.to_json();
    assert_eq!(StateMachine::from_json(&text).as_ref(), Ok(&machine));

    let mut group = c.benchmark_group("machine");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8));
    group.bench_function("validate", |b| b.iter(|| black_box(&machine).validate()));
    group.bench_function("validate_and_to_json", |b| {
        b.iter(|| {
            let machine = black_box(&machine);
            let diagnostics = machine.validate();
            assert!(diagnostics.is_valid());
            machine.to_json()
        })
    });
    // The JSON text's size, for a throughput figure.
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("to_json", |b| b.iter(|| black_box(&machine).to_json()));
    group.bench_function("from_json", |b| {
        b.iter(|| StateMachine::from_json(black_box(&text)))
    });
    // Baselines, measured in the same run: serde_json alone on the same
    // definition, as a `Value`. Writing it pretty is what `to_json` does
    // beyond walking the model; parsing it is the first step of `from_json`.
    let value: Value = serde_json::from_str(&text).unwrap();
    group.bench_function("baseline_serde_json_write", |b| {
        b.iter(|| serde_json::to_string_pretty(black_box(&value)).unwrap())
    });
    group.bench_function("baseline_serde_json_parse", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(&text)).unwrap())
    });
    group.finish();
}

/// A document of about 1 KB in which `$.a.b[3].c` is `"found"`.
fn document() -> Value {
    let item = |n: u64| {
        json!({
            "id": format!("item-{n:04}"),
            "c": if n == 3 { json!("found") } else { json!(n * 10) },
            "price": 9.99 + n as f64,
            "tags": ["red", "large"],
            "in_stock": n.is_multiple_of(2),
        })
    };
    json!({
        "order": {
            "id": "ord-20260314-0001",
            "placed_at": "2026-03-14T01:59:00Z",
            "customer": {"name": "Ada Lovelace", "email": "ada@example.com", "tier": "gold"},
            "address": {"street": "12 St James's Square", "city": "London", "postcode": "SW1Y 4LB"},
        },
        "a": {
            "label": "line items of the order",
            "b": (0..8).map(item).collect::<Vec<_>>(),
            "totals": {"subtotal": 129.5, "shipping": 4.95, "currency": "EUR"},
        },
        "notes": "Leave at the door; ring twice.",
        "flags": {"express": false, "gift": true, "fragile": false},
    })
}

fn path_benches(c: &mut Criterion) {
    let doc = document();
    let size = serde_json::to_string(&doc).unwrap().len();
    assert!(
        (1000..=1100).contains(&size),
        "the document is {size} bytes"
    );
    let context = json!({
        "Execution": {"Id": "arn:aws:states:eu-west-1:123456789012:execution:orders:run-1"},
        "State": {"Name": "fetch", "RetryCount": 0},
    });
    let definite = Path::parse("$.a.b[3].c").unwrap();
    let selected = definite.select(&doc, &context).unwrap();
    assert_eq!(selected.into_value(), json!("found"));
    let descendants = Path::parse("$..c").unwrap();
    assert_eq!(
        descendants.select(&doc, &context).unwrap().into_value(),
        json!([0, 10, 20, "found", 40, 50, 60, 70])
    );
    let filter = Path::parse("$.a.b[?(@.price < 12 && @.in_stock == true)].id").unwrap();
    assert_eq!(
        filter.select(&doc, &context).unwrap().into_value(),
        json!(["item-0000", "item-0002"])
    );

    let mut group = c.benchmark_group("path");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("select", |b| {
        b.iter(|| definite.select(black_box(&doc), black_box(&context)))
    });
    group.bench_function("select_into_value", |b| {
        b.iter(|| {
            definite
                .select(black_box(&doc), black_box(&context))
                .map(|selection| selection.into_value())
        })
    });
    group.bench_function("parse", |b| b.iter(|| Path::parse(black_box("$.a.b[3].c"))));
    group.bench_function("select_descendants", |b| {
        b.iter(|| descendants.select(black_box(&doc), black_box(&context)))
    });
    group.bench_function("select_filter", |b| {
        b.iter(|| filter.select(black_box(&doc), black_box(&context)))
    });
    // Baseline, measured in the same run: serde_json's own lookup of the
    // same node by JSON Pointer.
    assert_eq!(doc.pointer("/a/b/3/c"), Some(&json!("found")));
    group.bench_function("baseline_json_pointer", |b| {
        b.iter(|| black_box(&doc).pointer(black_box("/a/b/3/c")))
    });
    group.finish();
}

criterion_group!(benches, machine_benches, path_benches);
criterion_main!(benches);
