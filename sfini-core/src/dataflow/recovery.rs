//! Which retrier or catcher handles an error, how long to wait before a
//! retry, and what a catcher passes on.

use std::time::Duration;

use serde_json::{Map as Object, Value};

use crate::error_name::error_matches;
use crate::model::{Catcher, DataPath, JitterStrategy, Retrier};
use crate::path::ReferencePath;

use super::DataFlowError;

/// The position of the first retrier whose `ErrorEquals` matches `error`.
pub fn find_retrier(retriers: &[Retrier], error: &str) -> Option<usize> {
    retriers.iter().position(|retrier| {
        retrier
            .error_equals
            .iter()
            .any(|pattern| error_matches(pattern, error))
    })
}

/// The first catcher whose `ErrorEquals` matches `error`.
pub fn find_catcher<'c>(catchers: &'c [Catcher], error: &str) -> Option<&'c Catcher> {
    catchers.iter().find(|catcher| {
        catcher
            .error_equals
            .iter()
            .any(|pattern| error_matches(pattern, error))
    })
}

/// How long to wait before retry number `retry` (1 for the first) under
/// `retrier`, or `None` when its attempts are used up.
///
/// The delay is `IntervalSeconds × BackoffRate^(retry − 1)`, capped at
/// `MaxDelaySeconds`; with `JitterStrategy: FULL` it is then scaled by
/// `random`, a number in `[0, 1)` that the caller draws.
///
/// ```
/// use std::time::Duration;
/// use sfini_core::dataflow::retry_delay;
/// use sfini_core::model::Retrier;
///
/// let retrier = Retrier::new(["States.Timeout"]).interval_seconds(3).max_delay_seconds(10);
/// assert_eq!(retry_delay(&retrier, 1, 0.5), Some(Duration::from_secs(3)));
/// assert_eq!(retry_delay(&retrier, 2, 0.5), Some(Duration::from_secs(6)));
/// assert_eq!(retry_delay(&retrier, 3, 0.5), Some(Duration::from_secs(10)));
/// assert_eq!(retry_delay(&retrier, 4, 0.5), None);
/// ```
pub fn retry_delay(retrier: &Retrier, retry: u64, random: f64) -> Option<Duration> {
    if retry == 0 || retry > retrier.max_attempts {
        return None;
    }
    let exponent = i32::try_from(retry - 1).unwrap_or(i32::MAX);
    let mut seconds = retrier.interval_seconds as f64 * retrier.backoff_rate.powi(exponent);
    if let Some(max) = retrier.max_delay_seconds {
        seconds = seconds.min(max as f64);
    }
    if retrier.jitter_strategy == JitterStrategy::Full {
        seconds *= random.clamp(0.0, 1.0);
    }
    // Durations beyond what `Duration` holds are capped rather than wrapped.
    Some(Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX))
}

/// What a state passes on when `catcher` catches an error: its raw input,
/// with the error output `{"Error": ..., "Cause": ...}` placed at the
/// catcher's ResultPath.
pub fn error_output(
    raw_input: Value,
    catcher: &Catcher,
    error: &str,
    cause: Option<&str>,
) -> Result<Value, DataFlowError> {
    let mut output = Object::new();
    output.insert("Error".to_string(), Value::from(error));
    output.insert("Cause".to_string(), cause.map_or(Value::Null, Value::from));
    let output = Value::Object(output);
    match &catcher.result_path {
        DataPath::Null => Ok(raw_input),
        path if path.is_root() => Ok(output),
        DataPath::Path(text) => {
            let path = ReferencePath::parse(text)
                .map_err(|error| DataFlowError::runtime(format!("Catch ResultPath: {error}")))?;
            // Deeper than any bound allows: refused before it is built (the
            // caller checks the output against its own, lower, bound).
            if path.steps().len() > crate::limits::DEPTH_CEILING {
                return Err(DataFlowError::new(
                    crate::error_name::PredefinedError::DataLimitExceeded,
                    format!(
                        "The catcher's ResultPath places the error output {} levels deep, more \
                         than the {} levels of arrays and objects data may nest",
                        path.steps().len(),
                        crate::limits::DEPTH_CEILING
                    ),
                ));
            }
            let mut input = raw_input;
            path.write(&mut input, output).map_err(|error| {
                DataFlowError::new(
                    crate::error_name::PredefinedError::ResultPathMatchFailure,
                    format!(
                        "Unable to apply the catcher's ResultPath '{}': {}",
                        path.as_str(),
                        error.reason
                    ),
                )
            })?;
            Ok(input)
        }
    }
}
