//! An execution's whole history, and its readable form.

use std::fmt;

use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::api::HistoryEvent;

/// The details [`History::format`] shows: the member of the event's
/// details, and its label.
const SHOWN_DETAILS: [(&str, &str); 6] = [
    ("name", "name"),
    ("index", "index"),
    ("resource", "resource"),
    ("workerName", "worker"),
    ("error", "error"),
    ("cause", "cause"),
];

/// Every event of an execution's history, oldest first.
///
/// ```
/// use sfini_runtime::client::Sfn;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let sfn = Sfn::local();
/// let machine = sfn.machine(
///     "greet",
///     r#"{"StartAt": "hello", "States": {"hello": {"Type": "Pass", "End": true}}}"#,
/// );
/// machine.register().await?;
/// let execution = machine.start(&serde_json::json!({})).await?;
/// execution.wait().await?;
/// let history = execution.history().await?;
/// let types: Vec<&str> = history.events().iter().map(|e| e.event_type().as_str()).collect();
/// assert_eq!(types, ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
/// assert!(history.format().contains("PassStateEntered [2] @ "));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    events: Vec<HistoryEvent>,
}

impl History {
    /// A history of these events.
    pub fn new(events: Vec<HistoryEvent>) -> History {
        History { events }
    }

    /// The events, oldest first.
    pub fn events(&self) -> &[HistoryEvent] {
        &self.events
    }

    /// The events, oldest first, owned.
    pub fn into_events(self) -> Vec<HistoryEvent> {
        self.events
    }

    /// How many events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// True for a history without events.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The history as the Python sfini prints it: one line per event (its
    /// type, id and time), then, indented, the details worth reading: the
    /// state's `name`, a Map iteration's `index`, the task's `resource`,
    /// the `worker` that took it, the `error` and `cause` of a failure.
    ///
    /// Times are written as Step Functions records them, to the
    /// millisecond: RFC 3339 in UTC, always with three digits of fraction
    /// (`2019-06-23T19:27:34.000Z`); finer digits are dropped.
    ///
    /// ```text
    /// ExecutionStarted [1] @ 2019-06-23T19:27:34.026Z
    /// TaskStateEntered [2] @ 2019-06-23T19:27:34.052Z:
    ///   name: raise
    /// ActivityScheduled [3] @ 2019-06-23T19:27:34.052Z:
    ///   resource: arn:aws:states:us-east-1:123456789012:activity:raiseActivity
    /// ActivityStarted [4] @ 2019-06-23T19:27:34.128Z:
    ///   worker: myWorker-81a5a3e4
    /// MapIterationStarted [9] @ 2019-06-23T19:27:35.000Z:
    ///   name: resize
    ///   index: 0
    /// ```
    pub fn format(&self) -> String {
        self.to_string()
    }
}

impl From<Vec<HistoryEvent>> for History {
    fn from(events: Vec<HistoryEvent>) -> History {
        History::new(events)
    }
}

impl IntoIterator for History {
    type Item = HistoryEvent;
    type IntoIter = std::vec::IntoIter<HistoryEvent>;

    fn into_iter(self) -> Self::IntoIter {
        self.events.into_iter()
    }
}

impl<'a> IntoIterator for &'a History {
    type Item = &'a HistoryEvent;
    type IntoIter = std::slice::Iter<'a, HistoryEvent>;

    fn into_iter(self) -> Self::IntoIter {
        self.events.iter()
    }
}

impl fmt::Display for History {
    /// [`History::format`]'s text: each event's line ends with a newline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for event in &self.events {
            write_event(f, event)?;
        }
        Ok(())
    }
}

/// One event as [`History::format`] shows it.
pub(crate) fn write_event(out: &mut impl fmt::Write, event: &HistoryEvent) -> fmt::Result {
    let details = event.details.to_json().map(|(_, details)| details);
    let shown: Vec<(&str, &serde_json::Value)> = SHOWN_DETAILS
        .iter()
        .filter_map(|(key, label)| {
            let value = details.as_ref()?.get(*key)?;
            (value.is_string() || value.is_number()).then_some((*label, value))
        })
        .collect();
    write!(out, "{} [{}] @ ", event.event_type().as_str(), event.id)?;
    write_timestamp(out, event.timestamp)?;
    writeln!(out, "{}", if shown.is_empty() { "" } else { ":" })?;
    for (label, value) in shown {
        match value.as_str() {
            Some(text) => writeln!(out, "  {label}: {text}")?,
            None => writeln!(out, "  {label}: {value}")?,
        }
    }
    Ok(())
}

