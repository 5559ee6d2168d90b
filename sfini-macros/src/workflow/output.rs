//! Writing each workflow's definition to a file while the crate builds.
//!
//! The file is `<target dir>/sfini/<package>/<Name>.asl.json`; the
//! environment variable `SFINI_DEFINITIONS_DIR` names another directory
//! (files go straight into it; an empty value turns writing off). The
//! target directory is `CARGO_TARGET_DIR` when set, else `target` beside the
//! workspace's Cargo.toml. A file is rewritten only when its content
//! changed, through a temporary file renamed over it, so a reader never
//! sees half a definition.
//!
//! Beside each definition, `.sfini/<Name>.source` records the source file
//! and the name of the `workflow!` that wrote it. Each time a workflow is
//! written, the definitions whose workflow is gone are removed with their
//! record: one written before by the same `workflow!` under another name
//! (it was renamed), one whose source file is gone, or whose source file no
//! longer names its workflow. So the directory holds the definitions of the
//! workflows that exist, and a deploy step that ships it whole ships no
//! leftover.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The directory that receives the definitions, or `None` when writing is
/// turned off or the build gives no way to find it.
pub fn directory() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SFINI_DEFINITIONS_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let package = std::env::var("CARGO_PKG_NAME").ok()?;
    let root = workspace_root(&manifest_dir);
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    };
    Some(target.join("sfini").join(package))
}

/// The nearest directory at or above `manifest_dir` whose Cargo.toml
/// declares a workspace, or `manifest_dir` itself.
fn workspace_root(manifest_dir: &Path) -> PathBuf {
    manifest_dir
        .ancestors()
        .find(|dir| {
            fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|text| text.lines().any(|line| line.trim() == "[workspace]"))
        })
        .unwrap_or(manifest_dir)
        .to_path_buf()
}

/// Writes `definition` to `<dir>/<name>.asl.json` unless it already holds
/// exactly that. Returns the file's path.
pub fn write(dir: &Path, name: &str, definition: &str) -> io::Result<PathBuf> {
    let file = dir.join(format!("{name}.asl.json"));
    if fs::read(&file).is_ok_and(|existing| existing == definition.as_bytes()) {
        return Ok(file);
    }
    fs::create_dir_all(dir)?;
    let temporary = dir.join(format!(".{name}.asl.json.{}.tmp", std::process::id()));
    fs::write(&temporary, definition)?;
    fs::rename(&temporary, &file).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })?;
    Ok(file)
}

/// Where a definition came from: the source file and the workflow's name
/// in it (its Rust type).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub file: PathBuf,
    pub workflow: String,
}

/// Records that `name`'s definition comes from `source`, and removes the
/// definitions of workflows that are gone (see the module documentation).
/// Best effort: a file that cannot be read or removed is left as it is.
pub fn record_and_clean(dir: &Path, name: &str, source: &Source) -> io::Result<()> {
    let records = dir.join(".sfini");
    fs::create_dir_all(&records)?;
    let text = format!("{}\n{}\n", source.file.display(), source.workflow);
    let record = records.join(format!("{name}.source"));
    if fs::read_to_string(&record).ok().as_deref() != Some(text.as_str()) {
        fs::write(&record, &text)?;
    }
    let Ok(entries) = fs::read_dir(&records) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(other) = path
            .file_name()
            .and_then(|file| file.to_str())
            .and_then(|file| file.strip_suffix(".source"))
        else {
            continue;
        };
        if other == name {
            continue;
        }
        let Ok(recorded) = fs::read_to_string(&path) else {
            continue;
        };
        let mut lines = recorded.lines();
        let (Some(file), Some(workflow)) = (lines.next(), lines.next()) else {
            continue;
        };
        let other_source = Source {
            file: PathBuf::from(file),
            workflow: workflow.to_string(),
        };
        if other_source == *source || is_gone(&other_source) {
            let _ = fs::remove_file(dir.join(format!("{other}.asl.json")));
            let _ = fs::remove_file(&path);
        }
    }
    Ok(())
}

/// True when a workflow's source file is gone or no longer names it.
fn is_gone(source: &Source) -> bool {
    match fs::read_to_string(&source.file) {
        Ok(text) => !names(&text, &source.workflow),
        Err(error) => error.kind() == io::ErrorKind::NotFound,
    }
}

/// True when `text` holds `word` as a whole identifier.
fn names(text: &str, word: &str) -> bool {
    let is_part = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_part) && !after.is_some_and(is_part)
    })
}

/// Where the `workflow!` at `span` is written, when the compiler says.
pub fn source_of(span: proc_macro2::Span, workflow: &str) -> Option<Source> {
    if !proc_macro::is_available() {
        return None;
    }
    let file = span.unwrap().local_file()?;
    let file = match file.is_absolute() {
        true => file,
        false => PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?).join(file),
    };
    Some(Source {
        file,
        workflow: workflow.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_once_and_rewrites_only_on_change() {
        let dir = std::env::temp_dir().join(format!("sfini-output-{}", std::process::id()));
        let file = write(&dir, "Flow", "{}\n").unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "{}\n");
        let modified = fs::metadata(&file).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(&dir, "Flow", "{}\n").unwrap();
        assert_eq!(fs::metadata(&file).unwrap().modified().unwrap(), modified);
        write(&dir, "Flow", "[]\n").unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "[]\n");
        let leftovers: Vec<_> = fs::read_dir(&dir).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn definitions_of_workflows_that_are_gone_are_removed() {
        let dir = std::env::temp_dir().join(format!("sfini-clean-{}", std::process::id()));
        let sources = dir.join("src");
        fs::create_dir_all(&sources).unwrap();
        let lib = sources.join("lib.rs");
        let other = sources.join("other.rs");
        fs::write(&lib, "workflow! { pub Checkout { a: pass } }").unwrap();
        fs::write(
            &other,
            "workflow! { pub Refund { a: pass } } // CheckoutOld",
        )
        .unwrap();
        let out = dir.join("out");
        let source = |file: &Path, workflow: &str| Source {
            file: file.to_path_buf(),
            workflow: workflow.to_string(),
        };
        let publish = |name: &str, source: &Source| {
            write(&out, name, "{}").unwrap();
            record_and_clean(&out, name, source).unwrap();
        };
        publish("checkout", &source(&lib, "Checkout"));
        publish("refund", &source(&other, "Refund"));
        // The same workflow! under another name: the old file goes.
        publish("checkoutV2", &source(&lib, "Checkout"));
        let exists = |name: &str| out.join(format!("{name}.asl.json")).exists();
        assert!(!exists("checkout"));
        assert!(exists("checkoutV2") && exists("refund"));
        // A workflow removed from its file (a longer name that contains it
        // does not count), then a file removed.
        fs::write(&other, "// CheckoutOld, Refunds").unwrap();
        publish("checkoutV2", &source(&lib, "Checkout"));
        assert!(!exists("refund"));
        publish("legacy", &source(&sources.join("legacy.rs"), "Legacy"));
        publish("checkoutV2", &source(&lib, "Checkout"));
        assert!(!exists("legacy"));
        assert!(exists("checkoutV2"));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn finds_the_workspace_root() {
        let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let root = workspace_root(&here);
        assert_eq!(root, here.parent().unwrap());
    }
}
