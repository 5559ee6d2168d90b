//! Names and ARNs as AWS checks and builds them.

use crate::api::{QUOTED_CHARS, SfnError, quoted};

pub use sfini_core::resource_name::MAX_NAME_LENGTH;

/// The longest ARN Step Functions takes, in characters.
pub const MAX_ARN_LENGTH: usize = 256;

/// Checks the name of an activity, state machine or execution with
/// sfini-core's rule (the one the macros apply at compile time).
pub fn check_name(kind: &str, name: &str) -> Result<(), SfnError> {
    sfini_core::resource_name::check_resource_name(kind, name).map_err(|message| {
        // sfini-core quotes a name that is too long whole (and says its
        // length), as a compiler error about the program's own source may;
        // the engine's answer quotes only its start.
        match name.char_indices().nth(QUOTED_CHARS) {
            Some((cut, _)) => SfnError::InvalidName(
                message.replace(&format!("`{name}`"), &format!("`{}…`", &name[..cut])),
            ),
            None => SfnError::InvalidName(message),
        }
    })
}

/// The resource types of Step Functions ARNs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceKind {
    /// `activity:NAME`.
    Activity,
    /// `stateMachine:NAME`.
    StateMachine,
    /// `execution:MACHINE:NAME`.
    Execution,
}

impl ResourceKind {
    fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Activity => "activity",
            ResourceKind::StateMachine => "stateMachine",
            ResourceKind::Execution => "execution",
        }
    }
}

/// Builds and checks the ARNs of one region and account.
#[derive(Clone, Debug)]
pub struct Arns {
    prefix: String,
}

impl Arns {
    /// ARNs in `region` of `account`.
    pub fn new(region: &str, account: &str) -> Arns {
        Arns {
            prefix: format!("arn:aws:states:{region}:{account}:"),
        }
    }

    /// `arn:aws:states:REGION:ACCOUNT:activity:NAME`.
    pub fn activity(&self, name: &str) -> String {
        format!("{}activity:{name}", self.prefix)
    }

    /// `arn:aws:states:REGION:ACCOUNT:stateMachine:NAME`.
    pub fn state_machine(&self, name: &str) -> String {
        format!("{}stateMachine:{name}", self.prefix)
    }

    /// `arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME`.
    pub fn execution(&self, machine: &str, name: &str) -> String {
        format!("{}execution:{machine}:{name}", self.prefix)
    }
}

/// Checks that `arn` is a Step Functions ARN of the given kind, in any
/// region and account.
pub fn check_arn(arn: &str, kind: ResourceKind) -> Result<(), SfnError> {
    let invalid = |why: &str| {
        SfnError::InvalidArn(format!(
            "{} is not a valid {} ARN: {why}; expected `arn:aws:states:REGION:ACCOUNT:{}`",
            quoted(arn, '`'),
            kind.as_str(),
            match kind {
                ResourceKind::Execution => "execution:MACHINE:NAME",
                ResourceKind::Activity => "activity:NAME",
                ResourceKind::StateMachine => "stateMachine:NAME",
            }
        ))
    };
    // Every message about an ARN that checks quotes it: so it is short.
    if arn.chars().nth(MAX_ARN_LENGTH).is_some() {
        return Err(invalid(&format!(
            "it is longer than {MAX_ARN_LENGTH} characters"
        )));
    }
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    if parts.len() < 3 || parts[0] != "arn" || parts[2] != "states" {
        return Err(invalid("it does not start with `arn:PARTITION:states:`"));
    }
    if parts.get(3).is_none_or(|region| region.is_empty())
        || parts.get(4).is_none_or(|account| account.is_empty())
    {
        return Err(invalid("the region or account is missing"));
    }
    let Some(&resource) = parts.get(5) else {
        return Err(invalid("the resource type is missing"));
    };
    if resource != kind.as_str() {
        return Err(invalid(&format!("it names a `{resource}`")));
    }
    let rest = &parts[6..];
    let well_formed = match kind {
        ResourceKind::Execution => rest.first().is_some_and(|rest| {
            let mut names = rest.splitn(2, ':');
            let machine = names.next().unwrap_or("");
            let name = names.next().unwrap_or("");
            !machine.is_empty() && !name.is_empty()
        }),
        _ => rest.first().is_some_and(|name| !name.is_empty()),
    };
    if well_formed {
        Ok(())
    } else {
        Err(invalid("the name is missing"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_aws_rules() {
        assert!(check_name("activity", "add-Activity_2.v1").is_ok());
        assert!(check_name("activity", &"a".repeat(80)).is_ok());
        let long = check_name("activity", &"a".repeat(81)).unwrap_err();
        assert_eq!(long.code(), "InvalidName");
        assert!(long.message().ends_with("has 81"), "{long}");
        assert!(check_name("activity", "").is_err());
        for bad in [
            "a b", "a<b", "a{b", "a?b", "a*b", "a\"b", "a#b", "a:b", "a/b", "a\u{7}b", "a\u{85}b",
        ] {
            let error = check_name("execution", bad).unwrap_err();
            assert_eq!(error.code(), "InvalidName", "{bad}");
        }
        assert!(
            check_name("x", "a:b")
                .unwrap_err()
                .message()
                .contains("`:`")
        );
        let huge = check_name("execution", &"n".repeat(2 * 1024 * 1024)).unwrap_err();
        assert_eq!(huge.code(), "InvalidName");
        assert!(huge.message().len() < 400, "{}", huge.message().len());
        assert!(huge.message().ends_with("…` has 2097152"), "{huge}");
    }

    #[test]
    fn arns_are_built_and_checked() {
        let arns = Arns::new("us-east-1", "123456789012");
        assert_eq!(
            arns.activity("a"),
            "arn:aws:states:us-east-1:123456789012:activity:a"
        );
        assert_eq!(
            arns.execution("m", "e"),
            "arn:aws:states:us-east-1:123456789012:execution:m:e"
        );
        assert!(check_arn(&arns.state_machine("m"), ResourceKind::StateMachine).is_ok());
        assert!(check_arn(&arns.execution("m", "e"), ResourceKind::Execution).is_ok());
        for (bad, kind) in [
            ("nope", ResourceKind::Activity),
            (
                "arn:aws:states:us-east-1:123456789012:activity:a",
                ResourceKind::StateMachine,
            ),
            (
                "arn:aws:states:us-east-1:123456789012:activity:",
                ResourceKind::Activity,
            ),
            (
                "arn:aws:states:us-east-1:123456789012:execution:m",
                ResourceKind::Execution,
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:f",
                ResourceKind::Activity,
            ),
        ] {
            assert_eq!(
                check_arn(bad, kind).unwrap_err().code(),
                "InvalidArn",
                "{bad}"
            );
        }
        let longest = format!(
            "arn:aws:states:us-east-1:123456789012:activity:{}",
            "a".repeat(MAX_ARN_LENGTH - 47)
        );
        assert_eq!(longest.chars().count(), MAX_ARN_LENGTH);
        assert!(check_arn(&longest, ResourceKind::Activity).is_ok());
        let huge = check_arn(
            &format!("{longest}{}", "a".repeat(1 << 21)),
            ResourceKind::Activity,
        )
        .unwrap_err();
        assert_eq!(huge.code(), "InvalidArn");
        assert!(huge.message().len() < 500, "{}", huge.message().len());
        assert!(
            huge.message().contains(
                "characters) is not a valid activity ARN: it is longer than 256 characters"
            ),
            "{huge}"
        );
    }
}
