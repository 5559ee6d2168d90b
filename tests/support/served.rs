//! `sfini local serve` as a child process, for the tests that talk to it
//! over HTTP.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// `sfini local serve` running; killed when dropped.
pub struct Served {
    child: Child,
    /// The server's URL, such as `http://127.0.0.1:40123`.
    pub endpoint: String,
    /// Its log (tracing at debug level).
    pub log: PathBuf,
}

impl Served {
    /// Starts a server holding polls one second, logging to
    /// `<CARGO_TARGET_TMPDIR>/<group>/<name>.log`.
    pub fn start(group: &str, name: &str) -> Served {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(group);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        let log = dir.join(format!("{name}.log"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_sfini"))
            .args(["local", "serve", "--port", "0", "--poll-wait", "1"])
            .env("RUST_LOG", "debug")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(File::create(&log).expect("a log file"))
            .spawn()
            .expect("the sfini binary runs");
        let stdout = child.stdout.take().expect("piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the server prints its address");
        let endpoint = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("not the address line: {line:?}"))
            .to_string();
        Served {
            child,
            endpoint,
            log,
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The last lines of the server's log.
pub fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}
