//! Lowering a parsed workflow into an Amazon States Language definition
//! (as JSON), remembering where each part was written.

use std::collections::HashMap;

use proc_macro2::Span;
use serde_json::{Map, Value};
use sfini_core::Location;

use super::activity_meta::ActivityMeta;
use super::condition;
use super::fields::{self, CATCH_FIELDS, Form, MACHINE_OPTIONS, PROCESSOR_OPTIONS, RETRY_FIELDS};
use super::literal::{Literal, Text};
use super::spans::Spans;
use super::syntax::{ErrorName, Item, Kind, Setting, StateDecl, StateList, TaskTarget, Workflow};

/// The definition, where its parts came from, and what must still be
/// checked by the compiler.
pub struct Lowered {
    pub definition: Value,
    pub spans: Spans,
    pub machine_name: String,
    /// Error names caught or retried on activity tasks, for the compiler to
    /// check against the errors each activity declares.
    pub caught: Vec<CaughtError>,
    /// Parts of the definition left incomplete because of an error already
    /// reported; validation problems inside them are not reported again.
    pub broken: Vec<Location>,
}

/// An error name written in a retrier or catcher of a task on an activity.
pub struct CaughtError {
    pub activity: syn::Path,
    pub activity_name: String,
    pub error: String,
    pub span: Span,
    /// "catch" or "retry".
    pub clause: &'static str,
}

/// Where activity tasks put an activity's ARN; filled in at registration.
pub fn activity_arn(name: &str) -> String {
    format!("arn:aws:states:${{AWS::Region}}:${{AWS::AccountId}}:activity:{name}")
}

/// The ARN of the optimised Lambda integration.
const LAMBDA_INVOKE: &str = "arn:aws:states:::lambda:invoke";

struct Lowering<'a> {
    activities: &'a HashMap<String, ActivityMeta>,
    spans: Spans,
    errors: Vec<syn::Error>,
    caught: Vec<CaughtError>,
    broken: Vec<Location>,
}

/// Lowers `workflow`, given the metadata of each activity it names (keyed
/// by the path as written), with every error met on the way. The
/// definition is complete where no error was met, so that validation can go
/// on and report the other problems too.
pub fn lower(
    workflow: &Workflow,
    activities: &HashMap<String, ActivityMeta>,
) -> (Lowered, Vec<syn::Error>) {
    let mut lowering = Lowering {
        activities,
        spans: Spans::default(),
        errors: Vec::new(),
        caught: Vec::new(),
        broken: Vec::new(),
    };
    let root = Location::root();
    let mut machine = Map::new();
    let mut machine_name = workflow.ident.to_string();
    let comment = workflow
        .docs
        .iter()
        .map(|line| line.trim())
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned();
    if !comment.is_empty() {
        machine.insert("Comment".into(), Value::String(comment));
    }
    for option in &workflow.options {
        let key = option.key.to_string();
        let span = option.value.span();
        match key.as_str() {
            "name" => match &option.value {
                Literal::String(text, _) => machine_name = text.clone(),
                other => lowering.error(span, format!("`name` is a string, not {}", other.kind())),
            },
            "comment" => lowering.put(&mut machine, &root, "Comment", &option.value),
            "timeout" => lowering.put(&mut machine, &root, "TimeoutSeconds", &option.value),
            "version" => lowering.put(&mut machine, &root, "Version", &option.value),
            other => {
                let hint =
                    sfini_core::suggest::did_you_mean(other, MACHINE_OPTIONS.iter().copied());
                lowering.error(
                    option.key.span(),
                    format!(
                        "unknown workflow option `{other}`{hint} (the options are {})",
                        MACHINE_OPTIONS.join(", ")
                    ),
                );
            }
        }
    }
    validate_machine_name(
        &machine_name,
        &workflow.options,
        workflow.ident.span(),
        &mut lowering,
    );
    lowering.spans.record(&root, workflow.ident.span());
    lowering.scope(&workflow.states, &root, &mut machine);
    let lowered = Lowered {
        definition: Value::Object(machine),
        spans: lowering.spans,
        machine_name,
        caught: lowering.caught,
        broken: lowering.broken,
    };
    (lowered, lowering.errors)
}

