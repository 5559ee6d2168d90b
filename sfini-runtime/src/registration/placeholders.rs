//! The CloudFormation placeholders of a definition, and the region and
//! account that fill them.
//!
//! A workflow's activity tasks name their activity as
//! `arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:NAME`. At
//! registration such an ARN becomes the registered activity's ARN (whose
//! name carries the handle's prefix); any other `${AWS::Region}` and
//! `${AWS::AccountId}` become the engine's region and account.

use std::collections::HashMap;

use crate::workflow::fill_region_and_account;
pub use crate::workflow::{ACCOUNT_PLACEHOLDER, ACTIVITY_ARN_PLACEHOLDER, REGION_PLACEHOLDER};

/// The partition, region and account of an engine, as its ARNs show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnScope {
    pub partition: String,
    pub region: String,
    pub account: String,
}

impl ArnScope {
    /// The scope of a Step Functions ARN (`arn:PARTITION:states:REGION:ACCOUNT:...`).
    pub fn of(arn: &str) -> Option<ArnScope> {
        let mut parts = arn.splitn(6, ':');
        let (Some("arn"), Some(partition), Some("states"), Some(region), Some(account)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        if partition.is_empty() || region.is_empty() || account.is_empty() {
            return None;
        }
        Some(ArnScope {
            partition: partition.to_string(),
            region: region.to_string(),
            account: account.to_string(),
        })
    }

    /// The ARN the activity `name` has in this scope.
    pub fn activity_arn(&self, name: &str) -> String {
        format!(
            "arn:{}:states:{}:{}:activity:{name}",
            self.partition, self.region, self.account
        )
    }
}

/// True for a character that ends an activity name inside a definition:
/// a quote ends the JSON string, and Step Functions names never hold one of
/// the characters its name rule forbids.
fn ends_name(c: char) -> bool {
    c == '\''
        || sfini_core::resource_name::check_resource_name("activity", c.encode_utf8(&mut [0; 4]))
            .is_err()
}

/// The activity names in the definition's placeholder ARNs, each once, in
/// the order they first appear.
pub fn placeholder_activities(definition: &str) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for (start, _) in definition.match_indices(ACTIVITY_ARN_PLACEHOLDER) {
        let rest = &definition[start + ACTIVITY_ARN_PLACEHOLDER.len()..];
        let end = rest.find(ends_name).unwrap_or(rest.len());
        let name = &rest[..end];
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// True when the definition still holds `${AWS::Region}` or
/// `${AWS::AccountId}` once its activity ARNs are filled.
pub fn needs_scope(definition: &str) -> bool {
    let without_activities = definition.replace(ACTIVITY_ARN_PLACEHOLDER, "");
    without_activities.contains(REGION_PLACEHOLDER)
        || without_activities.contains(ACCOUNT_PLACEHOLDER)
}

/// The definition with each placeholder activity ARN replaced by the ARN
/// `arns` gives for its (unprefixed) name, and the remaining placeholders
/// by `scope`'s region and account.
///
/// `arns` holds every name [`placeholder_activities`] found; `scope` is
/// given whenever [`needs_scope`] says so.
pub fn fill(definition: &str, arns: &HashMap<&str, String>, scope: Option<&ArnScope>) -> String {
    let mut filled = String::with_capacity(definition.len());
    let mut rest = definition;
    while let Some(start) = rest.find(ACTIVITY_ARN_PLACEHOLDER) {
        let after = &rest[start + ACTIVITY_ARN_PLACEHOLDER.len()..];
        let end = after.find(ends_name).unwrap_or(after.len());
        let name = &after[..end];
        match arns.get(name) {
            Some(arn) => {
                filled.push_str(&rest[..start]);
                filled.push_str(arn);
            }
            // An empty name: left for the region and account below.
            None => filled.push_str(&rest[..start + ACTIVITY_ARN_PLACEHOLDER.len() + end]),
        }
        rest = &after[end..];
    }
    filled.push_str(rest);
    match scope {
        Some(scope) => fill_region_and_account(&filled, &scope.region, &scope.account),
        None => filled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFINITION: &str = r#"{"States": {"a": {"Resource": "arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:add"}, "b": {"Resource": "arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:add"}, "c": {"Resource": "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:f", "Comment": "arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:other"}}}"#;

    #[test]
    fn finds_each_activity_once() {
        assert_eq!(placeholder_activities(DEFINITION), ["add", "other"]);
        assert!(needs_scope(DEFINITION));
        assert!(!needs_scope(
            r#"{"Resource": "arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:add"}"#
        ));
    }

    #[test]
    fn fills_activities_with_their_arns_and_the_rest_with_the_scope() {
        let arns = HashMap::from([
            (
                "add",
                "arn:aws-cn:states:cn-north-1:1:activity:dev-add".to_string(),
            ),
            (
                "other",
                "arn:aws-cn:states:cn-north-1:1:activity:dev-other".to_string(),
            ),
        ]);
        let scope = ArnScope::of("arn:aws-cn:states:cn-north-1:1:activity:dev-add").unwrap();
        assert_eq!(scope.partition, "aws-cn");
        assert_eq!(
            fill(DEFINITION, &arns, Some(&scope)),
            r#"{"States": {"a": {"Resource": "arn:aws-cn:states:cn-north-1:1:activity:dev-add"}, "b": {"Resource": "arn:aws-cn:states:cn-north-1:1:activity:dev-add"}, "c": {"Resource": "arn:aws:lambda:cn-north-1:1:function:f", "Comment": "arn:aws-cn:states:cn-north-1:1:activity:dev-other"}}}"#
        );
    }

    #[test]
    fn reads_the_scope_of_an_arn() {
        assert_eq!(ArnScope::of("arn:aws:states::1:activity:x"), None);
        assert_eq!(ArnScope::of("arn:aws:iam::1:role/x"), None);
        let scope = ArnScope::of("arn:aws:states:eu-west-1:42:stateMachine:m").unwrap();
        assert_eq!(
            scope.activity_arn("a"),
            "arn:aws:states:eu-west-1:42:activity:a"
        );
    }
}
