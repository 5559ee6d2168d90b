//! The default name of a worker: the host's name and a short random id,
//! within AWS's limit of 80 characters.

/// The longest worker name `GetActivityTask` accepts.
pub const MAX_WORKER_NAME_LENGTH: usize = 80;

/// `HOST-1a2b3c4d`: the host's name (cut to fit, white space and control
/// characters replaced by `-`; `sfini-worker` when the host has no name)
/// and eight random hexadecimal digits, so that the workers of one host
/// are told apart in histories.
pub fn default_worker_name() -> String {
    let host = gethostname::gethostname();
    worker_name_for(&host.to_string_lossy(), rand::random())
}

fn worker_name_for(host: &str, id: u32) -> String {
    let suffix = format!("-{id:08x}");
    let room = MAX_WORKER_NAME_LENGTH - suffix.len();
    let mut host: String = host
        .trim()
        .chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .take(room)
        .collect();
    if host.is_empty() {
        host.push_str("sfini-worker");
    }
    host + &suffix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_hold_the_host_and_an_id_within_the_limit() {
        assert_eq!(worker_name_for("build-7", 0xab), "build-7-000000ab");
        assert_eq!(worker_name_for("", 1), "sfini-worker-00000001");
        assert_eq!(worker_name_for("my host\n", 2), "my-host-00000002");
        let long = worker_name_for(&"h".repeat(200), 3);
        assert_eq!(long.chars().count(), MAX_WORKER_NAME_LENGTH);
        assert!(long.ends_with("-00000003"));
        let name = default_worker_name();
        assert!(name.chars().count() <= MAX_WORKER_NAME_LENGTH, "{name}");
    }
}
