//! The rules of Retry and Catch: error names, `States.ALL` placement,
//! retry timing bounds, catcher result paths.

use crate::diagnostic::Code;
use crate::error_name::PredefinedError;
use crate::model::{Catcher, Retrier};
use crate::suggest::closest;

use super::state::{Checker, PathKind};
use super::{Here, MAX_SECONDS};

const MAX_DELAY_SECONDS: u64 = 31_622_400;

pub(super) fn check_retriers(checker: &mut Checker<'_>, retriers: &[Retrier], at: &Here<'_>) {
    error_lists(
        checker,
        retriers.iter().map(|r| r.error_equals.as_slice()),
        at,
        "retrier",
    );
    for (index, retrier) in retriers.iter().enumerate() {
        let here = at.index(index);
        checker.range(
            retrier.interval_seconds,
            1,
            MAX_SECONDS,
            &here.field("IntervalSeconds"),
            "IntervalSeconds",
        );
        checker.range(
            retrier.max_attempts,
            0,
            MAX_SECONDS,
            &here.field("MaxAttempts"),
            "MaxAttempts",
        );
        if !(retrier.backoff_rate.is_finite() && retrier.backoff_rate >= 1.0) {
            checker.error(
                Code::InvalidValue,
                &here.field("BackoffRate"),
                format!(
                    "BackoffRate is {}; it must be at least 1.0 (the delay never shrinks)",
                    retrier.backoff_rate
                ),
            );
        }
        if let Some(max_delay) = retrier.max_delay_seconds {
            checker.range(
                max_delay,
                1,
                MAX_DELAY_SECONDS,
                &here.field("MaxDelaySeconds"),
                "MaxDelaySeconds",
            );
        }
    }
}

pub(super) fn check_catchers(checker: &mut Checker<'_>, catchers: &[Catcher], at: &Here<'_>) {
    error_lists(
        checker,
        catchers.iter().map(|c| c.error_equals.as_slice()),
        at,
        "catcher",
    );
    for (index, catcher) in catchers.iter().enumerate() {
        if let Some(path) = catcher.result_path.as_path() {
            checker.path(
                path,
                &at.index(index).field("ResultPath"),
                PathKind::Writable,
            );
        }
    }
}

/// The ErrorEquals lists of a Retry or Catch field.
fn error_lists<'a>(
    checker: &mut Checker<'_>,
    lists: impl ExactSizeIterator<Item = &'a [String]>,
    at: &Here<'_>,
    what: &str,
) {
    let all = PredefinedError::All.as_str();
    let count = lists.len();
    for (index, names) in lists.enumerate() {
        let here = at.index(index);
        let list_at = here.field("ErrorEquals");
        if names.is_empty() {
            checker.error(
                Code::InvalidErrorHandling,
                &list_at,
                format!("a {what}'s `ErrorEquals` lists at least one error name"),
            );
        }
        for (position, name) in names.iter().enumerate() {
            let name_at = list_at.index(position);
            if name == all {
                if names.len() > 1 {
                    checker.error(
                        Code::InvalidErrorHandling,
                        &name_at,
                        "`States.ALL` must be alone in its `ErrorEquals`; it already matches every error",
                    );
                }
                if index + 1 != count {
                    checker.error(
                        Code::InvalidErrorHandling,
                        &name_at,
                        format!(
                            "`States.ALL` must be in the last {what}; the {what}s after it would never be used"
                        ),
                    );
                }
            } else if let Some(message) = reserved_name_problem(name) {
                checker
                    .out
                    .warning(Code::ReservedErrorName, name_at.location(), message);
            }
        }
    }
}

/// The warning for an error name in the `States.` namespace that the
/// language does not define: AWS reserves the prefix for its own errors, so
/// such a name is most likely a misspelling of one of them.
pub(super) fn reserved_name_problem(name: &str) -> Option<String> {
    let short = name.strip_prefix("States.")?;
    if PredefinedError::from_name(name).is_some() {
        return None;
    }
    let predefined = PredefinedError::ALL
        .iter()
        .filter_map(|error| error.as_str().strip_prefix("States."));
    let hint = match closest(short, predefined) {
        Some(guess) => format!("; did you mean `States.{guess}`?"),
        None => "; give your own errors names without that prefix".to_string(),
    };
    Some(format!(
        "`{name}` is not a predefined error, and names starting with `States.` are reserved for them{hint}"
    ))
}
