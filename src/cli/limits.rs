//! The engine's limits on the command line of `sfini run` and `sfini local
//! serve`: AWS's quotas by default, raised for tests that need more.

use std::time::Duration;

use sfini::core::limits::{DEPTH_CEILING, MAX_DEPTH, MAX_PAYLOAD_BYTES};
use sfini::runtime::local::{
    EngineLimits, MAX_EXECUTION_MEMORY, MAX_HISTORY_EVENTS, RETAIN_CLOSED_EXECUTIONS,
};

/// The bounds executions are held to (see the engine's `EngineLimits`).
#[derive(Debug, clap::Args)]
pub struct LimitArgs {
    /// The most events an execution's history holds; the event past it
    /// fails the execution with States.Runtime (AWS: 25,000).
    #[arg(long, value_name = "N", default_value_t = MAX_HISTORY_EVENTS,
          value_parser = clap::value_parser!(u32).range(2..))]
    max_history_events: u32,

    /// The largest state input, state output or task result, in bytes of
    /// compact JSON (AWS: 262,144).
    #[arg(long, value_name = "BYTES", default_value_t = MAX_PAYLOAD_BYTES as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    max_payload_bytes: u64,

    /// How many levels of arrays and objects data may nest (at most 512).
    #[arg(long, value_name = "LEVELS", default_value_t = MAX_DEPTH as u64,
          value_parser = clap::value_parser!(u64).range(1..=DEPTH_CEILING as u64))]
    max_depth: u64,

    /// The most memory the data of one execution may take, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = (MAX_EXECUTION_MEMORY >> 20) as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    max_execution_memory: u64,

    /// How many closed executions the engine keeps; past it the oldest
    /// closed are dropped, and answered ExecutionDoesNotExist as AWS answers
    /// an expired one (running executions are always kept).
    #[arg(long, value_name = "N", default_value_t = RETAIN_CLOSED_EXECUTIONS as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    retain_closed_executions: u64,

    /// How long a closed execution is kept, on the engine's clock: seconds,
    /// or a whole number with `s`, `m`, `h` or `d` (AWS keeps 90 days).
    #[arg(long, value_name = "DURATION", default_value = "90d", value_parser = retention_age)]
    retain_closed_for: Duration,
}

/// The longest `--retain-closed-for`: ten years, past which a number is
/// taken for a typo.
const LONGEST_RETENTION: u64 = 10 * 365 * 86_400;

/// A retention age: a positive whole number of seconds, or with a unit
/// (`s`, `m`, `h`, `d`).
fn retention_age(text: &str) -> Result<Duration, String> {
    let wrong = || {
        format!(
            "`{text}` is not a retention age: a positive whole number of seconds, or with `s`, \
             `m`, `h` or `d`, such as `3600`, `90m`, `12h` or `90d` (at most 3650d)"
        )
    };
    let (number, unit) = match text.char_indices().last() {
        Some((at, 's')) => (&text[..at], 1),
        Some((at, 'm')) => (&text[..at], 60),
        Some((at, 'h')) => (&text[..at], 3_600),
        Some((at, 'd')) => (&text[..at], 86_400),
        _ => (text, 1),
    };
    if number.is_empty() || !number.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(wrong());
    }
    let seconds = number
        .parse::<u64>()
        .ok()
        .and_then(|number| number.checked_mul(unit))
        .filter(|seconds| (1..=LONGEST_RETENTION).contains(seconds))
        .ok_or_else(wrong)?;
    Ok(Duration::from_secs(seconds))
}

impl LimitArgs {
    /// The limits the arguments give.
    pub fn limits(&self) -> EngineLimits {
        let whole = |value: u64| usize::try_from(value).unwrap_or(usize::MAX);
        EngineLimits::default()
            .history_events(self.max_history_events)
            .payload_bytes(whole(self.max_payload_bytes))
            .depth(whole(self.max_depth))
            .execution_memory(whole(self.max_execution_memory).saturating_mul(1 << 20))
            .retain_closed_executions(whole(self.retain_closed_executions))
            .retain_closed_for(self.retain_closed_for)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sfini::runtime::local::RETAIN_CLOSED_FOR;

    #[test]
    fn retention_ages_are_whole_numbers_with_a_unit() {
        assert_eq!(retention_age("90d"), Ok(RETAIN_CLOSED_FOR));
        assert_eq!(retention_age("3600"), Ok(Duration::from_secs(3600)));
        assert_eq!(retention_age("45s"), Ok(Duration::from_secs(45)));
        assert_eq!(retention_age("90m"), Ok(Duration::from_secs(5400)));
        assert_eq!(retention_age("12h"), Ok(Duration::from_secs(43_200)));
        assert_eq!(
            retention_age("3650d"),
            Ok(Duration::from_secs(LONGEST_RETENTION))
        );
        for wrong in [
            "",
            "d",
            "0",
            "0d",
            "-1h",
            "1.5h",
            "90x",
            "3651d",
            "99999999999999999999d",
            "1 d",
        ] {
            assert!(retention_age(wrong).is_err(), "{wrong:?}");
        }
    }
}
