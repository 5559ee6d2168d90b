//! JSONata evaluation: expressions of the kind Step Functions users write,
//! evaluated by `sfini_core::jsonata` (criterion, `jsonata/*`), then the
//! same expressions on the same `$states` by jsonata-js 2.0.6 under node,
//! in the same run, with the ratio of the two for each and their geometric
//! mean.
//!
//! Run with `cargo bench -p sfini-core --bench jsonata`; the comparison
//! needs node and jsonata-js, which `scripts/jsonata-env.sh` installs into
//! `target/jsonata-node` (without them it is skipped, saying why). See
//! `benches/README.md` at the top of the workspace.

use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::Criterion;
use serde_json::{Value, json};
use sfini_core::jsonata::{Environment, Expression, Limits};
use sfini_core::variables::NoVariables;

/// Items in the order the expressions read.
const ITEMS: usize = 1000;

/// Each case: a name and an expression.
const CASES: [(&str, &str); 22] = [
    ("field", "$states.input.customer.name"),
    ("deep_field", "$states.input.customer.address.city"),
    (
        "concat",
        "'Order ' & $states.input.orderId & ' for ' & $states.input.customer.firstName & ' ' & $states.input.customer.lastName",
    ),
    (
        "context",
        "$states.context.Execution.Name & '/' & $states.context.State.Name",
    ),
    (
        "conditional",
        "$states.input.total > 1000 ? 'large' : ($states.input.total > 100 ? 'medium' : 'small')",
    ),
    (
        "object",
        "{'orderId': $states.input.orderId, 'customer': $states.input.customer.name, 'city': $states.input.customer.address.city, 'status': 'PRICED'}",
    ),
    ("string", "$string($states.input.customer)"),
    ("number", "$number($states.input.amountText) * 2"),
    (
        "format_number",
        "$formatNumber($states.input.total, '#,##0.00')",
    ),
    (
        "contains",
        "$contains($states.input.customer.email, '@example.com')",
    ),
    (
        "regex_match",
        "$match($states.input.customer.email, /^([^@]+)@(.+)$/).groups",
    ),
    ("count_1000", "$count($states.input.items)"),
    ("sum_1000", "$sum($states.input.items.price)"),
    (
        "sum_product_1000",
        "$sum($states.input.items.(price * quantity))",
    ),
    (
        "map_1000",
        "$map($states.input.items, function($item) { $item.price * 2 })",
    ),
    (
        "filter_1000",
        "$count($filter($states.input.items, function($item) { $item.quantity > 5 }))",
    ),
    (
        "predicate_1000",
        "$states.input.items[category = 'books' and inStock].sku",
    ),
    (
        "project_1000",
        "$states.input.items.{'id': id, 'amount': price * quantity}",
    ),
    ("join_100", "$join($states.input.items[[0..99]].sku, ',')"),
    (
        "sort_100",
        "$sort($states.input.items[[0..99]], function($a, $b) { $a.price > $b.price })[0].id",
    ),
    (
        "aggregate_1000",
        "( $total := $sum($states.input.items.price); $n := $count($states.input.items); {'average': $round($total / $n, 2), 'highest': $max($states.input.items.price), 'n': $n} )",
    ),
    ("group_1000", "$states.input.items{category: $sum(price)}"),
];

/// A pseudo-random sequence, the same in every run.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

/// `$states`: an order of [`ITEMS`] items, and a context object.
fn states() -> Value {
    let mut sequence = Sequence(7);
    let categories = ["books", "toys", "garden", "tools", "food"];
    let items: Vec<Value> = (0..ITEMS)
        .map(|id| {
            json!({
                "id": id,
                "sku": format!("SKU-{id:05}"),
                "price": sequence.next(50_000) as f64 / 100.0 + 1.0,
                "quantity": sequence.next(10) + 1,
                "category": categories[sequence.next(5) as usize],
                "inStock": sequence.next(10) > 2,
            })
        })
        .collect();
    json!({
        "input": {
            "orderId": "ORD-2026-000123",
            "total": 12_345.678,
            "amountText": "1234.5",
            "customer": {
                "firstName": "Ada",
                "lastName": "Lovelace",
                "name": "Ada Lovelace",
                "email": "ada.lovelace@example.com",
                "address": {"street": "12 Analytical Way", "city": "London", "zip": "NW1 6XE"}
            },
            "items": items
        },
        "context": {
            "Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:orders:run-1", "Name": "run-1"},
            "State": {"Name": "Price", "EnteredTime": "2026-01-01T00:00:01.000Z"}
        }
    })
}

fn environment(states: &Value) -> Environment<'_> {
    let mut environment = Environment::new(&states["input"], &NoVariables);
    environment.context = Some(&states["context"]);
    environment
}

