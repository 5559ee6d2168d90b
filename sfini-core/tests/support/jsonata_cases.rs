//! Reading JSONata's official test suite (as `scripts/jsonata-env.sh` puts
//! it under `target/jsonata-suite`) and comparing results as its harness
//! does.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// One case of the suite.
#[derive(Clone, Debug)]
pub struct Case {
    /// `group/file.json`, with `#index` for a file holding several cases.
    pub id: String,
    pub expr: String,
    /// The context value; `None` for undefined.
    pub input: Option<Value>,
    pub bindings: Map<String, Value>,
    pub expect: Expect,
    /// The time limit of the case, in milliseconds.
    pub timelimit: Option<u64>,
    /// The depth limit of the case.
    pub depth: Option<usize>,
}

/// What a case expects.
#[derive(Clone, Debug, PartialEq)]
pub enum Expect {
    Result(Value),
    Undefined,
    Code(String),
}

/// Where `scripts/jsonata-env.sh` puts the suite.
pub fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/jsonata-suite")
}

fn read_json(path: &Path) -> Value {
    let text =
        fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Every case of the suite (the `groups` and `skip` directories), in order.
pub fn load() -> Vec<Case> {
    let root = suite_dir();
    assert!(
        root.join(".complete").exists(),
        "JSONata's test suite is missing from {}: run scripts/jsonata-env.sh",
        root.display()
    );
    let mut datasets = BTreeMap::new();
    for entry in fs::read_dir(root.join("datasets")).expect("the datasets directory") {
        let path = entry.expect("a dataset").path();
        let name = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .expect("a dataset name");
        datasets.insert(name.to_owned(), read_json(&path));
    }
    let mut cases = Vec::new();
    for part in ["groups", "skip"] {
        let mut groups: Vec<PathBuf> = fs::read_dir(root.join(part))
            .expect("a directory of groups")
            .map(|entry| entry.expect("a group").path())
            .collect();
        groups.sort();
        for group in groups {
            let group_name = group
                .file_name()
                .and_then(|name| name.to_str())
                .expect("a group name")
                .to_owned();
            let mut files: Vec<PathBuf> = fs::read_dir(&group)
                .expect("a group directory")
                .map(|entry| entry.expect("a case file").path())
                .filter(|path| {
                    path.extension()
                        .is_some_and(|extension| extension == "json")
                })
                .collect();
            files.sort();
            for file in files {
                let file_name = file
                    .file_name()
                    .and_then(|name| name.to_str())
                    .expect("a file name");
                match read_json(&file) {
                    Value::Array(items) => {
                        for (index, item) in items.into_iter().enumerate() {
                            let id = format!("{group_name}/{file_name}#{index}");
                            cases.push(case(id, item, &group, &datasets));
                        }
                    }
                    item => cases.push(case(
                        format!("{group_name}/{file_name}"),
                        item,
                        &group,
                        &datasets,
                    )),
                }
            }
        }
    }
    cases
}

fn case(id: String, spec: Value, dir: &Path, datasets: &BTreeMap<String, Value>) -> Case {
    let Value::Object(spec) = spec else {
        panic!("{id}: a case is an object");
    };
    let expr = match (spec.get("expr"), spec.get("expr-file")) {
        (Some(Value::String(expr)), _) => expr.clone(),
        (_, Some(Value::String(file))) => {
            fs::read_to_string(dir.join(file)).unwrap_or_else(|error| panic!("{id}: {error}"))
        }
        _ => panic!("{id}: no expression"),
    };
    let input = match (spec.get("data"), spec.get("dataset")) {
        (Some(data), _) => Some(data.clone()),
        (None, Some(Value::String(name))) => Some(
            datasets
                .get(name)
                .unwrap_or_else(|| panic!("{id}: no dataset {name}"))
                .clone(),
        ),
        _ => None,
    };
    let bindings = match spec.get("bindings") {
        Some(Value::Object(bindings)) => bindings.clone(),
        _ => Map::new(),
    };
    let expect = if spec.contains_key("undefinedResult") {
        Expect::Undefined
    } else if let Some(result) = spec.get("result") {
        Expect::Result(result.clone())
    } else if let Some(Value::String(code)) = spec.get("code") {
        Expect::Code(code.clone())
    } else if let Some(Value::String(code)) = spec.get("error").and_then(|error| error.get("code"))
    {
        Expect::Code(code.clone())
    } else {
        // A case that only checks that evaluating does not throw, which
        // the suite writes with an undefined result.
        Expect::Undefined
    };
    Case {
        id,
        expr,
        input,
        bindings,
        expect,
        timelimit: spec.get("timelimit").and_then(Value::as_u64),
        depth: spec
            .get("depth")
            .and_then(Value::as_u64)
            .map(|depth| depth as usize),
    }
}

/// JSON equality as the suite's harness checks it (a deep equality of
/// JavaScript values): numbers by value, objects whatever their order.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, value)| y.get(key).is_some_and(|other| same(value, other)))
        }
        _ => a == b,
    }
}
