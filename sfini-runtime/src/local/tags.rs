//! Tags of state machines and activities: given at creation, added with
//! `TagResource`, removed with `UntagResource`, read with
//! `ListTagsForResource`, and gone with their resource.
//!
//! The rules are AWS's: at most [`MAX_TAGS_PER_RESOURCE`] tags a resource
//! (`TooManyTags`, naming the resource), keys of 1 to 128 characters and
//! values of at most 256, written with Unicode letters, digits, white space
//! and `_ . : / = + - @` only, and no key beginning with `aws:` (in any
//! case), which AWS keeps for itself (`ValidationException`). Only a state
//! machine or an activity is tagged: any other ARN is `InvalidArn`, and one
//! that names nothing `ResourceNotFound`. A call that breaks a rule changes
//! nothing.

use indexmap::IndexMap;

use super::LocalEngine;
use super::names::{ResourceKind, check_arn};
use crate::api::tags_and_validation::{
    MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, MAX_TAGS_PER_RESOURCE,
};
use crate::api::*;

/// The tags of one resource, in the order their keys were first given.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tags {
    by_key: IndexMap<String, String>,
}

impl Tags {
    /// The tags of a resource created with `tags`, checked as `TagResource`
    /// checks them; `arn` is the resource's, for `TooManyTags`.
    pub(crate) fn initial(arn: &str, tags: &[Tag]) -> Result<Tags, SfnError> {
        let mut initial = Tags::default();
        initial.add(arn, tags)?;
        Ok(initial)
    }

    /// Adds `tags` (a key given again takes the new value), unless one
    /// breaks a rule or the resource would hold more than
    /// [`MAX_TAGS_PER_RESOURCE`]: then nothing changes.
    fn add(&mut self, arn: &str, tags: &[Tag]) -> Result<(), SfnError> {
        check_tags(tags)?;
        // Counted before anything is copied: a call with thousands of tags
        // is refused without building them.
        let mut new_keys = 0usize;
        let mut seen = rustc_hash::FxHashSet::default();
        for tag in tags {
            if !self.by_key.contains_key(&tag.key) && seen.insert(tag.key.as_str()) {
                new_keys += 1;
                if self.by_key.len() + new_keys > MAX_TAGS_PER_RESOURCE {
                    return Err(SfnError::TooManyTags {
                        message: format!(
                            "a resource has at most {MAX_TAGS_PER_RESOURCE} tags: this one has \
                             {}, and the call adds at least {new_keys} new keys; remove some \
                             with UntagResource first",
                            self.by_key.len()
                        ),
                        resource_name: Some(arn.to_string()),
                    });
                }
            }
        }
        for tag in tags {
            self.by_key.insert(tag.key.clone(), tag.value.clone());
        }
        Ok(())
    }

    /// Removes the tags of `keys`; a key the resource lacks is no error.
    fn remove(&mut self, keys: &[String]) {
        for key in keys {
            self.by_key.shift_remove(key);
        }
    }

    /// The tags, as the API lists them.
    fn list(&self) -> Vec<Tag> {
        self.by_key
            .iter()
            .map(|(key, value)| Tag {
                key: key.clone(),
                value: value.clone(),
            })
            .collect()
    }
}

/// Whether a character may be written in a tag: a Unicode letter, digit or
/// white space, or one of `_ . : / = + - @`.
fn allowed(character: char) -> bool {
    character.is_alphanumeric()
        || character.is_whitespace()
        || matches!(character, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
}

/// Checks every tag of a call; the first that breaks a rule is refused with
/// a `ValidationException` naming it as AWS names members
/// (`tags.3.member.key`).
fn check_tags(tags: &[Tag]) -> Result<(), SfnError> {
    for (index, tag) in tags.iter().enumerate() {
        let at = format!("tags.{}.member", index + 1);
        check_key(&tag.key, &format!("{at}.key"))?;
        check_text(&tag.value, &format!("{at}.value"), 0, MAX_TAG_VALUE_LENGTH)?;
    }
    Ok(())
}

/// Checks a tag key: its length, its characters, and no `aws:` prefix.
fn check_key(key: &str, at: &str) -> Result<(), SfnError> {
    check_text(key, at, 1, MAX_TAG_KEY_LENGTH)?;
    if key
        .get(..4)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("aws:"))
    {
        return Err(SfnError::ValidationException(format!(
            "the tag key {} at '{at}' begins with `aws:`, which AWS keeps for its own tags; \
             choose another key",
            quoted(key, '`')
        )));
    }
    Ok(())
}

