//! The ported examples' definitions: each is valid, and each file is
//! already in canonical form, so reading and writing it gives it back.

use std::fs;
use std::path::PathBuf;

use sfini_core::StateMachine;
use sfini_core::validate::check_json;

fn example_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/asl");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(".asl.json"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_examples_are_valid_and_canonical() {
    let files = example_files();
    assert!(files.len() >= 5, "{files:?}");
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        let checked = check_json(&text);
        assert!(
            checked.diagnostics.is_empty(),
            "{}:\n{}",
            file.display(),
            checked.diagnostics
        );
        let machine = checked.machine.unwrap();
        assert_eq!(machine.to_json(), text.trim_end(), "{}", file.display());
        assert_eq!(
            StateMachine::from_json(&machine.to_json()).unwrap(),
            machine
        );
    }
}
