//! [`ActivityError`]: how an activity's error type names its errors.

use std::convert::Infallible;
use std::error::Error;
use std::fmt::Display;

use super::failure::{FAILED_ERROR, IO_ERROR};

/// An error type an activity may return (`Result<T, E>`): each value names
/// the Amazon States Language error it stands for, which Retry and Catch
/// match, and its `Display` text becomes the failure's cause.
///
/// Derive it with `#[derive(ActivityError)]`: on an enum, each variant is
/// an error named after the variant; on a struct, the struct's name is the
/// error name. sfini implements it for a few common error carriers:
///
/// | Type | Error name |
/// |---|---|
/// | `String`, `&'static str` | [`FAILED_ERROR`] (`sfini.ActivityFailed`) |
/// | `Box<dyn Error>`, `Box<dyn Error + Send + Sync>` | [`FAILED_ERROR`] (`sfini.ActivityFailed`) |
/// | [`std::io::Error`] | [`IO_ERROR`] (`std.io.Error`) |
/// | [`Infallible`] | none: the activity declares no error |
///
/// Error names must not start with `States.`, which the language reserves.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an activity's error type: it does not implement `ActivityError`",
    label = "the error type of this activity",
    note = "add `#[derive(sfini::ActivityError)]` to `{Self}` (each enum variant becomes an error name), or return `Result<T, String>`"
)]
pub trait ActivityError: Display {
    /// Every error name values of this type may have, for checking a
    /// workflow's Retry and Catch at compile time.
    const NAMES: &'static [&'static str];

    /// The error name of this value; one of [`NAMES`](Self::NAMES).
    fn error_name(&self) -> &'static str;
}

impl ActivityError for String {
    const NAMES: &'static [&'static str] = &[FAILED_ERROR];

    fn error_name(&self) -> &'static str {
        FAILED_ERROR
    }
}

impl ActivityError for &'static str {
    const NAMES: &'static [&'static str] = &[FAILED_ERROR];

    fn error_name(&self) -> &'static str {
        FAILED_ERROR
    }
}

impl ActivityError for Box<dyn Error + Send + Sync> {
    const NAMES: &'static [&'static str] = &[FAILED_ERROR];

    fn error_name(&self) -> &'static str {
        FAILED_ERROR
    }
}

impl ActivityError for Box<dyn Error> {
    const NAMES: &'static [&'static str] = &[FAILED_ERROR];

    fn error_name(&self) -> &'static str {
        FAILED_ERROR
    }
}

impl ActivityError for std::io::Error {
    const NAMES: &'static [&'static str] = &[IO_ERROR];

    fn error_name(&self) -> &'static str {
        IO_ERROR
    }
}

impl ActivityError for Infallible {
    const NAMES: &'static [&'static str] = &[];

    fn error_name(&self) -> &'static str {
        match *self {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::TaskFailure;

    #[test]
    fn carriers_name_their_errors() {
        let failure = TaskFailure::from_error(&String::from("no such file"));
        assert_eq!(failure, TaskFailure::new(FAILED_ERROR, "no such file"));
        let boxed: Box<dyn Error + Send + Sync> = "bad".into();
        assert_eq!(TaskFailure::from_error(&boxed).error, FAILED_ERROR);
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        assert_eq!(
            TaskFailure::from_error(&io),
            TaskFailure::new(IO_ERROR, "gone")
        );
        assert_eq!(<Infallible as ActivityError>::NAMES, &[] as &[&str]);
    }
}
