//! Golden files of the graphs of the examples' definitions: every
//! `examples/asl/*.asl.json` drawn as Mermaid, Graphviz and SVG, compared
//! byte for byte with `tests/graph/<name>.mmd`, `.dot` and `.svg`.
//!
//! `UPDATE_GOLDEN=1 cargo test --test graph` writes the files anew; review
//! the difference (the SVGs open in a browser) before committing it.

use std::fs;
use std::path::{Path, PathBuf};

use sfini::core::StateMachine;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every example definition, by name, sorted.
fn definitions() -> Vec<(String, StateMachine)> {
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("examples/asl"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(".asl.json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .trim_end_matches(".asl.json")
                .to_string();
            let text = fs::read_to_string(&path).unwrap();
            let machine = StateMachine::from_json(&text)
                .unwrap_or_else(|problems| panic!("{}: {problems:?}", path.display()));
            (name, machine)
        })
        .collect()
}

fn compare(path: &Path, actual: &str, mismatches: &mut Vec<String>) {
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|value| value == "1") {
        fs::write(path, actual).unwrap();
        return;
    }
    match fs::read_to_string(path) {
        Ok(expected) if expected == actual => {}
        Ok(_) => mismatches.push(format!("{} differs", path.display())),
        Err(error) => mismatches.push(format!("{}: {error}", path.display())),
    }
}

#[test]
fn every_example_is_drawn_as_its_golden_files() {
    let definitions = definitions();
    assert!(definitions.len() >= 11, "examples/asl has its definitions");
    let dir = root().join("tests/graph");
    let mut mismatches = Vec::new();
    for (name, machine) in &definitions {
        let graph = machine.graph();
        compare(
            &dir.join(format!("{name}.mmd")),
            &graph.to_mermaid(),
            &mut mismatches,
        );
        compare(
            &dir.join(format!("{name}.dot")),
            &graph.to_dot(),
            &mut mismatches,
        );
        compare(
            &dir.join(format!("{name}.svg")),
            &graph.to_svg(),
            &mut mismatches,
        );
    }
    assert!(
        mismatches.is_empty(),
        "the graphs differ from their golden files (UPDATE_GOLDEN=1 writes them): {mismatches:#?}"
    );
}

#[test]
fn every_state_of_every_example_is_in_its_svg() {
    for (name, machine) in definitions() {
        let svg = machine.graph().to_svg();
        let mut scopes = vec![&machine.states];
        while let Some(states) = scopes.pop() {
            for (state_name, state) in states {
                let class = state.state_type().as_str().to_ascii_lowercase();
                assert!(
                    svg.contains(&format!(
                        "<g class=\"state state-{class}\" data-state=\"{state_name}\">"
                    )),
                    "{name}: {state_name}"
                );
                match state {
                    sfini::core::model::State::Parallel(parallel) => {
                        assert!(
                            svg.contains(&format!(
                                "<g class=\"group\" data-state=\"{state_name}\">"
                            ))
                        );
                        scopes.extend(parallel.branches.iter().map(|branch| &branch.states));
                    }
                    sfini::core::model::State::Map(map) => {
                        assert!(
                            svg.contains(&format!(
                                "<g class=\"group\" data-state=\"{state_name}\">"
                            ))
                        );
                        scopes.push(&map.item_processor.states);
                    }
                    _ => {}
                }
            }
        }
    }
}
