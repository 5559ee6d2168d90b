//! The `sfini` binary run as a user runs it: its output, files it reads
//! written to a scratch directory, and the examples' definitions.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs `sfini` with `args` to its end.
pub fn sfini(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sfini"))
        .args(args)
        .output()
        .expect("the sfini binary runs")
}

/// What a run printed on standard output.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

/// Writes `contents` to `name` in the scratch directory `group` of the
/// test target; gives its path.
pub fn scratch(group: &str, name: &str, contents: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(group);
    fs::create_dir_all(&dir).expect("a scratch directory");
    let path = dir.join(name);
    fs::write(&path, contents).expect("a scratch file");
    path.to_string_lossy().into_owned()
}

/// The path of the example definition `examples/asl/<name>.asl.json`.
pub fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/asl")
        .join(format!("{name}.asl.json"))
        .to_string_lossy()
        .into_owned()
}