fn validate_machine_name(
    name: &str,
    options: &[Setting],
    ident_span: Span,
    lowering: &mut Lowering<'_>,
) {
    let span = options
        .iter()
        .find(|option| option.key == "name")
        .map_or(ident_span, |option| option.value.span());
    if let Err(message) = sfini_core::resource_name::check_resource_name("state machine", name) {
        lowering.error(span, message);
    }
}

impl Lowering<'_> {
    fn error(&mut self, span: Span, message: impl std::fmt::Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Writes `StartAt` and `States` of a list of states into `out`.
    fn scope(&mut self, list: &StateList, location: &Location, out: &mut Map<String, Value>) {
        let Some(first) = list.states.first() else {
            self.error(list.span, "a workflow needs at least one state");
            return;
        };
        out.insert("StartAt".into(), Value::String(first.name.text.clone()));
        self.spans
            .record(&location.field("StartAt"), first.name.span);
        let states_location = location.field("States");
        self.spans.record(&states_location, list.span);
        let mut states = Map::new();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for (index, decl) in list.states.iter().enumerate() {
            if seen.insert(&decl.name.text, decl.name.span).is_some() {
                self.error(
                    decl.name.span,
                    format!(
                        "the state `{}` is defined twice in this list",
                        decl.name.text
                    ),
                );
                continue;
            }
            let following = list.states.get(index + 1).map(|next| &next.name);
            let state_location = states_location.field(decl.name.text.clone());
            self.spans.record(&state_location, decl.name.span);
            let state = self.state(decl, following, &state_location);
            states.insert(decl.name.text.clone(), Value::Object(state));
        }
        out.insert("States".into(), Value::Object(states));
    }

    fn state(
        &mut self,
        decl: &StateDecl,
        following: Option<&Text>,
        location: &Location,
    ) -> Map<String, Value> {
        let mut state = Map::new();
        state.insert("Type".into(), Value::String(decl.kind.asl_type().into()));
        self.spans.record(&location.field("Type"), decl.kind_span);
        let mut activity: Option<(&syn::Path, &ActivityMeta)> = None;
        match &decl.kind {
            Kind::Task(TaskTarget::Resource(arn)) => {
                state.insert("Resource".into(), Value::String(arn.value()));
                self.spans.record(&location.field("Resource"), arn.span());
            }
            Kind::Task(TaskTarget::Activity(path)) => {
                let key = path_key(path);
                match self.activities.get(&key) {
                    Some(meta) => {
                        state.insert("Resource".into(), Value::String(activity_arn(&meta.name)));
                        activity = Some((path, meta));
                    }
                    None => {
                        self.broken.push(location.clone());
                        self.error(
                            decl.kind_span,
                            format!("the activity `{key}` was not resolved; is it an `#[activity]` function?"),
                        );
                    }
                }
                self.spans
                    .record(&location.field("Resource"), decl.kind_span);
            }
            Kind::Lambda(function) => {
                state.insert("Resource".into(), Value::String(LAMBDA_INVOKE.into()));
                self.spans
                    .record(&location.field("Resource"), function.span());
            }
            _ => {}
        }
        let mut has_next = false;
        let mut has_end = false;
        let mut parameters: Option<&Literal> = None;
        let mut parameters_key: Option<Span> = None;
        let mut choices = Vec::new();
        let mut branches = Vec::new();
        let mut retriers = Vec::new();
        let mut catchers = Vec::new();
        for item in &decl.body {
            match item {
                Item::Field(setting) => {
                    let name = setting.key.to_string();
                    let spec = match fields::field(&decl.kind, &name) {
                        Ok(spec) => spec,
                        Err(message) => {
                            self.error(setting.key.span(), message);
                            continue;
                        }
                    };
                    if state.contains_key(spec.asl)
                        || spec.asl_path.is_some_and(|path| state.contains_key(path))
                    {
                        self.error(setting.key.span(), format!("`{name}` is given twice"));
                        continue;
                    }
                    match spec.form {
                        Form::Next => match state_name(&setting.value) {
                            Some(target) => {
                                has_next = true;
                                self.spans.record(&location.field("Next"), target.span);
                                state.insert("Next".into(), Value::String(target.text));
                            }
                            None => self.error(
                                setting.value.span(),
                                format!("`next` names a state, not {}", setting.value.kind()),
                            ),
                        },
                        Form::End => match &setting.value {
                            Literal::Bool(true, span) => {
                                has_end = true;
                                self.spans.record(&location.field("End"), *span);
                                state.insert("End".into(), Value::Bool(true));
                            }
                            other => self.error(
                                other.span(),
                                "write `end: true` to end the workflow here, or leave `end` out",
                            ),
                        },
                        Form::NullablePath | Form::Json | Form::Text => {
                            if spec.asl == "Parameters" {
                                parameters = Some(&setting.value);
                                parameters_key = Some(setting.key.span());
                                if matches!(decl.kind, Kind::Lambda(_)) {
                                    continue;
                                }
                            }
                            if spec.form == Form::Text
                                && !matches!(setting.value, Literal::String(..))
                            {
                                self.error(
                                    setting.value.span(),
                                    format!("`{name}` is a string, not {}", setting.value.kind()),
                                );
                                continue;
                            }
                            self.put(&mut state, location, spec.asl, &setting.value);
                        }
                        Form::NumberOrPath => {
                            let asl = match (&setting.value, spec.asl_path) {
                                (Literal::String(text, _), Some(path)) if text.starts_with('$') => {
                                    path
                                }
                                _ => spec.asl,
                            };
                            self.put(&mut state, location, asl, &setting.value);
                        }
                        Form::TextOrPath => {
                            let asl = match (&setting.value, spec.asl_path) {
                                (Literal::String(text, _), Some(path))
                                    if text.starts_with('$') || text.starts_with("States.") =>
                                {
                                    path
                                }
                                _ => spec.asl,
                            };
                            self.put(&mut state, location, asl, &setting.value);
                        }
                        Form::TimestampOrPath => {
                            let asl = match (&setting.value, spec.asl_path) {
                                (Literal::String(text, _), Some(path)) if text.starts_with('$') => {
                                    path
                                }
                                _ => spec.asl,
                            };
                            self.put(&mut state, location, asl, &setting.value);
                        }
                    }
                }
                Item::Rule { condition, next } => {
                    if !matches!(decl.kind, Kind::Choice) {
                        self.error(next.span, "conditions belong to choice states");
                        continue;
                    }
                    let rule_location = location.field("Choices").index(choices.len());
                    let before = self.errors.len();
                    let mut rule = condition::lower(
                        condition,
                        &rule_location,
                        &mut self.spans,
                        &mut self.errors,
                    );
                    if self.errors.len() > before {
                        self.broken.push(rule_location.clone());
                    }
                    self.spans.record(&rule_location.field("Next"), next.span);
                    rule.insert("Next".into(), Value::String(next.text.clone()));
                    choices.push(Value::Object(rule));
                }
                Item::Default { underscore, next } => {
                    if !matches!(decl.kind, Kind::Choice) {
                        self.error(*underscore, "`_ => state` belongs to choice states");
                        continue;
                    }
                    if state.contains_key("Default") {
                        self.error(*underscore, "a choice has one default (`_ => state`)");
                        continue;
                    }
                    self.spans.record(&location.field("Default"), next.span);
                    state.insert("Default".into(), Value::String(next.text.clone()));
                }
                Item::Branch { keyword, states } => {
                    if !matches!(decl.kind, Kind::Parallel) {
                        self.error(*keyword, "`branch { ... }` belongs to parallel states");
                        continue;
                    }
                    let branch_location = location.field("Branches").index(branches.len());
                    self.spans.record(&branch_location, *keyword);
                    let mut branch = Map::new();
                    self.scope(states, &branch_location, &mut branch);
                    branches.push(Value::Object(branch));
                }
                Item::Processor {
                    keyword,
                    options,
                    states,
                } => {
                    if !matches!(decl.kind, Kind::Map) {
                        self.error(*keyword, "`processor { ... }` belongs to map states");
                        continue;
                    }
                    if state.contains_key("ItemProcessor") {
                        self.error(*keyword, "a map has one processor");
                        continue;
                    }
                    let processor_location = location.field("ItemProcessor");
                    self.spans.record(&processor_location, *keyword);
                    let mut processor = Map::new();
                    let mut config = Map::new();
                    for option in options {
                        let key = option.key.to_string();
                        match PROCESSOR_OPTIONS.iter().find(|(name, _)| *name == key) {
                            Some((_, asl)) => {
                                let value = match &option.value {
                                    Literal::Word(word) => {
                                        Value::String(word.to_string().to_uppercase())
                                    }
                                    Literal::String(text, _) => Value::String(text.clone()),
                                    other => {
                                        self.error(other.span(), format!("`{key}` is a word such as `inline` or `distributed`, not {}", other.kind()));
                                        continue;
                                    }
                                };
                                self.spans.record(
                                    &processor_location.field("ProcessorConfig").field(*asl),
                                    option.value.span(),
                                );
                                config.insert((*asl).into(), value);
                            }
                            None => {
                                let names: Vec<&str> =
                                    PROCESSOR_OPTIONS.iter().map(|(name, _)| *name).collect();
                                let hint =
                                    sfini_core::suggest::did_you_mean(&key, names.iter().copied());
                                self.error(option.key.span(), format!("unknown processor option `{key}`{hint} (the options are {})", names.join(", ")));
                            }
                        }
                    }
                    if !config.is_empty() {
                        processor.insert("ProcessorConfig".into(), Value::Object(config));
                    }
                    self.scope(states, &processor_location, &mut processor);
                    state.insert("ItemProcessor".into(), Value::Object(processor));
                }
                Item::Retry(retrier) => {
                    if !decl.kind.handles_errors() {
                        self.error(retrier.keyword, format!("`retry` belongs to task, lambda, parallel and map states, not {} states", decl.kind.keyword()));
                        continue;
                    }
                    let retry_location = location.field("Retry").index(retriers.len());
                    self.spans.record(&retry_location, retrier.keyword);
                    let mut out = Map::new();
                    out.insert(
                        "ErrorEquals".into(),
                        self.error_names(
                            &retrier.errors,
                            retrier.errors_span,
                            &retry_location,
                            activity,
                            "retry",
                        ),
                    );
                    for setting in &retrier.fields {
                        let key = setting.key.to_string();
                        match RETRY_FIELDS
                            .iter()
                            .find(|(name, _)| *name == key)
                            .or_else(|| (key == "backoff").then_some(&("backoff", "BackoffRate")))
                        {
                            Some((_, "JitterStrategy")) => {
                                let value = match &setting.value {
                                    Literal::Word(word) => Literal::String(
                                        word.to_string().to_uppercase(),
                                        word.span(),
                                    ),
                                    other => other.clone(),
                                };
                                self.put(&mut out, &retry_location, "JitterStrategy", &value);
                            }
                            Some((_, asl)) => {
                                self.put(&mut out, &retry_location, asl, &setting.value)
                            }
                            None => {
                                let names: Vec<&str> =
                                    RETRY_FIELDS.iter().map(|(name, _)| *name).collect();
                                let hint =
                                    sfini_core::suggest::did_you_mean(&key, names.iter().copied());
                                self.error(
                                    setting.key.span(),
                                    format!(
                                        "unknown retry field `{key}`{hint} (the fields are {})",
                                        names.join(", ")
                                    ),
                                );
                            }
                        }
                    }
                    retriers.push(Value::Object(out));
                }
                Item::Catch(catcher) => {
                    if !decl.kind.handles_errors() {
                        self.error(catcher.keyword, format!("`catch` belongs to task, lambda, parallel and map states, not {} states", decl.kind.keyword()));
                        continue;
                    }
                    let catch_location = location.field("Catch").index(catchers.len());
                    self.spans.record(&catch_location, catcher.keyword);
                    let mut out = Map::new();
                    out.insert(
                        "ErrorEquals".into(),
                        self.error_names(
                            &catcher.errors,
                            catcher.errors_span,
                            &catch_location,
                            activity,
                            "catch",
                        ),
                    );
                    self.spans
                        .record(&catch_location.field("Next"), catcher.next.span);
                    out.insert("Next".into(), Value::String(catcher.next.text.clone()));
                    for setting in &catcher.fields {
                        let key = setting.key.to_string();
                        match CATCH_FIELDS.iter().find(|(name, _)| *name == key) {
                            Some((_, asl)) => {
                                self.put(&mut out, &catch_location, asl, &setting.value)
                            }
                            None => {
                                let names: Vec<&str> =
                                    CATCH_FIELDS.iter().map(|(name, _)| *name).collect();
                                let hint =
                                    sfini_core::suggest::did_you_mean(&key, names.iter().copied());
                                self.error(
                                    setting.key.span(),
                                    format!(
                                        "unknown catch field `{key}`{hint} (the fields are {})",
                                        names.join(", ")
                                    ),
                                );
                            }
                        }
                    }
                    catchers.push(Value::Object(out));
                }
            }
        }
        if !choices.is_empty() {
            state.insert("Choices".into(), Value::Array(choices));
        } else if matches!(decl.kind, Kind::Choice) {
            self.broken.push(location.clone());
            self.error(
                decl.kind_span,
                "a choice needs at least one rule, as in `\"$.count\" < 10 => again`",
            );
        }
        if !branches.is_empty() {
            state.insert("Branches".into(), Value::Array(branches));
        } else if matches!(decl.kind, Kind::Parallel) {
            self.broken.push(location.clone());
            self.error(
                decl.kind_span,
                "a parallel state needs at least one `branch { ... }`",
            );
        }
        if matches!(decl.kind, Kind::Map) && !state.contains_key("ItemProcessor") {
            self.broken.push(location.clone());
            self.error(
                decl.kind_span,
                "a map state needs a `processor { ... }` to run for each item",
            );
        }
        if !retriers.is_empty() {
            state.insert("Retry".into(), Value::Array(retriers));
        }
        if !catchers.is_empty() {
            state.insert("Catch".into(), Value::Array(catchers));
        }
        if let Kind::Lambda(function) = &decl.kind {
            let mut invoke = Map::new();
            invoke.insert("FunctionName".into(), Value::String(function.value()));
            match parameters {
                Some(payload) => {
                    record_literal(
                        &mut self.spans,
                        &location.field("Parameters").field("Payload"),
                        payload,
                    );
                    invoke.insert("Payload".into(), payload.to_json());
                }
                None => {
                    invoke.insert("Payload.$".into(), Value::String("$".into()));
                }
            }
            self.spans
                .record(&location.field("Parameters"), function.span());
            state.insert("Parameters".into(), Value::Object(invoke));
        }
        if let Some((path, meta)) = activity {
            self.check_activity_use(path, meta, parameters, parameters_key);
            if !state.contains_key("TimeoutSeconds")
                && !state.contains_key("TimeoutSecondsPath")
                && let Some(seconds) = meta.timeout_seconds
            {
                state.insert("TimeoutSeconds".into(), Value::from(seconds));
            }
            if !state.contains_key("HeartbeatSeconds")
                && !state.contains_key("HeartbeatSecondsPath")
                && let Some(seconds) = meta.heartbeat_seconds
            {
                state.insert("HeartbeatSeconds".into(), Value::from(seconds));
            }
        }
        if decl.kind.flows() && !has_next && !has_end {
            match following {
                Some(next) => {
                    state.insert("Next".into(), Value::String(next.text.clone()));
                }
                None => {
                    state.insert("End".into(), Value::Bool(true));
                }
            }
        }
        if has_next && has_end {
            self.error(
                decl.name.span,
                format!(
                    "the state `{}` has both `next` and `end`; keep one",
                    decl.name.text
                ),
            );
        }
        state
    }

    /// Writes a field's value and remembers where each part of it was written.
    fn put(
        &mut self,
        out: &mut Map<String, Value>,
        location: &Location,
        asl: &str,
        value: &Literal,
    ) {
        let field = location.field(asl);
        record_literal(&mut self.spans, &field, value);
        out.insert(asl.into(), value.to_json());
    }

    fn error_names(
        &mut self,
        errors: &[ErrorName],
        span: Span,
        location: &Location,
        activity: Option<(&syn::Path, &ActivityMeta)>,
        clause: &'static str,
    ) -> Value {
        let list = location.field("ErrorEquals");
        self.spans.record(&list, span);
        if errors.is_empty() {
            self.broken.push(list.clone());
            self.error(
                span,
                format!("name the errors to {clause}, as in `{clause} [\"States.ALL\"]`"),
            );
        }
        let mut names = Vec::new();
        for (index, error) in errors.iter().enumerate() {
            self.spans.record(&list.index(index), error.span);
            names.push(Value::String(error.name.clone()));
            if let Some((path, _)) = activity
                && !error.name.starts_with("States.")
            {
                self.caught.push(CaughtError {
                    activity: path.clone(),
                    activity_name: path_key(path),
                    error: error.name.clone(),
                    span: error.span,
                    clause,
                });
            }
        }
        Value::Array(names)
    }

    /// The checks that need the activity: its arguments against the
    /// state's Parameters.
    fn check_activity_use(
        &mut self,
        path: &syn::Path,
        meta: &ActivityMeta,
        parameters: Option<&Literal>,
        parameters_key: Option<Span>,
    ) {
        let (Some(Literal::Object(entries, _)), Some(key_span)) = (parameters, parameters_key)
        else {
            return;
        };
        if meta.takes_whole_input {
            return;
        }
        let activity = path_key(path);
        let names: Vec<&str> = meta
            .arguments
            .iter()
            .map(|argument| argument.name.as_str())
            .collect();
        let given: Vec<&str> = entries
            .iter()
            .map(|(key, _)| key.text.strip_suffix(".$").unwrap_or(&key.text))
            .collect();
        for (key, _) in entries {
            let name = key.text.strip_suffix(".$").unwrap_or(&key.text);
            if !names.contains(&name) {
                let hint = sfini_core::suggest::did_you_mean(name, names.iter().copied());
                let takes = if names.is_empty() {
                    "it takes no arguments".to_owned()
                } else {
                    format!(
                        "it takes {}",
                        names
                            .iter()
                            .map(|name| format!("`{name}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                self.error(
                    key.span,
                    format!("the activity `{activity}` has no argument `{name}`{hint} ({takes})"),
                );
            }
        }
        let missing: Vec<String> = meta
            .arguments
            .iter()
            .filter(|argument| argument.required && !given.contains(&argument.name.as_str()))
            .map(|argument| format!("`{}`", argument.name))
            .collect();
        if !missing.is_empty() {
            self.error(
                key_span,
                format!(
                    "these parameters miss {} that the activity `{activity}` requires: {}",
                    if missing.len() == 1 {
                        "an argument"
                    } else {
                        "arguments"
                    },
                    missing.join(", ")
                ),
            );
        }
    }
}

impl Kind {
    /// True for states that go on to a next state (or end).
    fn flows(&self) -> bool {
        matches!(
            self,
            Kind::Task(_) | Kind::Lambda(_) | Kind::Pass | Kind::Wait | Kind::Parallel | Kind::Map
        )
    }

    /// True for states that take Retry and Catch.
    fn handles_errors(&self) -> bool {
        matches!(
            self,
            Kind::Task(_) | Kind::Lambda(_) | Kind::Parallel | Kind::Map
        )
    }
}

/// A state name given as a value: an identifier or a string.
fn state_name(value: &Literal) -> Option<Text> {
    match value {
        Literal::Word(word) => Some(Text {
            text: syn::ext::IdentExt::unraw(word).to_string(),
            span: word.span(),
        }),
        Literal::String(text, span) => Some(Text {
            text: text.clone(),
            span: *span,
        }),
        _ => None,
    }
}

/// Remembers the span of a value and of every part inside it.
fn record_literal(spans: &mut Spans, location: &Location, value: &Literal) {
    spans.record(location, value.span());
    match value {
        Literal::Object(fields, _) => {
            for (key, inner) in fields {
                record_literal(spans, &location.field(key.text.clone()), inner);
            }
        }
        Literal::Array(items, _) => {
            for (index, inner) in items.iter().enumerate() {
                record_literal(spans, &location.index(index), inner);
            }
        }
        _ => {}
    }
}

/// How an activity path is known: its tokens, without spaces.
pub fn path_key(path: &syn::Path) -> String {
    quote::quote!(#path).to_string().replace(' ', "")
}
