//! Timestamps as the Amazon States Language writes them.
//!
//! A timestamp is RFC 3339 with an uppercase `T` between date and time and
//! an uppercase `Z` for UTC, such as `2026-03-14T01:59:00Z` or
//! `2026-03-14T01:59:00.123+02:00`.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Parses a timestamp, or `None` when the text is not one.
///
/// ```
/// use sfini_core::timestamp::parse_timestamp;
///
/// assert!(parse_timestamp("2026-03-14T01:59:00Z").is_some());
/// assert!(parse_timestamp("2026-03-14t01:59:00z").is_none());
/// assert!(parse_timestamp("2026-03-14 01:59:00").is_none());
/// ```
pub fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    // The RFC allows a lowercase `t` and `z`, or a space, where the
    // language requires `T` and `Z`.
    if text.contains(['t', 'z']) || text.as_bytes().get(10) != Some(&b'T') {
        return None;
    }
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

/// True when `text` is a timestamp.
pub fn is_timestamp(text: &str) -> bool {
    parse_timestamp(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_rfc3339_with_uppercase_separators() {
        for good in [
            "2016-03-14T01:59:00Z",
            "2016-03-14T01:59:00.5Z",
            "2016-03-14T01:59:00.123456789Z",
            "2016-03-14T01:59:00+02:00",
            "2016-03-14T01:59:00-07:30",
        ] {
            assert!(is_timestamp(good), "{good}");
        }
        for bad in [
            "",
            "2016-03-14",
            "2016-03-14T01:59Z",
            "2016-03-14T01:59:00",
            "2016-03-14t01:59:00Z",
            "2016-03-14T01:59:00z",
            "2016-13-14T01:59:00Z",
            "2016-02-30T01:59:00Z",
            "2016-03-14T25:00:00Z",
            "2016-03-14 01:59:00Z",
        ] {
            assert!(!is_timestamp(bad), "{bad}");
        }
    }

    #[test]
    fn compares_instants_across_offsets() {
        let utc = parse_timestamp("2016-03-14T01:00:00Z").unwrap();
        let plus_two = parse_timestamp("2016-03-14T03:00:00+02:00").unwrap();
        assert_eq!(utc, plus_two);
    }
}
