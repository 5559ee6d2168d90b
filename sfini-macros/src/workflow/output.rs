//! Writing each workflow's definition to a file while the crate builds.
//!
//! The file is `<target dir>/sfini/<package>/<Name>.asl.json`; the
//! environment variable `SFINI_DEFINITIONS_DIR` names another directory
//! (files go straight into it; an empty value turns writing off). The
//! target directory is `CARGO_TARGET_DIR` when set, else `target` beside the
//! workspace's Cargo.toml. A file is rewritten only when its content
//! changed, through a temporary file renamed over it, so a reader never
//! sees half a definition.

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
    fn finds_the_workspace_root() {
        let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let root = workspace_root(&here);
        assert_eq!(root, here.parent().unwrap());
    }
}
