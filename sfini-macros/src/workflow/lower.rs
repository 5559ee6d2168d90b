//! Lowering a parsed workflow into an Amazon States Language definition
//! (as JSON), remembering where each part was written.

use std::collections::HashMap;

use proc_macro2::Span;
use serde_json::{Map, Value};
use sfini_core::Location;
use sfini_core::model::QueryLanguage;

use super::Known;
use super::activity_meta::ActivityMeta;
use super::condition;
use super::fields::{
    self, CATCH_FIELDS, Form, MACHINE_OPTIONS, PROCESSOR_OPTIONS, RETRY_FIELDS, RULE_FIELDS,
};
use super::literal::{Literal, Text};
use super::spans::Spans;
use super::syntax::{ErrorName, Item, Kind, Setting, StateDecl, StateList, TaskTarget, Workflow};
use super::warning::{Warning, WarningKind};

/// The definition, where its parts came from, and what must still be
/// checked by the compiler.
pub struct Lowered {
    pub definition: Value,
    pub spans: Spans,
    pub machine_name: String,
    /// Parts of the definition left incomplete because of an error already
    /// reported; validation problems inside them are not reported again.
    pub broken: Vec<Location>,
    /// What may be a mistake, but is not an error.
    pub warnings: Vec<Warning>,
    /// The warnings silenced for the whole workflow.
    pub allowed: Vec<WarningKind>,
    /// The warnings silenced on each state, by the state's location.
    pub allowed_on: HashMap<Location, Vec<WarningKind>>,
    /// The states that follow, in their list, a state that does not go on
    /// to them: (the state's location, the span of what stops the flow
    /// there, its name), for one error where they are all unreachable.
    pub cut_after: Vec<Cut>,
    /// Every state: its name, location and where its name is written.
    pub state_spans: Vec<(String, Location, Span)>,
    /// True when a state was left out for an error already reported (a
    /// duplicate name): where the flow leads is then not judged.
    pub flow_broken: bool,
}

/// States written after a state that does not lead to the next one.
pub struct Cut {
    /// The states after the cut, in order.
    pub following: Vec<Location>,
    /// What ends the flow there: `end: true`, a `next`, a terminal state.
    pub span: Span,
    /// The state that stops, and why, for the message.
    pub why: String,
}

/// Where activity tasks put an activity's ARN; filled in at registration.
pub fn activity_arn(name: &str) -> String {
    format!("arn:aws:states:${{AWS::Region}}:${{AWS::AccountId}}:activity:{name}")
}

/// The ARN of the optimised Lambda integration.
const LAMBDA_INVOKE: &str = "arn:aws:states:::lambda:invoke";

struct Lowering<'a> {
    known: &'a Known,
    spans: Spans,
    errors: Vec<syn::Error>,
    broken: Vec<Location>,
    warnings: Vec<Warning>,
    allowed_on: HashMap<Location, Vec<WarningKind>>,
    cut_after: Vec<Cut>,
    /// The activity each ASL name stands for so far: its identity and the
    /// path that named it first.
    activity_names: HashMap<String, (String, String)>,
    state_spans: Vec<(String, Location, Span)>,
    flow_broken: bool,
    /// The machine's query language, which every state speaks unless it
    /// names its own (the states of branches and processors included).
    language: QueryLanguage,
}