/// Checks a tag key's or value's length and characters.
fn check_text(text: &str, at: &str, min: usize, max: usize) -> Result<(), SfnError> {
    // Counted no further than just past the limit.
    let length = text.chars().take(max + 1).count();
    if length < min || length > max {
        return Err(SfnError::ValidationException(format!(
            "the value {} at '{at}' has {} characters; it must have {min} to {max}",
            quoted(text, '`'),
            text.chars().count()
        )));
    }
    if let Some(bad) = text.chars().find(|character| !allowed(*character)) {
        return Err(SfnError::ValidationException(format!(
            "the value {} at '{at}' holds {bad:?}; tags may hold only Unicode letters, digits, \
             white space and `_ . : / = + - @`",
            quoted(text, '`')
        )));
    }
    Ok(())
}

/// What a tag call names: an activity or a state machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Taggable {
    Activity,
    StateMachine,
}

/// The kind of resource `arn` names, or `InvalidArn` when it names neither
/// a state machine nor an activity.
fn taggable(arn: &str) -> Result<Taggable, SfnError> {
    if check_arn(arn, ResourceKind::Activity).is_ok() {
        return Ok(Taggable::Activity);
    }
    if check_arn(arn, ResourceKind::StateMachine).is_ok() {
        return Ok(Taggable::StateMachine);
    }
    Err(SfnError::InvalidArn(format!(
        "{} is not the ARN of a state machine or an activity, the resources that have tags; \
         expected `arn:aws:states:REGION:ACCOUNT:stateMachine:NAME` or \
         `arn:aws:states:REGION:ACCOUNT:activity:NAME`",
        quoted(arn, '`')
    )))
}

/// `ResourceNotFound` for `arn`.
fn not_found(arn: &str) -> SfnError {
    SfnError::ResourceNotFound {
        message: format!("no state machine or activity has the ARN `{arn}`"),
        resource_name: Some(arn.to_string()),
    }
}

impl LocalEngine {
    /// Runs `change` on the tags of the resource `arn` names.
    fn with_tags<T>(
        &self,
        arn: &str,
        change: impl FnOnce(&mut Tags) -> Result<T, SfnError>,
    ) -> Result<T, SfnError> {
        let kind = taggable(arn)?;
        let mut registry = self.shared.lock();
        let tags = match kind {
            Taggable::Activity => registry
                .activities
                .get_mut(arn)
                .map(|activity| &mut activity.tags),
            Taggable::StateMachine => registry
                .machines
                .get_mut(arn)
                .map(|machine| &mut machine.tags),
        };
        change(tags.ok_or_else(|| not_found(arn))?)
    }

    /// `ListTagsForResource`.
    pub(crate) fn list_tags(
        &self,
        input: &ListTagsForResourceInput,
    ) -> Result<ListTagsForResourceOutput, SfnError> {
        self.with_tags(&input.resource_arn, |tags| {
            Ok(ListTagsForResourceOutput { tags: tags.list() })
        })
    }

    /// `TagResource`.
    pub(crate) fn tag(&self, input: &TagResourceInput) -> Result<TagResourceOutput, SfnError> {
        let arn = input.resource_arn.as_str();
        self.with_tags(arn, |tags| {
            tags.add(arn, &input.tags)?;
            Ok(TagResourceOutput {})
        })
    }

