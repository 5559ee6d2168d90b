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
        Served::start_with(group, name, &[])
    }

    /// [`Served::start`] with more options for `sfini local serve`.
    pub fn start_with(group: &str, name: &str, options: &[&str]) -> Served {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(group);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        let log = dir.join(format!("{name}.log"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_sfini"))
            .args(["local", "serve", "--port", "0", "--poll-wait", "1"])
            .args(options)
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

impl Served {
    /// Sends SIGTERM and waits for the server to exit, at most `within`;
    /// its exit status, or `None` if it was still running.
    pub fn terminate(&mut self, within: std::time::Duration) -> Option<std::process::ExitStatus> {
        let pid = i32::try_from(self.child.id()).expect("a pid");
        // SAFETY: kill(2) with a child's pid and a valid signal has no
        // memory effects.
        unsafe { libc::kill(pid, libc::SIGTERM) };
        let deadline = std::time::Instant::now() + within;
        while std::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        None
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