fn compiled() -> Vec<(&'static str, Expression)> {
    CASES
        .iter()
        .map(|(name, text)| {
            let expression =
                Expression::compile(text).unwrap_or_else(|error| panic!("{name}: {error}"));
            (*name, expression)
        })
        .collect()
}

fn criterion_benches(criterion: &mut Criterion, states: &Value) {
    let environment = environment(states);
    let limits = Limits::default();
    let mut group = criterion.benchmark_group("jsonata");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for (name, expression) in compiled() {
        group.bench_function(name, |b| {
            b.iter(|| black_box(expression.evaluate(&environment, &limits)))
        });
    }
    group.finish();
}

/// Nanoseconds one evaluation of `expression` takes, over `time`.
fn time_one(expression: &Expression, environment: &Environment<'_>, time: Duration) -> f64 {
    let limits = Limits::default();
    for _ in 0..20 {
        black_box(expression.evaluate(environment, &limits).ok());
    }
    let started = Instant::now();
    let mut count = 0_u64;
    while started.elapsed() < time {
        for _ in 0..10 {
            black_box(expression.evaluate(environment, &limits).ok());
        }
        count += 10;
    }
    started.elapsed().as_nanos() as f64 / count as f64
}

fn nanos(value: f64) -> String {
    if value >= 1e6 {
        format!("{:.2} ms", value / 1e6)
    } else if value >= 1e3 {
        format!("{:.2} µs", value / 1e3)
    } else {
        format!("{value:.0} ns")
    }
}

/// The comparison with jsonata-js, each measured for the same time.
fn compare_with_node(states: &Value) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let module = root.join("target/jsonata-node/node_modules/jsonata");
    if !module.join("package.json").exists() {
        println!(
            "jsonata-js comparison skipped: {} is missing (scripts/jsonata-env.sh installs it)",
            module.display()
        );
        return;
    }
    let time = Duration::from_millis(500);
    let cases: Vec<Value> = CASES
        .iter()
        .map(|(name, expression)| json!({"name": name, "expression": expression}))
        .collect();
    let spec = json!({"states": states, "cases": cases, "millis": time.as_millis() as u64});
    let spec_path =
        std::env::temp_dir().join(format!("sfini-jsonata-bench-{}.json", std::process::id()));
    std::fs::write(&spec_path, spec.to_string()).expect("a temporary file");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/jsonata_node.js");
    let output = Command::new("node")
        .arg(&script)
        .arg(&spec_path)
        .arg(&module)
        .output();
    let _ = std::fs::remove_file(&spec_path);
    let output = match output {
        Ok(output) if output.status.success() => output,
        Ok(output) => {
            println!(
                "jsonata-js comparison failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            return;
        }
        Err(error) => {
            println!("jsonata-js comparison skipped: node does not run ({error})");
            return;
        }
    };
    let node: Vec<Value> = serde_json::from_slice(&output.stdout).expect("node's JSON");
    let environment = environment(states);
    println!("\n| expression | sfini | jsonata-js 2.0.6 | ratio |\n|---|---|---|---|");
    let mut log_sum = 0.0;
    let mut at_least_ten = 0;
    for ((name, expression), node) in compiled().iter().zip(&node) {
        // The same answer, or the timing compares different work.
        let ours = expression
            .evaluate(&environment, &Limits::default())
            .unwrap_or_else(|error| panic!("{name}: {error}"))
            .unwrap_or(Value::Null);
        let theirs: Value =
            serde_json::from_str(node["result"].as_str().unwrap_or("null")).unwrap();
        assert!(
            same(&ours, &theirs),
            "{name}: sfini gives {ours}, jsonata-js {theirs}"
        );
        let sfini = time_one(expression, &environment, time);
        let js = node["nanos"].as_f64().unwrap_or(f64::NAN);
        let ratio = js / sfini;
        log_sum += ratio.ln();
        if ratio >= 10.0 {
            at_least_ten += 1;
        }
        println!(
            "| {name} | {} | {} | {ratio:.1}x |",
            nanos(sfini),
            nanos(js)
        );
    }
    println!(
        "\njsonata-js 2.0.6 time / sfini time: geometric mean {:.2}x over {} expressions; {} of them at least 10x",
        (log_sum / CASES.len() as f64).exp(),
        CASES.len(),
        at_least_ten
    );
}

/// Equal JSON, numbers by value.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            (x - y).abs() <= 1e-9 * x.abs().max(1.0)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn main() {
    let states = states();
    let mut criterion = Criterion::default().configure_from_args();
    criterion_benches(&mut criterion, &states);
    let test_mode = std::env::args().any(|argument| argument == "--test" || argument == "--list");
    if !test_mode {
        compare_with_node(&states);
    }
    criterion.final_summary();
}
