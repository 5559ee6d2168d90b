//! How long `workflow!` takes to expand a 200-state workflow: parsing,
//! lowering, validation, canonical JSON and the generated code, as rustc
//! runs it on the final expansion (every activity already resolved).
//!
//! `cargo bench -p sfini-macros --bench expand`

extern crate proc_macro;

use std::fmt::Write;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use proc_macro2::TokenStream;

#[allow(dead_code, unused_imports)]
#[path = "../src/workflow/mod.rs"]
mod workflow;

/// 200 states: 50 rounds of an activity task with retry and catch, a pass
/// with a payload template, a choice with compound conditions, and a wait;
/// plus the states they fail to.
fn two_hundred_states() -> String {
    let mut input = String::new();
    let meta = r#"{"name":"work","arguments":[{"name":"item","required":true},{"name":"attempt","required":false}],"takes_whole_input":false,"heartbeat_seconds":null,"timeout_seconds":300}"#;
    write!(input, "@activity {meta:?} @sfini_pending [] ").unwrap();
    input.push_str("/// A long workflow.\npub Long {\n");
    let rounds = 50;
    for round in 0..rounds {
        let next = if round + 1 == rounds {
            "done".to_owned()
        } else {
            format!("work_{}", round + 1)
        };
        write!(
            input,
            r#"
            work_{round}: task(work) {{
                parameters: {{ "item.$": "$.items[{round}]", "attempt": {round} }},
                result_path: "$.results.r{round}",
                retry ["States.Timeout", "States.TaskFailed"] {{ interval: 2, max_attempts: 3, backoff_rate: 2.0 }},
                catch ["States.ALL"] => failed {{ result_path: "$.error" }},
            }},
            shape_{round}: pass {{
                parameters: {{
                    "id.$": "States.Format('item-{{}}', $.results.r{round}.id)",
                    "count.$": "States.ArrayLength($.items)",
                    "sum.$": "States.MathAdd($.total, {round})",
                }},
                result_path: "$.shaped",
            }},
            check_{round}: choice {{
                "$.shaped.count" > {round} && is_present("$.shaped.id") => wait_{round},
                matches("$.shaped.id", "item-*") || "$.flag" == true => wait_{round},
                _ => failed,
            }},
            wait_{round}: wait {{ seconds: 0, next: {next} }},
            "#
        )
        .unwrap();
    }
    input.push_str("failed: fail { error: \"Failed\", cause: \"a round failed\" },\n");
    input.push_str("done: succeed,\n}\n");
    input
}

/// The same 200 states in JSONata with workflow variables: the task's
/// arguments read references, its result is assigned to a variable, the
/// pass builds an object with expressions, the choice's conditions are
/// Rust-like over variables, and the catcher keeps the error in one.
fn two_hundred_jsonata_states() -> String {
    let mut input = String::new();
    let meta = r#"{"name":"work","arguments":[{"name":"item","required":true},{"name":"attempt","required":false}],"takes_whole_input":false,"heartbeat_seconds":null,"timeout_seconds":300}"#;
    write!(input, "@activity {meta:?} @sfini_pending [] ").unwrap();
    input.push_str("/// A long workflow.\n#[workflow(query_language = jsonata)]\npub Long {\n");
    input.push_str(
        "start: pass { assign: { items: $states.input.items, total: 0, flag: false, error: null } },\n",
    );
    let rounds = 50;
    for round in 0..rounds {
        let next = if round + 1 == rounds {
            "done".to_owned()
        } else {
            format!("work_{}", round + 1)
        };
        write!(
            input,
            r#"
            work_{round}: task(work) {{
                arguments: {{ item: $items[{round}], attempt: {round} }},
                assign: {{ result: $states.result, total: "{{% $total + $states.result.amount %}}" }},
                retry ["States.Timeout", "States.TaskFailed"] {{ interval: 2, max_attempts: 3, backoff_rate: 2.0 }},
                catch ["States.ALL"] => failed {{ assign: {{ error: $states.errorOutput }} }},
            }},
            shape_{round}: pass {{
                assign: {{
                    id: "{{% 'item-' & $string($result.id) %}}",
                    count: "{{% $count($items) %}}",
                    sum: "{{% $total + {round} %}}",
                }},
            }},
            check_{round}: choice {{
                $count > {round} && is_present($id) => wait_{round},
                matches($id, "item-*") || $flag == true => wait_{round},
                _ => failed,
            }},
            wait_{round}: wait {{ seconds: "{{% $count > 0 ? 0 : 1 %}}", next: {next} }},
            "#
        )
        .unwrap();
    }
    input.push_str("failed: fail { error: \"Failed\", cause: \"{% $string($error.Cause) %}\" },\n");
    input.push_str("done: succeed { output: { total: $total } },\n}\n");
    input
}

fn expand(c: &mut Criterion) {
    // Benchmarks write no definition files.
    // SAFETY: set before any other thread exists.
    unsafe { std::env::set_var("SFINI_DEFINITIONS_DIR", "") };
    let text = two_hundred_states();
    let tokens: TokenStream = text.parse().unwrap();
    let expanded = workflow::expand(tokens.clone()).to_string();
    assert!(
        expanded.contains("struct Long"),
        "the benchmark workflow must expand without errors: {expanded}"
    );
    c.bench_function("workflow/expand_200_states", |b| {
        b.iter(|| workflow::expand(black_box(tokens.clone())))
    });
    let jsonata: TokenStream = two_hundred_jsonata_states().parse().unwrap();
    let expanded = workflow::expand(jsonata.clone()).to_string();
    assert!(
        expanded.contains("struct Long") && !expanded.contains("compile_error"),
        "the JSONata benchmark workflow must expand without errors: {expanded}"
    );
    c.bench_function("workflow/expand_200_jsonata_states", |b| {
        b.iter(|| workflow::expand(black_box(jsonata.clone())))
    });
}

criterion_group!(benches, expand);
criterion_main!(benches);
