//! AWS's rules for activity names.

/// The longest activity name AWS accepts, in characters.
pub const MAX_NAME_LENGTH: usize = 80;

/// What is wrong with `name` as an activity name, if anything: AWS accepts
/// 1 to 80 characters, none of them white space, a control character
/// (U+0000–U+001F, U+007F–U+009F, U+FFFE, U+FFFF), U+10FFFF, or one of
/// `< > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /`.
pub fn problem(name: &str) -> Option<String> {
    let length = name.chars().count();
    if length == 0 {
        return Some("an activity's name cannot be empty".to_string());
    }
    if length > MAX_NAME_LENGTH {
        return Some(format!(
            "an activity's name has at most {MAX_NAME_LENGTH} characters; `{name}` has {length}"
        ));
    }
    let forbidden = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{FFFE}' | '\u{FFFF}' | '\u{10FFFF}')
            || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
    };
    let bad = name.chars().find(|c| forbidden(*c))?;
    let what = if bad.is_whitespace() {
        "white space".to_string()
    } else if bad.is_control() || !bad.is_ascii() {
        format!("the character U+{:04X}", bad as u32)
    } else {
        format!("`{bad}`")
    };
    Some(format!(
        "an activity's name cannot contain {what}; use letters, digits, `-`, `_` and `.` (Step Functions rejects white space, control characters and any of < > {{ }} [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : /)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_aws_names() {
        for name in [
            "add",
            "addActivity",
            "my-activity_2.v1",
            "ünïcode",
            &"a".repeat(80),
        ] {
            assert_eq!(problem(name), None, "{name}");
        }
    }

    #[test]
    fn rejects_what_aws_rejects() {
        assert_eq!(problem("").unwrap(), "an activity's name cannot be empty");
        assert!(problem(&"a".repeat(81)).unwrap().contains("has 81"));
        for bad in [
            "a b",
            "a\tb",
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
            "a\u{7}b",
            "a\u{85}b",
            "a\u{FFFF}b",
        ] {
            assert!(problem(bad).is_some(), "{bad:?}");
        }
        assert!(
            problem("a/b")
                .unwrap()
                .starts_with("an activity's name cannot contain `/`")
        );
        assert!(problem("a b").unwrap().contains("white space"));
        assert!(problem("a\u{1}b").unwrap().contains("U+0001"));
    }
}
