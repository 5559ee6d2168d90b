//! An execution's whole history, and its readable form.

use std::fmt;

use time::format_description::well_known::Rfc3339;

use crate::api::HistoryEvent;

/// The details [`History::format`] shows: the member of the event's
/// details, and its label.
const SHOWN_DETAILS: [(&str, &str); 5] = [
    ("name", "name"),
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
    /// type, id and time, RFC 3339 in UTC), then, indented, the details
    /// worth reading: the state's `name`, the task's `resource`, the
    /// `worker` that took it, the `error` and `cause` of a failure.
    ///
    /// ```text
    /// ExecutionStarted [1] @ 2019-06-23T19:27:34.026Z
    /// TaskStateEntered [2] @ 2019-06-23T19:27:34.052Z:
    ///   name: raise
    /// ActivityScheduled [3] @ 2019-06-23T19:27:34.052Z:
    ///   resource: arn:aws:states:us-east-1:123456789012:activity:raiseActivity
    /// ActivityStarted [4] @ 2019-06-23T19:27:34.128Z:
    ///   worker: myWorker-81a5a3e4
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
    let shown: Vec<(&str, &str)> = SHOWN_DETAILS
        .iter()
        .filter_map(|(key, label)| {
            let value = details.as_ref()?.get(*key)?.as_str()?;
            Some((*label, value))
        })
        .collect();
    // An RFC 3339 time fails to format only for years beyond 9999.
    let timestamp = event.timestamp.format(&Rfc3339).unwrap_or_default();
    writeln!(
        out,
        "{} [{}] @ {timestamp}{}",
        event.event_type().as_str(),
        event.id,
        if shown.is_empty() { "" } else { ":" }
    )?;
    for (label, value) in shown {
        writeln!(out, "  {label}: {value}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::api::history::{ActivityStartedDetails, FailureDetails, StateEnteredDetails};
    use crate::api::{EventDetails, HistoryEvent};

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
