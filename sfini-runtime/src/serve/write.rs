//! Writing a response body: JSON objects with members in camelCase,
//! timestamps as epoch seconds with milliseconds, enumerations by name and
//! optional members left out when absent.

use serde_json::{Map, Number, Value};
use time::OffsetDateTime;

use crate::api::HistoryEvent;

/// A response object under construction.
pub(crate) struct Object(Map<String, Value>);

impl Object {
    /// An empty object.
    pub(crate) fn new() -> Object {
        Object(Map::new())
    }

    /// Sets a member.
    pub(crate) fn value(mut self, name: &str, value: Value) -> Object {
        self.0.insert(name.to_string(), value);
        self
    }

    /// Sets a string member.
    pub(crate) fn string(self, name: &str, value: impl Into<String>) -> Object {
        self.value(name, Value::String(value.into()))
    }

    /// Sets a string member when there is a value.
    pub(crate) fn optional(self, name: &str, value: Option<impl Into<String>>) -> Object {
        match value {
            Some(value) => self.string(name, value),
            None => self,
        }
    }

    /// Sets a timestamp member.
    pub(crate) fn date(self, name: &str, date: OffsetDateTime) -> Object {
        self.value(name, epoch_seconds(date))
    }

    /// Sets a timestamp member when there is a value.
    pub(crate) fn optional_date(self, name: &str, date: Option<OffsetDateTime>) -> Object {
        match date {
            Some(date) => self.date(name, date),
            None => self,
        }
    }

    /// Sets a list member.
    pub(crate) fn list(self, name: &str, items: impl IntoIterator<Item = Value>) -> Object {
        self.value(name, Value::Array(items.into_iter().collect()))
    }

    /// The object as JSON.
    pub(crate) fn build(self) -> Value {
        Value::Object(self.0)
    }
}

/// A timestamp as the protocol writes it: seconds since the epoch as a JSON
/// number, to the millisecond (`1700000000.123`).
pub(crate) fn epoch_seconds(date: OffsetDateTime) -> Value {
    let milliseconds = date.unix_timestamp_nanos().div_euclid(1_000_000);
    // Milliseconds since the epoch fit well within the 53 bits of an f64's
    // mantissa, and the shortest text of the quotient is its decimal form.
    let seconds = milliseconds as f64 / 1000.0;
    Number::from_f64(seconds).map_or(Value::Null, Value::Number)
}

/// A history event: `timestamp`, `type`, `id`, `previousEventId` and the
/// details under their member.
pub(crate) fn history_event(event: &HistoryEvent) -> Value {
    let object = Object::new()
        .date("timestamp", event.timestamp)
        .string("type", event.event_type().as_str())
        .value("id", Value::from(event.id))
        .value("previousEventId", Value::from(event.previous_event_id));
    match event.details.to_json() {
        Some((member, details)) => object.value(member, details),
        None => object,
    }
    .build()
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::macros::datetime;

    use super::*;
    use crate::api::EventDetails;
    use crate::api::history::StateEnteredDetails;

    #[test]
    fn timestamps_are_epoch_seconds_to_the_millisecond() {
        let date = datetime!(2023-11-14 22:13:20.123456 UTC);
        assert_eq!(epoch_seconds(date).to_string(), "1700000000.123");
        assert_eq!(
            epoch_seconds(datetime!(2023-11-14 22:13:20 UTC)).to_string(),
            "1700000000.0"
        );
        assert_eq!(
            epoch_seconds(datetime!(1969-12-31 23:59:59.5 UTC)).to_string(),
            "-0.5"
        );
    }

    #[test]
    fn events_carry_their_details_under_their_member() {
        let event = HistoryEvent {
            id: 2,
            previous_event_id: 1,
            timestamp: datetime!(2023-11-14 22:13:20.5 UTC),
            details: EventDetails::PassStateEntered(StateEnteredDetails {
                name: "Start".into(),
                input: Some("{}".into()),
            }),
        };
        assert_eq!(
            history_event(&event),
            json!({
                "timestamp": 1_700_000_000.5,
                "type": "PassStateEntered",
                "id": 2,
                "previousEventId": 1,
                "stateEnteredEventDetails": {"name": "Start", "input": "{}"}
            })
        );
    }
}
