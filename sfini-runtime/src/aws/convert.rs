//! Values between the SDK's types and sfini's: timestamps, the API's
//! keywords, tags.

use aws_sdk_sfn::primitives::DateTime;
use aws_sdk_sfn::types as sdk;
use time::OffsetDateTime;

use super::UNEXPECTED_RESPONSE;
use crate::api::{ExecutionStatus, SfnError, StateMachineStatus, StateMachineType, Tag};

/// The error for an answer sfini cannot represent: `what` names the value
/// and where it came from.
pub(crate) fn unexpected(what: String) -> SfnError {
    SfnError::Service {
        code: UNEXPECTED_RESPONSE.to_string(),
        message: what,
    }
}

/// A timestamp of the service, to the nanosecond the SDK read.
pub(crate) fn timestamp(date: &DateTime, field: &str) -> Result<OffsetDateTime, SfnError> {
    // The protocol writes a time as a number of seconds (AWS gives them to
    // the millisecond), which the SDK reads as a double: its digits past
    // the microsecond are the double's rounding error, not time.
    let nanos = date.as_nanos();
    let micros = nanos.div_euclid(1_000) + i128::from(nanos.rem_euclid(1_000) >= 500);
    OffsetDateTime::from_unix_timestamp_nanos(micros * 1_000).map_err(|_| {
        unexpected(format!(
            "`{field}` is {} seconds after 1970, outside the dates sfini can represent \
             (years -9999 to 9999)",
            date.secs()
        ))
    })
}

/// An optional timestamp of the service.
pub(crate) fn optional_timestamp(
    date: Option<&DateTime>,
    field: &str,
) -> Result<Option<OffsetDateTime>, SfnError> {
    date.map(|date| timestamp(date, field)).transpose()
}

/// A keyword of the service read by `from_name`; an unknown one is an
/// error naming it and the keywords sfini knows.
fn keyword<T>(
    text: &str,
    field: &str,
    from_name: fn(&str) -> Option<T>,
    known: &[&str],
) -> Result<T, SfnError> {
    from_name(text).ok_or_else(|| {
        unexpected(format!(
            "`{field}` is `{text}`, which sfini does not know (it knows {}); \
             a newer sfini may",
            known.join(", ")
        ))
    })
}

/// An execution's status.
pub(crate) fn execution_status(
    status: &sdk::ExecutionStatus,
    field: &str,
) -> Result<ExecutionStatus, SfnError> {
    keyword(
        status.as_str(),
        field,
        ExecutionStatus::from_name,
        &[
            "RUNNING",
            "SUCCEEDED",
            "FAILED",
            "TIMED_OUT",
            "ABORTED",
            "PENDING_REDRIVE",
        ],
    )
}

/// A state machine's status.
pub(crate) fn state_machine_status(
    status: &sdk::StateMachineStatus,
    field: &str,
) -> Result<StateMachineStatus, SfnError> {
    keyword(
        status.as_str(),
        field,
        StateMachineStatus::from_name,
        &["ACTIVE", "DELETING"],
    )
}

/// A state machine's type.
pub(crate) fn state_machine_type(
    kind: &sdk::StateMachineType,
    field: &str,
) -> Result<StateMachineType, SfnError> {
    keyword(
        kind.as_str(),
        field,
        StateMachineType::from_name,
        &["STANDARD", "EXPRESS"],
    )
}

/// A state machine type to send.
pub(crate) fn sdk_state_machine_type(kind: StateMachineType) -> sdk::StateMachineType {
    sdk::StateMachineType::from(kind.as_str())
}

/// An execution status to send.
pub(crate) fn sdk_execution_status(status: ExecutionStatus) -> sdk::ExecutionStatus {
    sdk::ExecutionStatus::from(status.as_str())
}

