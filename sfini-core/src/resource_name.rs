//! Names of activities, state machines and executions, as Step Functions
//! accepts them: 1 to 80 characters, without white space, control
//! characters, brackets, wildcards or the special characters
//! `` " # % \ ^ | ~ ` $ & , ; : / ``.
//!
//! The macros check the names they are given at compile time and the local
//! engine checks the names it is sent, with this one rule.

/// The longest name of an activity, state machine or execution.
pub const MAX_NAME_LENGTH: usize = 80;

/// Checks the name of a `kind` ("activity", "state machine",
/// "execution"), or says what is wrong with it and what would be right.
///
/// ```
/// use sfini_core::resource_name::check_resource_name;
///
/// assert!(check_resource_name("activity", "addActivity").is_ok());
/// assert_eq!(
///     check_resource_name("state machine", "").unwrap_err(),
///     "a state machine's name cannot be empty"
/// );
/// ```
pub fn check_resource_name(kind: &str, name: &str) -> Result<(), String> {
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    let length = name.chars().count();
    if length == 0 {
        return Err(format!("{article} {kind}'s name cannot be empty"));
    }
    if length > MAX_NAME_LENGTH {
        return Err(format!(
            "{article} {kind}'s name has at most {MAX_NAME_LENGTH} characters; `{name}` has {length}"
        ));
    }
    let Some(bad) = name.chars().find(|c| is_forbidden(*c)) else {
        return Ok(());
    };
    let what = if bad.is_whitespace() {
        "white space".to_owned()
    } else if bad.is_control() || !bad.is_ascii() {
        format!("the character U+{:04X}", u32::from(bad))
    } else {
        format!("`{bad}`")
    };
    Err(format!(
        "{article} {kind}'s name cannot contain {what}; use letters, digits, `-`, `_` and `.` \
         (Step Functions rejects white space, control characters and any of \
         < > {{ }} [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : /)"
    ))
}

fn is_forbidden(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{FFFE}' | '\u{FFFF}' | '\u{10FFFF}')
        || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_aws_accepts() {
        for name in [
            "add",
            "addActivity",
            "my-activity_2.v1",
            "ünïcode",
            &"a".repeat(80),
        ] {
            assert_eq!(check_resource_name("activity", name), Ok(()), "{name}");
        }
    }

    #[test]
    fn rejects_what_aws_rejects() {
        assert!(
            check_resource_name("execution", &"a".repeat(81))
                .unwrap_err()
                .ends_with("has 81")
        );
        for bad in [
            "a b",
            "a\tb",
            "a\u{7}b",
            "a\u{85}b",
            "a<b",
            "a}b",
            "a?b",
            "a*b",
            "a\"b",
            "a#b",
            "a%b",
            "a\\b",
            "a^b",
            "a|b",
            "a~b",
            "a`b",
            "a$b",
            "a&b",
            "a,b",
            "a;b",
            "a:b",
            "a/b",
            "a\u{FFFF}b",
        ] {
            assert!(check_resource_name("activity", bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            check_resource_name("activity", "a:b").unwrap_err(),
            "an activity's name cannot contain `:`; use letters, digits, `-`, `_` and `.` \
             (Step Functions rejects white space, control characters and any of \
             < > { } [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : /)"
        );
    }
}