    /// `UntagResource`.
    pub(crate) fn untag(
        &self,
        input: &UntagResourceInput,
    ) -> Result<UntagResourceOutput, SfnError> {
        for (index, key) in input.tag_keys.iter().enumerate() {
            check_text(
                key,
                &format!("tagKeys.{}.member", index + 1),
                1,
                MAX_TAG_KEY_LENGTH,
            )?;
        }
        self.with_tags(&input.resource_arn, |tags| {
            tags.remove(&input.tag_keys);
            Ok(UntagResourceOutput {})
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(key: &str, value: &str) -> Tag {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }

    const MACHINE: &str = r#"{"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}"#;
    const ROLE: &str = "arn:aws:iam::123456789012:role/run";

    async fn machine(engine: &LocalEngine, name: &str, tags: Vec<Tag>) -> Result<String, SfnError> {
        engine
            .create_state_machine(CreateStateMachineInput {
                name: name.into(),
                definition: MACHINE.into(),
                role_arn: ROLE.into(),
                tags,
                ..Default::default()
            })
            .await
            .map(|created| created.state_machine_arn)
    }

    async fn listed(engine: &LocalEngine, arn: &str) -> Result<Vec<Tag>, SfnError> {
        engine
            .list_tags_for_resource(ListTagsForResourceInput {
                resource_arn: arn.into(),
            })
            .await
            .map(|listed| listed.tags)
    }

    async fn add(engine: &LocalEngine, arn: &str, tags: Vec<Tag>) -> Result<(), SfnError> {
        engine
            .tag_resource(TagResourceInput {
                resource_arn: arn.into(),
                tags,
            })
            .await
            .map(|_| ())
    }

    #[tokio::test]
    async fn tags_given_at_creation_are_read_back_changed_and_removed() {
        let engine = LocalEngine::new();
        let arn = machine(&engine, "m", vec![tag("team", "data"), tag("env", "")])
            .await
            .expect("created");
        assert_eq!(
            listed(&engine, &arn).await.expect("listed"),
            vec![tag("team", "data"), tag("env", "")]
        );
        add(
            &engine,
            &arn,
            vec![tag("env", "prod"), tag("owner", "a@b.c")],
        )
        .await
        .expect("tagged");
        assert_eq!(
            listed(&engine, &arn).await.expect("listed"),
            vec![
                tag("team", "data"),
                tag("env", "prod"),
                tag("owner", "a@b.c")
            ]
        );
        engine
            .untag_resource(UntagResourceInput {
                resource_arn: arn.clone(),
                tag_keys: vec!["team".into(), "absent".into()],
            })
            .await
            .expect("untagged");
        assert_eq!(
            listed(&engine, &arn).await.expect("listed"),
            vec![tag("env", "prod"), tag("owner", "a@b.c")]
        );
        // Creating again with other tags is the same machine: its tags stay.
        machine(&engine, "m", vec![tag("other", "x")])
            .await
            .expect("idempotent");
        assert_eq!(listed(&engine, &arn).await.expect("listed").len(), 2);
        engine
            .delete_state_machine(DeleteStateMachineInput {
                state_machine_arn: arn.clone(),
            })
            .await
            .expect("deleted");
        let gone = listed(&engine, &arn).await.expect_err("deleted");
        assert_eq!(gone.code(), "ResourceNotFound");
        assert_eq!(gone.resource_name(), Some(arn.as_str()));
        // A machine of the same name made again starts without tags.
        machine(&engine, "m", Vec::new()).await.expect("made again");
        assert!(listed(&engine, &arn).await.expect("listed").is_empty());
    }

    #[tokio::test]
    async fn activities_have_tags_until_deleted() {
        let engine = LocalEngine::new();
        let arn = engine
            .create_activity(CreateActivityInput {
                name: "work".into(),
                tags: vec![tag("k", "v")],
            })
            .await
            .expect("created")
            .activity_arn;
        assert_eq!(
            listed(&engine, &arn).await.expect("listed"),
            vec![tag("k", "v")]
        );
        engine
            .delete_activity(DeleteActivityInput {
                activity_arn: arn.clone(),
            })
            .await
            .expect("deleted");
        assert_eq!(
            listed(&engine, &arn).await.expect_err("gone").code(),
            "ResourceNotFound"
        );
    }

    #[tokio::test]
    async fn at_most_fifty_tags_a_resource() {
        let engine = LocalEngine::new();
        let fifty: Vec<Tag> = (0..50).map(|n| tag(&format!("k{n}"), "v")).collect();
        let arn = machine(&engine, "full", fifty.clone())
            .await
            .expect("fifty tags are allowed");
        // Existing keys take new values without counting again.
        add(&engine, &arn, vec![tag("k0", "new")])
            .await
            .expect("retagged");
        let error = add(&engine, &arn, vec![tag("k50", "v")])
            .await
            .expect_err("51 tags");
        assert_eq!(error.code(), "TooManyTags");
        assert_eq!(error.resource_name(), Some(arn.as_str()));
        assert_eq!(listed(&engine, &arn).await.expect("listed").len(), 50);
        let mut fifty_one = fifty;
        fifty_one.push(tag("k50", "v"));
        let error = machine(&engine, "over", fifty_one)
            .await
            .expect_err("51 tags at creation");
        assert_eq!(error.code(), "TooManyTags");
        assert_eq!(
            error.resource_name(),
            Some("arn:aws:states:us-east-1:123456789012:stateMachine:over")
        );
        let error = engine
            .create_activity(CreateActivityInput {
                name: "many".into(),
                tags: (0..51).map(|n| tag(&format!("k{n}"), "v")).collect(),
            })
            .await
            .expect_err("51 tags on an activity");
        assert_eq!(error.code(), "TooManyTags");
        // Nothing was made.
        assert!(
            engine
                .list_activities(ListActivitiesInput::default())
                .await
                .expect("listed")
                .activities
                .is_empty()
        );
        // The same key many times is one tag.
        let arn = machine(&engine, "same", Vec::new()).await.expect("created");
        add(
            &engine,
            &arn,
            (0..1000).map(|n| tag("k", &n.to_string())).collect(),
        )
        .await
        .expect("one key");
        assert_eq!(
            listed(&engine, &arn).await.expect("listed"),
            vec![tag("k", "999")]
        );
    }

    #[tokio::test]
    async fn ten_thousand_tags_in_one_call_are_refused_at_once() {
        let engine = LocalEngine::new();
        let arn = machine(&engine, "m", Vec::new()).await.expect("created");
        let many: Vec<Tag> = (0..10_000).map(|n| tag(&format!("key{n}"), "v")).collect();
        let started = std::time::Instant::now();
        let error = add(&engine, &arn, many).await.expect_err("too many");
        assert_eq!(error.code(), "TooManyTags");
        assert!(error.message().len() < 300, "{}", error.message());
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert!(listed(&engine, &arn).await.expect("listed").is_empty());
    }

    #[tokio::test]
    async fn keys_and_values_follow_the_rules() {
        let engine = LocalEngine::new();
        let arn = machine(&engine, "m", Vec::new()).await.expect("created");
        add(
            &engine,
            &arn,
            vec![
                tag(&"k".repeat(128), &"v".repeat(256)),
                tag("ünïcødé 名前 _.:/=+-@", "ok value"),
                tag("awsx", "not the prefix"),
            ],
        )
        .await
        .expect("allowed");
        let huge = "k".repeat(2 * 1024 * 1024);
        for (bad, at) in [
            (tag("", "v"), "tags.1.member.key"),
            (tag(&"k".repeat(129), "v"), "tags.1.member.key"),
            (tag(&huge, "v"), "tags.1.member.key"),
            (tag("k", &"v".repeat(257)), "tags.1.member.value"),
            (tag("a#b", "v"), "tags.1.member.key"),
            (tag("k", "semi;colon"), "tags.1.member.value"),
            (tag("k", "new\u{0}line"), "tags.1.member.value"),
            (tag("aws:cloudformation", "v"), "tags.1.member.key"),
            (tag("AWS:x", "v"), "tags.1.member.key"),
        ] {
            let error = add(&engine, &arn, vec![tag("fine", "v"), bad.clone()])
                .await
                .expect_err("refused");
            assert_eq!(error.code(), "ValidationException", "{bad:?}");
            let at = at.replace("tags.1", "tags.2");
            assert!(error.message().contains(&at), "{bad:?}: {error}");
            assert!(error.message().len() < 500, "{}", error.message().len());
        }
        // Nothing of a refused call is kept.
        assert_eq!(listed(&engine, &arn).await.expect("listed").len(), 3);
        let error = engine
            .untag_resource(UntagResourceInput {
                resource_arn: arn.clone(),
                tag_keys: vec![String::new()],
            })
            .await
            .expect_err("empty key");
        assert_eq!(error.code(), "ValidationException");
    }

    #[tokio::test]
    async fn the_fault_injector_passes_the_calls_through() {
        use std::sync::Arc;

        let engine = LocalEngine::new();
        let arn = machine(&engine, "m", vec![tag("k", "v")])
            .await
            .expect("created");
        let injector = crate::faults::FaultInjector::builder(Arc::new(engine.clone()))
            .throttle(1.0)
            .build()
            .expect("valid settings");
        add_through(&injector, &arn).await;
        let listed = injector
            .list_tags_for_resource(ListTagsForResourceInput {
                resource_arn: arn.clone(),
            })
            .await
            .expect("not throttled");
        assert_eq!(listed.tags, vec![tag("k", "v"), tag("more", "x")]);
        injector
            .untag_resource(UntagResourceInput {
                resource_arn: arn,
                tag_keys: vec!["k".into()],
            })
            .await
            .expect("not throttled");
        let validated = injector
            .validate_state_machine_definition(ValidateStateMachineDefinitionInput {
                definition: MACHINE.into(),
                ..Default::default()
            })
            .await
            .expect("not throttled");
        assert_eq!(validated.result, ValidationResultCode::Ok);
        let error = injector
            .describe_state_machine_for_execution(DescribeStateMachineForExecutionInput {
                execution_arn: "arn:aws:states:us-east-1:123456789012:execution:m:e".into(),
            })
            .await
            .expect_err("no such execution");
        assert_eq!(error.code(), "ExecutionDoesNotExist");
    }

    async fn add_through(injector: &crate::faults::FaultInjector, arn: &str) {
        injector
            .tag_resource(TagResourceInput {
                resource_arn: arn.into(),
                tags: vec![tag("more", "x")],
            })
            .await
            .expect("not throttled");
    }

    #[tokio::test]
    async fn unknown_and_malformed_arns() {
        let engine = LocalEngine::new();
        let absent = "arn:aws:states:us-east-1:123456789012:stateMachine:absent";
        let error = listed(&engine, absent).await.expect_err("absent");
        assert_eq!(error.code(), "ResourceNotFound");
        assert_eq!(error.resource_name(), Some(absent));
        let arn = machine(&engine, "m", Vec::new()).await.expect("created");
        // A version's ARN names no resource here.
        let error = add(&engine, &format!("{arn}:1"), vec![tag("k", "v")])
            .await
            .expect_err("version");
        assert_eq!(error.code(), "ResourceNotFound");
        let other_region = "arn:aws:states:eu-west-1:123456789012:activity:a";
        assert_eq!(
            add(&engine, other_region, vec![tag("k", "v")])
                .await
                .expect_err("elsewhere")
                .code(),
            "ResourceNotFound"
        );
        let huge = format!(
            "arn:aws:states:us-east-1:1:activity:{}",
            "a".repeat(1 << 20)
        );
        for bad in [
            "",
            "nope",
            "arn:aws:lambda:us-east-1:123456789012:function:f",
            "arn:aws:states:us-east-1:123456789012:execution:m:e",
            huge.as_str(),
        ] {
            let error = listed(&engine, bad).await.expect_err("malformed");
            assert_eq!(error.code(), "InvalidArn", "{bad:.40}");
            assert!(error.message().len() < 600);
            let error = engine
                .untag_resource(UntagResourceInput {
                    resource_arn: bad.into(),
                    tag_keys: vec!["k".into()],
                })
                .await
                .expect_err("malformed");
            assert_eq!(error.code(), "InvalidArn");
        }
    }
}