/// Lowers `workflow`, given the metadata of each activity it names (keyed
/// by the path as written), with every error met on the way. The
/// definition is complete where no error was met, so that validation can go
/// on and report the other problems too.
pub fn lower(workflow: &Workflow, known: &Known) -> (Lowered, Vec<syn::Error>) {
    let mut lowering = Lowering {
        known,
        spans: Spans::default(),
        errors: Vec::new(),
        broken: Vec::new(),
        warnings: Vec::new(),
        allowed_on: HashMap::new(),
        cut_after: Vec::new(),
        activity_names: HashMap::new(),
        state_spans: Vec::new(),
        flow_broken: false,
        language: QueryLanguage::JsonPath,
    };
    let mut allowed = Vec::new();
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
            "query_language" => {
                if let Some(language) = lowering.language_of(&option.value) {
                    lowering.language = language;
                    lowering
                        .spans
                        .record(&root.field("QueryLanguage"), option.value.span());
                    machine.insert(
                        "QueryLanguage".into(),
                        Value::String(language.as_str().into()),
                    );
                }
            }
            "allow" => allowed = lowering.allow_list(&option.value),
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
        broken: lowering.broken,
        warnings: lowering.warnings,
        allowed,
        allowed_on: lowering.allowed_on,
        cut_after: lowering.cut_after,
        state_spans: lowering.state_spans,
        flow_broken: lowering.flow_broken,
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

impl<'a> Lowering<'a> {
    fn error(&mut self, span: Span, message: impl std::fmt::Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// A query language written as a value: `jsonata` or `jsonpath`.
    fn language_of(&mut self, value: &Literal) -> Option<QueryLanguage> {
        let text = match value {
            Literal::Word(word) => word.to_string(),
            Literal::String(text, _) => text.clone(),
            other => {
                self.error(
                    other.span(),
                    format!(
                        "a query language is `jsonata` or `jsonpath`, not {}",
                        other.kind()
                    ),
                );
                return None;
            }
        };
        let language = fields::query_language(&text);
        if language.is_none() {
            let hint = sfini_core::suggest::did_you_mean(&text, ["jsonata", "jsonpath"]);
            self.error(
                value.span(),
                format!("unknown query language `{text}`{hint} (it is `jsonata` or `jsonpath`)"),
            );
        }
        language
    }

    /// Writes `StartAt` and `States` of a list of states into `out`.
    fn scope(&mut self, list: &StateList, location: &Location, out: &mut Map<String, Value>) {
        let Some(first) = list.states.first() else {
            self.error(list.span, "a workflow needs at least one state");
            // What follows from it (no StartAt, no States) is not said again.
            self.broken.push(location.clone());
            return;
        };
        out.insert("StartAt".into(), Value::String(first.name.text.clone()));
        self.spans
            .record(&location.field("StartAt"), first.name.span);
        let states_location = location.field("States");
        self.spans.record(&states_location, list.span);
        let mut states = Map::new();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut cut: Option<Cut> = None;
        for (index, decl) in list.states.iter().enumerate() {
            if let Some(first) = seen.get(decl.name.text.as_str()) {
                self.flow_broken = true;
                self.error(
                    decl.name.span,
                    format!(
                        "the state `{}` is defined twice in this list: first {}; rename one of them",
                        decl.name.text,
                        where_written(*first)
                    ),
                );
                continue;
            }
            seen.insert(&decl.name.text, decl.name.span);
            let following = list.states.get(index + 1).map(|next| &next.name);
            let state_location = states_location.field(decl.name.text.clone());
            self.spans.record(&state_location, decl.name.span);
            self.state_spans.push((
                decl.name.text.clone(),
                state_location.clone(),
                decl.name.span,
            ));
            if let Some(cut) = &mut cut {
                cut.following.push(state_location.clone());
            }
            let (state, exit) = self.state(decl, following, &state_location);
            let flows_on = following.is_some_and(|following| {
                state.get("Next").and_then(Value::as_str) == Some(following.text.as_str())
            });
            if let (Some(_), false) = (following, flows_on) {
                if let Some(done) = cut.take() {
                    self.cut_after.push(done);
                }
                cut = Some(Cut {
                    following: Vec::new(),
                    span: exit.span().unwrap_or(decl.kind_span),
                    why: exit.why(decl),
                });
            }
            states.insert(decl.name.text.clone(), Value::Object(state));
        }
        if let Some(done) = cut {
            self.cut_after.push(done);
        }
        out.insert("States".into(), Value::Object(states));
    }

    fn state(
        &mut self,
        decl: &StateDecl,
        following: Option<&Text>,
        location: &Location,
    ) -> (Map<String, Value>, Exit) {
        let mut state = Map::new();
        let mut exit = Exit::default();
        // The state's own language, read first: what its fields mean
        // depends on it. A misspelt one is reported with its field.
        let language = decl
            .body
            .iter()
            .find_map(|item| match item {
                Item::Field(setting) if setting.key == "query_language" => match &setting.value {
                    Literal::Word(word) => fields::query_language(&word.to_string()),
                    Literal::String(text, _) => fields::query_language(text),
                    _ => None,
                },
                _ => None,
            })
            .unwrap_or(self.language);
        let jsonata = language == QueryLanguage::Jsonata;
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
                match self.known.activities.get(&key) {
                    Some(meta) => {
                        self.one_activity_per_name(meta, &key, syn::spanned::Spanned::span(path));
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
        let mut parameters: Option<Literal> = None;
        let mut item_selector: Option<(Literal, Span)> = None;
        let mut parameters_key: Option<Span> = None;
        let mut choices = Vec::new();
        let mut branches = Vec::new();
        let mut retriers = Vec::new();
        let mut catchers = Vec::new();
        let within = if matches!(decl.kind, Kind::Parallel | Kind::Map) {
            self.activities_within(decl)
        } else {
            None
        };
        let raiser = match (activity, within) {
            (Some((path, meta)), _) => Raiser::Activity(path, meta),
            (None, Some(metas)) => Raiser::Within(&decl.name.text, location, metas),
            (None, None) => Raiser::Unknown,
        };
        for item in &decl.body {
            match item {
                Item::Field(setting) if setting.key == "allow" => {
                    let kinds = self.allow_list(&setting.value);
                    self.allowed_on
                        .entry(location.clone())
                        .or_default()
                        .extend(kinds);
                }
                Item::Field(setting) => {
                    let name = setting.key.to_string();
                    let spec = match fields::field(&decl.kind, &name, language) {
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
                        Form::Language => {
                            if let Some(language) = self.language_of(&setting.value) {
                                self.spans
                                    .record(&location.field("QueryLanguage"), setting.value.span());
                                state.insert(
                                    "QueryLanguage".into(),
                                    Value::String(language.as_str().into()),
                                );
                            }
                        }
                        Form::Next => match state_name(&setting.value) {
                            Some(target) => {
                                has_next = true;
                                exit.next = Some((target.span, target.text.clone()));
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
                                exit.end = Some(*span);
                                self.spans.record(&location.field("End"), *span);
                                state.insert("End".into(), Value::Bool(true));
                            }
                            other => self.error(
                                other.span(),
                                "write `end: true` to end the workflow here, or leave `end` out",
                            ),
                        },
                        Form::NullablePath | Form::Json | Form::Text => {
                            let value = self.in_language(&setting.value, spec.asl, language);
                            if jsonata {
                                if matches!(
                                    spec.asl,
                                    "Arguments" | "Output" | "Assign" | "Items" | "ItemSelector"
                                ) {
                                    self.warn_jsonpath_text(&value, location);
                                }
                            } else if matches!(
                                spec.asl,
                                "Parameters" | "ResultSelector" | "ItemSelector"
                            ) {
                                self.warn_path_like_text(&value, location);
                            }
                            if spec.asl == "ItemSelector" {
                                item_selector = Some((value.clone(), setting.key.span()));
                            }
                            if matches!(spec.asl, "Parameters" | "Arguments") {
                                parameters = Some(value.clone());
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
                            self.put(&mut state, location, spec.asl, &value);
                        }
                        Form::NumberOrPath | Form::TextOrPath | Form::TimestampOrPath => {
                            self.setting(
                                &mut state,
                                location,
                                spec,
                                &name,
                                &setting.value,
                                language,
                            );
                        }
                    }
                }
                Item::Rule {
                    condition,
                    next,
                    fields,
                } => {
                    if !matches!(decl.kind, Kind::Choice) {
                        self.error(next.span, "conditions belong to choice states");
                        continue;
                    }
                    let rule_location = location.field("Choices").index(choices.len());
                    let before = self.errors.len();
                    let mut rule = if jsonata {
                        let mut rule = Map::new();
                        let span = condition.span();
                        self.spans.record(&rule_location, span);
                        self.spans.record_range(
                            &rule_location.field("Condition"),
                            span,
                            condition.end(),
                        );
                        if let Some(text) = condition::to_jsonata(condition, &mut self.errors) {
                            rule.insert(
                                "Condition".into(),
                                Value::String(format!("{{% {text} %}}")),
                            );
                        }
                        rule
                    } else {
                        let rule = condition::lower(
                            condition,
                            &rule_location,
                            &mut self.spans,
                            &mut self.errors,
                        );
                        self.warn_numeric_text(&rule, &rule_location, location);
                        rule
                    };
                    if self.errors.len() > before {
                        self.broken.push(rule_location.clone());
                    }
                    self.spans.record(&rule_location.field("Next"), next.span);
                    rule.insert("Next".into(), Value::String(next.text.clone()));
                    self.clause_fields(
                        &mut rule,
                        &rule_location,
                        fields,
                        Clause::Rule,
                        language,
                        location,
                    );
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
                            &raiser,
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
                            &raiser,
                            "catch",
                        ),
                    );
                    self.spans
                        .record(&catch_location.field("Next"), catcher.next.span);
                    out.insert("Next".into(), Value::String(catcher.next.text.clone()));
                    self.clause_fields(
                        &mut out,
                        &catch_location,
                        &catcher.fields,
                        Clause::Catch,
                        language,
                        location,
                    );
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
            let field = if jsonata { "Arguments" } else { "Parameters" };
            let mut invoke = Map::new();
            invoke.insert("FunctionName".into(), Value::String(function.value()));
            match &parameters {
                Some(payload) => {
                    record_literal(
                        &mut self.spans,
                        &location.field(field).field("Payload"),
                        payload,
                    );
                    invoke.insert("Payload".into(), payload.to_json());
                }
                None if jsonata => {
                    invoke.insert(
                        "Payload".into(),
                        Value::String("{% $states.input %}".into()),
                    );
                }
                None => {
                    invoke.insert("Payload.$".into(), Value::String("$".into()));
                }
            }
            self.spans.record(&location.field(field), function.span());
            state.insert(field.into(), Value::Object(invoke));
        }
        if let Some((selector, key_span)) = &item_selector
            && let Some((path, meta)) = self.processor_activity(decl)
        {
            self.check_activity_use(
                &path,
                meta,
                Some(selector),
                Some(*key_span),
                "this item_selector misses",
            );
        }
        if let Some((path, meta)) = activity {
            let what = if jsonata {
                "these arguments leave out"
            } else {
                "these parameters miss"
            };
            self.check_activity_use(path, meta, parameters.as_ref(), parameters_key, what);
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
                exit.end.unwrap_or(decl.name.span),
                format!(
                    "the state `{}` has both `next` and `end`; keep one",
                    decl.name.text
                ),
            );
            // Reported once: the validator is not told of the conflict.
            state.remove("End");
            exit.end = None;
        }
        exit.terminal = matches!(decl.kind, Kind::Succeed | Kind::Fail);
        exit.choice = matches!(decl.kind, Kind::Choice);
        (state, exit)
    }

    /// Writes a field's value and remembers where each part of it was written.
    /// A field's value as the state's query language reads it. In a
    /// JSONPath payload template (Parameters, ResultSelector,
    /// ItemSelector, Assign, Credentials), `key: $name.field` is the path
    /// `"key.$": "$name.field"`; a reference anywhere else in a JSONPath
    /// state is an error. In a JSONata state a reference is an expression.
    fn in_language(&mut self, value: &Literal, asl: &str, language: QueryLanguage) -> Literal {
        if language == QueryLanguage::Jsonata {
            return value.clone();
        }
        let template = matches!(
            asl,
            "Parameters" | "ResultSelector" | "ItemSelector" | "Assign" | "Credentials"
        );
        self.jsonpath_references(value, template, asl)
    }

    fn jsonpath_references(&mut self, value: &Literal, template: bool, asl: &str) -> Literal {
        match value {
            Literal::Object(fields, span) => {
                let fields = fields
                    .iter()
                    .map(|(key, field)| match field {
                        Literal::Reference(text, at, _) if template => (
                            Text {
                                text: format!("{}.$", key.text),
                                span: key.span,
                            },
                            Literal::String(text.clone(), *at),
                        ),
                        other => (key.clone(), self.jsonpath_references(other, template, asl)),
                    })
                    .collect();
                Literal::Object(fields, *span)
            }
            Literal::Array(items, span) => Literal::Array(
                items
                    .iter()
                    .map(|item| self.jsonpath_references(item, template, asl))
                    .collect(),
                *span,
            ),
            Literal::Reference(text, span, _) => {
                let message = if template {
                    format!(
                        "a JSONPath template reads a path only as the value of a key: write \
                         it under a key, as in `{{ value: {text} }}`, or make the state JSONata \
                         with `query_language: jsonata`"
                    )
                } else if asl.ends_with("Path") {
                    format!("write the path as a string: \"{text}\"")
                } else {
                    format!(
                        "`{text}` is a reference, which this JSONPath field cannot read: give \
                         a value, or make the state JSONata with `query_language: jsonata`"
                    )
                };
                self.errors.push(value.error(message));
                Literal::Null(*span)
            }
            other => other.clone(),
        }
    }

    /// A setting that is a value or, read from the input, a `...Path`
    /// field (JSONPath) or an expression (JSONata): timeouts, heartbeats,
    /// waits, a Fail's error and cause, a Map's limits.
    fn setting(
        &mut self,
        state: &mut Map<String, Value>,
        location: &Location,
        spec: &fields::FieldSpec,
        name: &str,
        value: &Literal,
        language: QueryLanguage,
    ) {
        let path_field = spec.asl_path.unwrap_or(spec.asl);
        match (value, language) {
            (Literal::Reference(text, span, _), QueryLanguage::JsonPath) => {
                let path = Literal::String(text.clone(), *span);
                self.put(state, location, path_field, &path);
            }
            (Literal::String(text, span), QueryLanguage::Jsonata)
                if text.starts_with('$')
                    || (spec.form == Form::TextOrPath
                        && sfini_core::intrinsic::looks_like_call(text)) =>
            {
                let message = if text.starts_with('$') {
                    format!(
                        "\"{text}\" is a JSONPath path, and this state's query language is \
                         JSONata: write `{name}: {}` to read it",
                        condition::jsonpath_to_jsonata(text)
                    )
                } else {
                    format!(
                        "\"{text}\" is an intrinsic function, which JSONPath states call; \
                         this state's query language is JSONata: write a `\"{{% ... %}}\"` \
                         expression (`$string()`, `&` and the other JSONata functions)"
                    )
                };
                self.error(*span, message);
                // Said once: the validator is not told of the value.
                self.broken.push(location.field(spec.asl));
                self.put(state, location, spec.asl, value);
            }
            (Literal::String(text, _), QueryLanguage::JsonPath)
                if sfini_core::jsonata::expression_text(text).is_some() =>
            {
                self.put(state, location, spec.asl, value);
            }
            (Literal::String(text, _), QueryLanguage::JsonPath)
                if text.starts_with('$')
                    || (spec.form == Form::TextOrPath
                        && sfini_core::intrinsic::looks_like_call(text)) =>
            {
                self.put(state, location, path_field, value);
            }
            _ => self.put(state, location, spec.asl, value),
        }
    }

    /// The fields of a catcher or a Choice rule, each in the language of
    /// its state.
    fn clause_fields(
        &mut self,
        out: &mut Map<String, Value>,
        location: &Location,
        settings: &[Setting],
        clause: Clause,
        language: QueryLanguage,
        state: &Location,
    ) {
        let (known, clause) = match clause {
            Clause::Catch => (CATCH_FIELDS, "catch"),
            Clause::Rule => (RULE_FIELDS, "choice rule"),
        };
        for setting in settings {
            let key = setting.key.to_string();
            let Some((_, asl)) = known.iter().find(|(name, _)| *name == key) else {
                let names: Vec<&str> = known.iter().map(|(name, _)| *name).collect();
                let hint = sfini_core::suggest::did_you_mean(&key, names.iter().copied());
                self.error(
                    setting.key.span(),
                    format!(
                        "unknown {clause} field `{key}`{hint} (the fields are {})",
                        names.join(", ")
                    ),
                );
                continue;
            };
            if let Some(owner) = sfini_core::json::field_language(asl)
                && owner != language
            {
                self.error(
                    setting.key.span(),
                    format!(
                        "`{key}` is a {owner} field, and this state's query language is \
                         {language}: {}",
                        fields::instead(&key, language)
                    ),
                );
                continue;
            }
            if out.contains_key(*asl) {
                self.error(setting.key.span(), format!("`{key}` is given twice"));
                continue;
            }
            let value = self.in_language(&setting.value, asl, language);
            if language == QueryLanguage::Jsonata {
                self.warn_jsonpath_text(&value, state);
            }
            self.put(out, location, asl, &value);
        }
    }

    fn put(
        &mut self,
        out: &mut Map<String, Value>,
        location: &Location,
        asl: &str,
        value: &Literal,
    ) {
        let field = location.field(asl);
        if self.reject_words(value) {
            // Said once: the validator is not told of the word it became.
            self.broken.push(field.clone());
        }
        record_literal(&mut self.spans, &field, value);
        out.insert(asl.into(), value.to_json());
    }

    fn error_names(
        &mut self,
        errors: &[ErrorName],
        span: Span,
        location: &Location,
        raiser: &Raiser<'_>,
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
            self.spans.record(&list.index(index), error.span());
            match self.asl_error_name(error) {
                Some(name) => {
                    self.check_raised(&name, error.span(), raiser, clause);
                    names.push(Value::String(name));
                }
                None => {
                    self.broken.push(list.index(index));
                    names.push(Value::String(String::new()));
                }
            }
        }
        Value::Array(names)
    }

    /// The ASL name of an error written in a `catch` or `retry`: a string
    /// as it is, a path through its error type's metadata.
    fn asl_error_name(&mut self, error: &ErrorName) -> Option<String> {
        let (type_path, variant, span) = match error {
            ErrorName::Text { name, .. } => return Some(name.clone()),
            ErrorName::Path {
                type_path,
                variant,
                span,
            } => (type_path, variant, *span),
        };
        let key = path_key(type_path);
        let Some(meta) = self.known.error_types.get(&key) else {
            self.error(span, format!("the error type `{key}` was not resolved"));
            return None;
        };
        let variants: Vec<&str> = meta
            .entries
            .iter()
            .filter_map(|entry| entry.variant.as_deref())
            .collect();
        match variant {
            Some(variant) => {
                let variant = syn::ext::IdentExt::unraw(variant).to_string();
                if let Some(entry) = meta
                    .entries
                    .iter()
                    .find(|entry| entry.variant.as_deref() == Some(variant.as_str()))
                {
                    return Some(entry.name.clone());
                }
                let message = if variants.is_empty() {
                    format!("`{key}` is a struct error type, with no variants: write `{key}` alone")
                } else {
                    let hint =
                        sfini_core::suggest::did_you_mean(&variant, variants.iter().copied());
                    format!(
                        "`{key}` has no variant `{variant}`{hint} (its variants are {})",
                        list_of(&variants)
                    )
                };
                self.error(span, message);
                None
            }
            None => match meta.entries.as_slice() {
                [entry] if entry.variant.is_none() => Some(entry.name.clone()),
                _ => {
                    self.error(
                        span,
                        format!(
                            "`{key}` is an enum of errors: name one of its variants, as in \
                             `{key}::{}`",
                            variants.first().copied().unwrap_or("Variant")
                        ),
                    );
                    None
                }
            },
        }
    }

    /// Checks that what a retrier or catcher names can happen: on an
    /// activity's task an error the activity declares (an error otherwise);
    /// on a Parallel or Map state an error one of its activities declares
    /// (a warning otherwise). The predefined `States.*` errors and sfini's
    /// own are left to the validator.
    fn check_raised(&mut self, name: &str, span: Span, raiser: &Raiser<'_>, clause: &str) {
        if name.starts_with("States.")
            || sfini_core::error_name::SFINI_TASK_ERRORS.contains(&name)
            || name.is_empty()
        {
            return;
        }
        match raiser {
            Raiser::Activity(path, meta) => {
                let Some(errors) = &meta.errors else {
                    return;
                };
                if errors.iter().any(|entry| entry.name == name) {
                    return;
                }
                let activity = path_key(path);
                let message = if errors.is_empty() {
                    format!(
                        "the activity `{activity}` never fails with `{name}`: it cannot fail \
                         (its function returns no `Result`), so this {clause} never matches"
                    )
                } else {
                    let known: Vec<&str> = errors.iter().map(|entry| entry.name.as_str()).collect();
                    let hint = sfini_core::suggest::did_you_mean(name, known.iter().copied());
                    format!(
                        "the activity `{activity}` never fails with `{name}`, so this {clause} \
                         never matches: its errors{} are {}{hint}",
                        meta.error_type
                            .as_deref()
                            .map(|ty| format!(" (from `{ty}`)"))
                            .unwrap_or_default(),
                        list_of(&known)
                    )
                };
                self.error(span, message);
            }
            Raiser::Within(state, location, metas) => {
                if metas.iter().any(|meta| meta.declares(name) != Some(false)) {
                    return;
                }
                let known: Vec<&str> = metas
                    .iter()
                    .filter_map(|meta| meta.errors.as_ref())
                    .flatten()
                    .map(|entry| entry.name.as_str())
                    .collect();
                let hint = sfini_core::suggest::did_you_mean(name, known.iter().copied());
                self.warnings.push(Warning {
                    kind: WarningKind::UnraisedError,
                    span,
                    message: format!(
                        "none of the activities that `{state}` runs fails with `{name}`, so this \
                         {clause} never matches{hint}"
                    ),
                    state: Some((*location).clone()),
                });
            }
            Raiser::Unknown => {}
        }
    }

    /// An `allow` list: the warnings it silences.
    fn allow_list(&mut self, value: &Literal) -> Vec<WarningKind> {
        let names: Vec<&str> = WarningKind::ALL.iter().map(|kind| kind.name()).collect();
        let items = match value {
            Literal::Array(items, _) => items.as_slice(),
            other => {
                self.error(
                    other.span(),
                    format!(
                        "`allow` takes a list of warnings, as in `allow: [{}]`",
                        names[0]
                    ),
                );
                return Vec::new();
            }
        };
        let mut kinds = Vec::new();
        for item in items {
            let (text, span) = match item {
                Literal::Word(word) => (syn::ext::IdentExt::unraw(word).to_string(), word.span()),
                Literal::String(text, span) => (text.clone(), *span),
                other => {
                    self.error(
                        other.span(),
                        format!("`allow` takes names of warnings, not {}", other.kind()),
                    );
                    continue;
                }
            };
            match WarningKind::from_name(&text) {
                Some(kind) => kinds.push(kind),
                None => {
                    let hint = sfini_core::suggest::did_you_mean(&text, names.iter().copied());
                    self.error(
                        span,
                        format!(
                            "`{text}` is not a warning of `workflow!`{hint} (they are {})",
                            list_of(&names)
                        ),
                    );
                }
            }
        }
        kinds
    }

    /// One ASL name stands for one activity in a workflow: two functions
    /// under one name would run as whichever a worker registered.
    fn one_activity_per_name(&mut self, meta: &ActivityMeta, path: &str, span: Span) {
        match self.activity_names.get(&meta.name) {
            Some((id, first)) if *id != meta.id => {
                let message = format!(
                    "`{path}` and `{first}` are two activities with one name, `{}`: a worker \
                     would run one of them for the tasks of both; give one of them another \
                     name with `#[activity(name = \"...\")]`",
                    meta.name
                );
                self.error(span, message);
            }
            Some(_) => {}
            None => {
                self.activity_names
                    .insert(meta.name.clone(), (meta.id.clone(), path.to_string()));
            }
        }
    }

    /// The activities a Parallel or Map state runs, when every task in it
    /// runs an activity whose errors are known: what its catchers can meet.
    fn activities_within(&self, decl: &StateDecl) -> Option<Vec<&'a ActivityMeta>> {
        fn walk<'k>(
            list: &StateList,
            known: &'k Known,
            out: &mut Vec<&'k ActivityMeta>,
        ) -> Option<()> {
            for state in &list.states {
                match &state.kind {
                    Kind::Task(TaskTarget::Activity(path)) => {
                        let meta = known.activities.get(&path_key(path))?;
                        meta.errors.as_ref()?;
                        out.push(meta);
                    }
                    Kind::Task(TaskTarget::Resource(_)) | Kind::Lambda(_) => return None,
                    _ => {}
                }
                for item in &state.body {
                    if let Item::Branch { states, .. } | Item::Processor { states, .. } = item {
                        walk(states, known, out)?;
                    }
                }
            }
            Some(())
        }
        let mut out = Vec::new();
        for item in &decl.body {
            if let Item::Branch { states, .. } | Item::Processor { states, .. } = item {
                walk(states, self.known, &mut out)?;
            }
        }
        Some(out)
    }

    /// The activity the processor of a Map state starts with, when that
    /// task reads each item as it comes (no Parameters or InputPath of its
    /// own): what the Map's ItemSelector must give it.
    fn processor_activity(&self, decl: &StateDecl) -> Option<(syn::Path, &'a ActivityMeta)> {
        let states = decl.body.iter().find_map(|item| match item {
            Item::Processor { states, .. } => Some(states),
            _ => None,
        })?;
        let first = states.states.first()?;
        let Kind::Task(TaskTarget::Activity(path)) = &first.kind else {
            return None;
        };
        let reads_its_own = first.body.iter().any(|item| {
            matches!(item, Item::Field(setting) if matches!(setting.key.to_string().as_str(), "parameters" | "arguments" | "input_path"))
        });
        if reads_its_own {
            return None;
        }
        let known: &'a Known = self.known;
        let meta = known.activities.get(&path_key(path))?;
        Some((path.clone(), meta))
    }

    /// Ordering comparisons of text with text that reads like a number.
    fn warn_numeric_text(&mut self, rule: &Map<String, Value>, at: &Location, state: &Location) {
        for (key, value) in rule {
            match (key.as_str(), value) {
                (
                    "StringLessThan"
                    | "StringGreaterThan"
                    | "StringLessThanEquals"
                    | "StringGreaterThanEquals",
                    Value::String(text),
                ) if text.trim().parse::<f64>().is_ok() => {
                    let span = self.spans.find(&at.field(key.as_str()));
                    if let Some(span) = span {
                        self.warnings.push(Warning {
                            kind: WarningKind::NumericText,
                            span,
                            message: format!(
                                "\"{text}\" is a string, so this compares text, letter by letter \
                                 (\"9\" comes after \"10\"); write {text} without quotes to \
                                 compare numbers"
                            ),
                            state: Some(state.clone()),
                        });
                    }
                }
                ("And" | "Or", Value::Array(items)) => {
                    for (index, item) in items.iter().enumerate() {
                        if let Value::Object(inner) = item {
                            self.warn_numeric_text(
                                inner,
                                &at.field(key.as_str()).index(index),
                                state,
                            );
                        }
                    }
                }
                ("Not", Value::Object(inner)) => {
                    self.warn_numeric_text(inner, &at.field("Not"), state)
                }
                _ => {}
            }
        }
    }

    /// Rust names written where a value belongs: `workflow!` writes values
    /// as JSON and does not evaluate Rust items.
    fn reject_words(&mut self, value: &Literal) -> bool {
        match value {
            Literal::Word(word) => {
                let name = syn::ext::IdentExt::unraw(word).to_string();
                self.error(
                    word.span(),
                    format!(
                        "`{name}` is a Rust name, but `workflow!` writes its values as JSON and \
                         does not evaluate Rust items: write the value itself, or the text \
                         \"{name}\" as a string"
                    ),
                );
                true
            }
            // Every word is reported, not only the first.
            Literal::Array(items, _) => {
                let mut found = false;
                for item in items {
                    found |= self.reject_words(item);
                }
                found
            }
            Literal::Object(fields, _) => {
                let mut found = false;
                for (_, field) in fields {
                    found |= self.reject_words(field);
                }
                found
            }
            _ => false,
        }
    }

    /// Text in a JSONata field that reads like a JSONPath path, a
    /// reference or an intrinsic function: in a JSONata state it is passed
    /// on as that text.
    fn warn_jsonpath_text(&mut self, value: &Literal, state: &Location) {
        match value {
            Literal::Object(fields, _) => {
                for (_, field) in fields {
                    self.warn_jsonpath_text(field, state);
                }
            }
            Literal::Array(items, _) => {
                for item in items {
                    self.warn_jsonpath_text(item, state);
                }
            }
            Literal::String(text, span) if sfini_core::jsonata::expression_text(text).is_none() => {
                let reference = text.len() > 1
                    && text.starts_with('$')
                    && text[1..]
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '$'));
                let message = if looks_dynamic(text) {
                    format!(
                        "\"{text}\" is passed on as this text: a JSONata state reads no \
                         JSONPath; write `{}` to read it",
                        condition::jsonpath_to_jsonata(text)
                    )
                } else if reference {
                    format!(
                        "\"{text}\" is passed on as this text: write `{text}` without quotes \
                         to read it"
                    )
                } else {
                    return;
                };
                self.warnings.push(Warning {
                    kind: WarningKind::PathLikeText,
                    span: *span,
                    message,
                    state: Some(state.clone()),
                });
            }
            _ => {}
        }
    }

    /// Text that reads like a path or an intrinsic function under a key
    /// without `.$`, where it is passed on as text.
    fn warn_path_like_text(&mut self, value: &Literal, state: &Location) {
        match value {
            Literal::Object(fields, _) => {
                for (key, field) in fields {
                    if key.text.ends_with(".$") {
                        continue;
                    }
                    if let Literal::String(text, span) = field
                        && looks_dynamic(text)
                    {
                        self.warnings.push(Warning {
                            kind: WarningKind::PathLikeText,
                            span: *span,
                            message: format!(
                                "the field `{}` is the text \"{text}\" itself: its key has no \
                                 `.$`; write `\"{}.$\": \"{text}\"` to read the input",
                                key.text, key.text
                            ),
                            state: Some(state.clone()),
                        });
                    }
                    self.warn_path_like_text(field, state);
                }
            }
            Literal::Array(items, _) => {
                for item in items {
                    self.warn_path_like_text(item, state);
                }
            }
            _ => {}
        }
    }

    /// The checks that need the activity: its arguments against the
    /// state's Parameters.
    fn check_activity_use(
        &mut self,
        path: &syn::Path,
        meta: &ActivityMeta,
        parameters: Option<&Literal>,
        parameters_key: Option<Span>,
        what: &str,
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
        for (key, value) in entries {
            if key.text.ends_with(".$") {
                continue;
            }
            let Some(argument) = meta
                .arguments
                .iter()
                .find(|argument| argument.name == key.text)
            else {
                continue;
            };
            if let Some(found) = wrong_kind(value, &argument.kind, argument.required) {
                self.error(
                    value.span(),
                    format!(
                        "the activity `{activity}` reads `{}` as `{}` ({}), not {found}",
                        argument.name,
                        argument.ty,
                        kind_words(&argument.kind)
                    ),
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
                    "{what} {} that the activity `{activity}` requires: {}",
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

/// A clause of a state that takes fields of its own.
#[derive(Clone, Copy)]
enum Clause {
    /// `catch [...] => state { ... }`
    Catch,
    /// `condition => state { ... }`
    Rule,
}

/// How a state leaves the order its list is written in.
#[derive(Default)]
struct Exit {
    /// `end: true`, where written.
    end: Option<Span>,
    /// `next: state`, where written, and the state.
    next: Option<(Span, String)>,
    /// A Succeed or Fail state.
    terminal: bool,
    /// A Choice state.
    choice: bool,
}

impl Exit {
    /// Where the flow leaves the written order.
    fn span(&self) -> Option<Span> {
        self.end.or(self.next.as_ref().map(|(span, _)| *span))
    }

    /// Why the states written after `decl` are not reached from it.
    fn why(&self, decl: &StateDecl) -> String {
        let name = &decl.name.text;
        if self.end.is_some() {
            format!("`end: true` ends the workflow at `{name}`")
        } else if let Some((_, target)) = &self.next {
            format!("`{name}` goes on to `{target}` instead")
        } else if self.terminal {
            format!(
                "`{name}` is a `{}` state, which ends the workflow",
                decl.kind.keyword()
            )
        } else if self.choice {
            format!("no rule of the choice `{name}` leads to them")
        } else {
            format!("`{name}` does not go on to them")
        }
    }
}

/// Where a token is written, for messages that point at a second place:
/// `on line 12`, when the compiler says.
pub fn where_written(span: Span) -> String {
    if proc_macro::is_available() {
        format!("on line {}", span.unwrap().line())
    } else {
        "above".to_string()
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
    spans.record_range(location, value.span(), value.end());
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

/// Names in backquotes, joined with commas.
fn list_of(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Text that a payload template would read as a path or an intrinsic
/// function if its key ended with `.$`.
fn looks_dynamic(text: &str) -> bool {
    text == "$"
        || text.starts_with("$.")
        || text.starts_with("$[")
        || text.starts_with("$$.")
        || (text.starts_with("States.") && text.contains('(') && text.ends_with(')'))
}

/// What can fail in a state that catches or retries.
enum Raiser<'m> {
    /// A task running this activity.
    Activity(&'m syn::Path, &'m ActivityMeta),
    /// A Parallel or Map state (its name and location) whose tasks all run
    /// these activities.
    Within(&'m str, &'m Location, Vec<&'m ActivityMeta>),
    /// Anything else: any error may happen.
    Unknown,
}

/// What a literal is, when it is not the kind of JSON value an argument of
/// kind `kind` reads (`null` is fine for an optional argument).
fn wrong_kind(value: &Literal, kind: &str, required: bool) -> Option<&'static str> {
    let found = match value {
        // Known only when the state runs.
        Literal::Reference(..) => return None,
        Literal::String(text, _) if sfini_core::jsonata::expression_text(text).is_some() => {
            return None;
        }
        Literal::Null(_) if !required => return None,
        Literal::Number(number, _) => {
            if kind == "integer" && !(number.is_i64() || number.is_u64()) {
                return Some("a number with a fraction");
            }
            "a number"
        }
        other => other.kind(),
    };
    let fits = match kind {
        "integer" | "number" => found == "a number",
        "string" => found == "a string",
        "boolean" => found == "a boolean",
        "array" => found == "an array",
        "object" => found == "an object",
        _ => true,
    };
    (!fits).then_some(found)
}

/// An argument's kind of JSON value, in words.
fn kind_words(kind: &str) -> &'static str {
    match kind {
        "integer" => "a whole number",
        "number" => "a number",
        "string" => "a string",
        "boolean" => "`true` or `false`",
        "array" => "an array",
        "object" => "an object",
        _ => "any value",
    }
}
