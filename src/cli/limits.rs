//! The engine's limits on the command line of `sfini run` and `sfini local
//! serve`: AWS's quotas by default, raised for tests that need more.

use sfini::core::limits::{DEPTH_CEILING, MAX_DEPTH, MAX_PAYLOAD_BYTES};
use sfini::runtime::local::{EngineLimits, MAX_EXECUTION_MEMORY, MAX_HISTORY_EVENTS};

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
    }
}