/// Tags to send: `None` for none, so that an empty list is not sent.
pub(crate) fn sdk_tags(tags: Vec<Tag>) -> Option<Vec<sdk::Tag>> {
    if tags.is_empty() {
        return None;
    }
    Some(
        tags.into_iter()
            .map(|tag| sdk::Tag::builder().key(tag.key).value(tag.value).build())
            .collect(),
    )
}

/// A page size to send: 0 means the service's default, so nothing is sent.
pub(crate) fn max_results(max_results: i32) -> Option<i32> {
    (max_results != 0).then_some(max_results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_read_to_the_microsecond() {
        let date = DateTime::from_secs_and_nanos(1_700_000_000, 123_456_789);
        let read = timestamp(&date, "startDate").unwrap();
        assert_eq!(read.unix_timestamp(), 1_700_000_000);
        assert_eq!(read.nanosecond(), 123_457_000);
        // A millisecond time as the SDK reads it from the wire's double.
        let wire = DateTime::from_secs_f64(1_763_759_541.174);
        assert_ne!(wire.subsec_nanos(), 174_000_000, "the double is inexact");
        assert_eq!(
            timestamp(&wire, "startDate").unwrap().nanosecond(),
            174_000_000
        );
        let before_1970 = DateTime::from_nanos(-1_500_000_001).unwrap();
        assert_eq!(
            timestamp(&before_1970, "startDate")
                .unwrap()
                .unix_timestamp_nanos(),
            -1_500_000_000
        );
        let far = DateTime::from_secs(400_000_000_000);
        let error = timestamp(&far, "startDate").unwrap_err();
        assert_eq!(error.code(), UNEXPECTED_RESPONSE);
        assert!(error.message().contains("`startDate`"), "{error}");
        assert_eq!(optional_timestamp(None, "stopDate").unwrap(), None);
    }

    #[test]
    fn keywords_are_read_by_their_names() {
        for status in [
            ExecutionStatus::Running,
            ExecutionStatus::Succeeded,
            ExecutionStatus::Failed,
            ExecutionStatus::TimedOut,
            ExecutionStatus::Aborted,
            ExecutionStatus::PendingRedrive,
        ] {
            let sent = sdk_execution_status(status);
            assert_eq!(sent.as_str(), status.as_str());
            assert_eq!(execution_status(&sent, "status").unwrap(), status);
        }
        for kind in [StateMachineType::Standard, StateMachineType::Express] {
            let sent = sdk_state_machine_type(kind);
            assert_eq!(state_machine_type(&sent, "type").unwrap(), kind);
        }
        assert_eq!(
            state_machine_status(&sdk::StateMachineStatus::Deleting, "status").unwrap(),
            StateMachineStatus::Deleting
        );
    }

    #[test]
    fn an_unknown_keyword_is_an_error_naming_it() {
        let error = execution_status(&sdk::ExecutionStatus::from("PAUSED"), "status").unwrap_err();
        assert_eq!(error.code(), UNEXPECTED_RESPONSE);
        assert_eq!(
            error.message(),
            "`status` is `PAUSED`, which sfini does not know (it knows RUNNING, SUCCEEDED, \
             FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE); a newer sfini may"
        );
        assert!(!error.is_retryable());
        let error = state_machine_type(&sdk::StateMachineType::from("BATCH"), "type").unwrap_err();
        assert!(error.message().contains("`BATCH`"), "{error}");
        let error =
            state_machine_status(&sdk::StateMachineStatus::from("PAUSED"), "status").unwrap_err();
        assert!(error.message().contains("ACTIVE, DELETING"), "{error}");
    }

    #[test]
    fn empty_lists_and_zero_page_sizes_are_not_sent() {
        assert_eq!(sdk_tags(Vec::new()), None);
        let tags = sdk_tags(vec![Tag {
            key: "team".into(),
            value: "data".into(),
        }])
        .unwrap();
        assert_eq!(tags[0].key(), Some("team"));
        assert_eq!(tags[0].value(), Some("data"));
        assert_eq!(max_results(0), None);
        assert_eq!(max_results(5), Some(5));
    }
}