/// Writes `at` as Step Functions records event times, to the millisecond:
/// RFC 3339 in UTC with exactly three digits of fraction
/// (`2019-06-23T19:27:34.026Z`). Finer digits are dropped, not rounded, so
/// that an event never appears later than it happened.
fn write_timestamp(out: &mut impl fmt::Write, at: OffsetDateTime) -> fmt::Result {
    // Times the engines give are in UTC already. One in another offset
    // whose UTC instant is past the calendar's end is written as that end,
    // where the engines' clocks stop.
    let at = at
        .checked_to_offset(UtcOffset::UTC)
        .unwrap_or(PrimitiveDateTime::MAX.assume_utc());
    write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.millisecond()
    )
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::api::history::{
        ActivityStartedDetails, FailureDetails, MapIterationDetails, StateEnteredDetails,
    };
    use crate::api::{EventDetails, HistoryEvent};

    fn event(timestamp: OffsetDateTime, details: EventDetails) -> HistoryEvent {
        HistoryEvent {
            id: 1,
            previous_event_id: 0,
            timestamp,
            details,
        }
    }

    fn line(timestamp: OffsetDateTime) -> String {
        History::new(vec![event(
            timestamp,
            EventDetails::ExecutionStarted(Default::default()),
        )])
        .format()
    }

    #[test]
    fn times_are_written_to_the_millisecond_in_utc() {
        // Whole seconds keep their three digits.
        assert_eq!(
            line(datetime!(2024-01-01 00:00:00 UTC)),
            "ExecutionStarted [1] @ 2024-01-01T00:00:00.000Z\n"
        );
        assert_eq!(
            line(datetime!(2024-01-01 00:00:02.5 UTC)),
            "ExecutionStarted [1] @ 2024-01-01T00:00:02.500Z\n"
        );
        // Finer digits are dropped, never rounded up into the next second.
        assert_eq!(
            line(datetime!(2019-12-31 23:59:59.999_999_999 UTC)),
            "ExecutionStarted [1] @ 2019-12-31T23:59:59.999Z\n"
        );
        assert_eq!(
            line(datetime!(1970-01-01 00:00:00.000_900 UTC)),
            "ExecutionStarted [1] @ 1970-01-01T00:00:00.000Z\n"
        );
        // Another offset is written as its instant in UTC.
        assert_eq!(
            line(datetime!(2024-06-01 12:30:00.042 +02:00)),
            "ExecutionStarted [1] @ 2024-06-01T10:30:00.042Z\n"
        );
        // The calendar's last instant, and past it, where the engines'
        // clocks stop.
        assert_eq!(
            line(PrimitiveDateTime::MAX.assume_utc()),
            "ExecutionStarted [1] @ 9999-12-31T23:59:59.999Z\n"
        );
        assert_eq!(
            line(PrimitiveDateTime::MAX.assume_offset(time::macros::offset!(-01:00))),
            "ExecutionStarted [1] @ 9999-12-31T23:59:59.999Z\n"
        );
    }

    #[test]
    fn map_iterations_show_their_index() {
        let at = datetime!(2024-01-01 00:00:01 UTC);
        let iteration = |index| MapIterationDetails {
            name: "resize".into(),
            index,
        };
        let history = History::new(vec![
            event(at, EventDetails::MapIterationStarted(iteration(0))),
            event(at, EventDetails::MapIterationSucceeded(iteration(0))),
            event(at, EventDetails::MapIterationFailed(iteration(12))),
            event(at, EventDetails::MapIterationAborted(iteration(3))),
        ]);
        assert_eq!(
            history.format(),
            "MapIterationStarted [1] @ 2024-01-01T00:00:01.000Z:\n  name: resize\n  index: 0\n\
             MapIterationSucceeded [1] @ 2024-01-01T00:00:01.000Z:\n  name: resize\n  index: 0\n\
             MapIterationFailed [1] @ 2024-01-01T00:00:01.000Z:\n  name: resize\n  index: 12\n\
             MapIterationAborted [1] @ 2024-01-01T00:00:01.000Z:\n  name: resize\n  index: 3\n"
        );
    }

    #[test]
    fn formats_each_event_with_the_details_worth_reading() {
        let at = datetime!(2019-06-23 19:27:34.026 UTC);
        let history = History::new(vec![
            HistoryEvent {
                id: 1,
                previous_event_id: 0,
                timestamp: at,
                details: EventDetails::ExecutionStarted(Default::default()),
            },
            HistoryEvent {
                id: 2,
                previous_event_id: 1,
                timestamp: at + time::Duration::milliseconds(26),
                details: EventDetails::TaskStateEntered(StateEnteredDetails {
                    name: "raise".into(),
                    input: Some("{}".into()),
                }),
            },
            HistoryEvent {
                id: 3,
                previous_event_id: 2,
                timestamp: at + time::Duration::seconds(1),
                details: EventDetails::ActivityStarted(ActivityStartedDetails {
                    worker_name: Some("myWorker-81a5a3e4".into()),
                }),
            },
            HistoryEvent {
                id: 4,
                previous_event_id: 3,
                timestamp: at + time::Duration::seconds(2),
                details: EventDetails::ActivityFailed(FailureDetails {
                    error: Some("MyError".into()),
                    cause: Some("it broke".into()),
                }),
            },
        ]);
        assert_eq!(
            history.format(),
            "ExecutionStarted [1] @ 2019-06-23T19:27:34.026Z\n\
             TaskStateEntered [2] @ 2019-06-23T19:27:34.052Z:\n  name: raise\n\
             ActivityStarted [3] @ 2019-06-23T19:27:35.026Z:\n  worker: myWorker-81a5a3e4\n\
             ActivityFailed [4] @ 2019-06-23T19:27:36.026Z:\n  error: MyError\n  cause: it broke\n"
        );
    }
}
