//! Reading ASL JSON into the model.
//!
//! The reader checks the structure of a definition: field names, JSON
//! types, required fields, fields that exclude each other. It reports every
//! problem it meets with its location and carries on with a best guess, so
//! that one pass finds them all and validation can still run on the rest.

use std::borrow::Cow;

use serde_json::{Number, Value};

type Object = serde_json::Map<String, Value>;

use crate::diagnostic::{Code, Diagnostics};
use crate::location::Location;
use crate::model::*;
use crate::path::kind_of;
use crate::suggest::{closest, did_you_mean};

/// What reading produced: the machine as well as it could be read, and the
/// problems met on the way. The machine is only trustworthy when there is
/// no error.
pub(crate) struct Read {
    pub machine: StateMachine,
    pub diagnostics: Diagnostics,
}

pub(crate) fn read_machine(value: &Value) -> Read {
    let mut reader = Reader {
        diagnostics: Diagnostics::new(),
        machine_language: QueryLanguage::default(),
        language: QueryLanguage::default(),
    };
    let machine = reader.machine(value);
    Read {
        machine,
        diagnostics: reader.diagnostics,
    }
}

const MACHINE_FIELDS: &[&str] = &[
    "Comment",
    "StartAt",
    "States",
    "TimeoutSeconds",
    "Version",
    "QueryLanguage",
];
const BRANCH_FIELDS: &[&str] = &["Comment", "StartAt", "States"];
const PROCESSOR_FIELDS: &[&str] = &["Comment", "ProcessorConfig", "StartAt", "States"];
// AWS accepts the former `Iterator` with a `ProcessorConfig` too.
const ITERATOR_FIELDS: &[&str] = &["Comment", "ProcessorConfig", "StartAt", "States"];
const COMMON_FIELDS: &[&str] = &["Type", "Comment", "QueryLanguage"];
const TASK_FIELDS: &[&str] = &[
    "Resource",
    "InputPath",
    "Parameters",
    "Credentials",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "ResultSelector",
    "ResultPath",
    "OutputPath",
    "Arguments",
    "Output",
    "Assign",
    "Retry",
    "Catch",
    "Next",
    "End",
];
const PASS_FIELDS: &[&str] = &[
    "InputPath",
    "Parameters",
    "Result",
    "ResultPath",
    "OutputPath",
    "Output",
    "Assign",
    "Next",
    "End",
];
const CHOICE_FIELDS: &[&str] = &[
    "InputPath",
    "Choices",
    "Default",
    "OutputPath",
    "Output",
    "Assign",
];
const WAIT_FIELDS: &[&str] = &[
    "InputPath",
    "Seconds",
    "Timestamp",
    "SecondsPath",
    "TimestampPath",
    "OutputPath",
    "Output",
    "Assign",
    "Next",
    "End",
];
const SUCCEED_FIELDS: &[&str] = &["InputPath", "OutputPath", "Output"];
const FAIL_FIELDS: &[&str] = &["Error", "ErrorPath", "Cause", "CausePath"];
const PARALLEL_FIELDS: &[&str] = &[
    "InputPath",
    "Parameters",
    "Branches",
    "ResultSelector",
    "ResultPath",
    "OutputPath",
    "Arguments",
    "Output",
    "Assign",
    "Retry",
    "Catch",
    "Next",
    "End",
];
const MAP_FIELDS: &[&str] = &[
    "Label",
    "InputPath",
    "ItemReader",
    "ItemsPath",
    "Items",
    "ItemSelector",
    "Parameters",
    "ItemBatcher",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ItemProcessor",
    "Iterator",
    "ResultWriter",
    "ResultSelector",
    "ResultPath",
    "OutputPath",
    "Output",
    "Assign",
    "Retry",
    "Catch",
    "Next",
    "End",
];
const RETRIER_FIELDS: &[&str] = &[
    "ErrorEquals",
    "IntervalSeconds",
    "MaxAttempts",
    "BackoffRate",
    "MaxDelaySeconds",
    "JitterStrategy",
    "Comment",
];
const CATCHER_FIELDS: &[&str] = &[
    "ErrorEquals",
    "Next",
    "ResultPath",
    "Comment",
    "Output",
    "Assign",
];
const RULE_FIELDS: &[&str] = &[
    "Comment",
    "And",
    "Or",
    "Not",
    "Variable",
    "Next",
    "Condition",
    "Assign",
    "Output",
];
const PROCESSOR_CONFIG_FIELDS: &[&str] = &["Mode", "ExecutionType"];
const ITEM_READER_FIELDS: &[&str] = &["Resource", "Parameters", "Arguments", "ReaderConfig"];
const READER_CONFIG_FIELDS: &[&str] = &[
    "InputType",
    "Transformation",
    "ManifestType",
    "CSVDelimiter",
    "CSVHeaderLocation",
    "CSVHeaders",
    "MaxItems",
    "MaxItemsPath",
    "ItemsPointer",
];
const ITEM_BATCHER_FIELDS: &[&str] = &[
    "MaxItemsPerBatch",
    "MaxItemsPerBatchPath",
    "MaxInputBytesPerBatch",
    "MaxInputBytesPerBatchPath",
    "BatchInput",
];
const RESULT_WRITER_FIELDS: &[&str] = &["Resource", "Parameters", "Arguments", "WriterConfig"];
const WRITER_CONFIG_FIELDS: &[&str] = &["OutputType", "Transformation"];

/// The query language a field belongs to, when only one has it: the
/// JSONPath fields (`InputPath`, `Parameters`, the `...Path` settings,
/// `Variable` and the comparison operators) and the JSONata ones
/// (`Arguments`, `Output`, `Items`, `Condition`). `Assign` and the rest
/// belong to both.
pub fn field_language(field: &str) -> Option<QueryLanguage> {
    match field {
        "Arguments" | "Output" | "Items" | "Condition" => Some(QueryLanguage::Jsonata),
        "InputPath" | "Parameters" | "ResultSelector" | "ResultPath" | "OutputPath" | "Result"
        | "Variable" | "And" | "Or" | "Not" => Some(QueryLanguage::JsonPath),
        _ if field.ends_with("Path") || OperatorField::from_name(field).is_some() => {
            Some(QueryLanguage::JsonPath)
        }
        _ => None,
    }
}

/// What to write instead of `field`, a field of the other query language.
pub(crate) fn language_hint(field: &str, language: QueryLanguage) -> String {
    match language {
        QueryLanguage::Jsonata => match field {
            "InputPath" | "Parameters" => {
                "build the input of the work with `Arguments` and `$states.input`".to_string()
            }
            "ResultSelector" | "ResultPath" | "OutputPath" | "Result" => {
                "shape the output with `Output` (and keep values for later with `Assign`)"
                    .to_string()
            }
            "ItemsPath" => "give the items with `Items`".to_string(),
            "Variable" | "And" | "Or" | "Not" => "write the rule's test as `Condition`".to_string(),
            _ if OperatorField::from_name(field).is_some() => {
                "write the rule's test as `Condition`".to_string()
            }
            _ => match field.strip_suffix("Path") {
                Some(setting) => format!("give `{setting}` a `{{% ... %}}` expression instead"),
                None => "use the JSONata fields".to_string(),
            },
        },
        QueryLanguage::JsonPath => {
            let instead = match field {
                "Arguments" => "`Parameters`",
                "Output" => "`OutputPath` or `ResultSelector`",
                "Items" => "`ItemsPath`",
                _ => "`Variable` with a comparison operator",
            };
            format!(
                "set `\"QueryLanguage\": \"JSONata\"` on the state or the machine, or use {instead}"
            )
        }
    }
}

/// Every field a state of `state_type` may hold, `Type` and `Comment`
/// included: the one list the reader checks definitions against, and the
/// macros check a workflow's fields against.
pub fn state_fields(state_type: StateType) -> impl Iterator<Item = &'static str> {
    COMMON_FIELDS.iter().chain(fields_of(state_type)).copied()
}

fn fields_of(state_type: StateType) -> &'static [&'static str] {
    match state_type {
        StateType::Task => TASK_FIELDS,
        StateType::Pass => PASS_FIELDS,
        StateType::Choice => CHOICE_FIELDS,
        StateType::Wait => WAIT_FIELDS,
        StateType::Succeed => SUCCEED_FIELDS,
        StateType::Fail => FAIL_FIELDS,
        StateType::Parallel => PARALLEL_FIELDS,
        StateType::Map => MAP_FIELDS,
    }
}

struct Reader {
    diagnostics: Diagnostics,
    /// The machine's query language, which every state takes unless it
    /// names its own (nested states included).
    machine_language: QueryLanguage,
    /// The query language of the state being read.
    language: QueryLanguage,
}

impl Reader {
    fn error(&mut self, code: Code, at: Location, message: impl Into<String>) {
        self.diagnostics.error(code, at, message);
    }

    // ----- generic field access -----

    fn object<'v>(&mut self, value: &'v Value, at: &Location, what: &str) -> Option<&'v Object> {
        match value {
            Value::Object(object) => Some(object),
            other => {
                self.error(
                    Code::WrongType,
                    at.clone(),
                    format!("{what} must be a JSON object, found {}", kind_of(other)),
                );
                None
            }
        }
    }

    /// Reports the fields of `object` not in `allowed`, with a suggestion.
    /// A misspelled field with a suggestion is read under the suggested
    /// name, so that one typo does not cause more problems further on.
    fn check_fields<'v>(
        &mut self,
        object: &'v Object,
        allowed: &[&[&str]],
        at: &Location,
        what: &str,
    ) -> Cow<'v, Object> {
        let known = || allowed.iter().flat_map(|list| list.iter().copied());
        let mut renames = Vec::new();
        let mut foreign = Vec::new();
        for key in object.keys() {
            if known().any(|k| k == key) {
                if self.foreign_field(key, at) {
                    foreign.push(key.as_str());
                }
                continue;
            }
            let here = at.field(key.as_str());
            let suggestion = closest(key, known());
            self.error(
                Code::UnknownField,
                here,
                format!(
                    "unknown field `{key}` in {what}{}",
                    suggestion_text(suggestion)
                ),
            );
            if let Some(name) = suggestion {
                renames.push((key.as_str(), name));
            }
        }
        adjusted(object, &renames, &foreign)
    }

    /// Reports `field` when it belongs to the other query language than
    /// the state's; true when it does (it is then not read).
    fn foreign_field(&mut self, field: &str, at: &Location) -> bool {
        let language = self.language;
        match field_language(field) {
            Some(owner) if owner != language => {
                self.error(
                    Code::WrongQueryLanguage,
                    at.field(field),
                    format!(
                        "`{field}` is a {owner} field, and this state's query language is {language}: {}",
                        language_hint(field, language)
                    ),
                );
                true
            }
            _ => false,
        }
    }

    /// Like `check_fields` for a state, naming the state types a misplaced field belongs to.
    fn check_state_fields<'v>(
        &mut self,
        object: &'v Object,
        state_type: StateType,
        at: &Location,
    ) -> Cow<'v, Object> {
        let own = fields_of(state_type);
        let what = format!("a {state_type} state");
        let mut renames = Vec::new();
        let mut foreign = Vec::new();
        for key in object.keys() {
            if COMMON_FIELDS.contains(&key.as_str()) || own.contains(&key.as_str()) {
                if self.foreign_field(key, at) {
                    foreign.push(key.as_str());
                }
                continue;
            }
            let here = at.field(key.as_str());
            let owners: Vec<&str> = StateType::ALL
                .into_iter()
                .filter(|t| fields_of(*t).contains(&key.as_str()))
                .map(StateType::as_str)
                .collect();
            let message = if owners.is_empty() {
                let suggestion = closest(key, COMMON_FIELDS.iter().chain(own).copied());
                if let Some(name) = suggestion {
                    renames.push((key.as_str(), name));
                }
                format!(
                    "unknown field `{key}` in {what}{}",
                    suggestion_text(suggestion)
                )
            } else {
                format!(
                    "{what} has no field `{key}` (it belongs to {} states)",
                    owners.join(", ")
                )
            };
            self.error(Code::UnknownField, here, message);
        }
        adjusted(object, &renames, &foreign)
    }

    fn string(&mut self, object: &Object, key: &str, at: &Location) -> Option<String> {
        match object.get(key)? {
            Value::String(text) => Some(text.clone()),
            other => {
                self.error(
                    Code::WrongType,
                    at.field(key),
                    format!("`{key}` must be a string, found {}", kind_of(other)),
                );
                None
            }
        }
    }

    fn required_string(&mut self, object: &Object, key: &str, at: &Location, what: &str) -> String {
        if !object.contains_key(key) {
            self.error(
                Code::MissingField,
                at.field(key),
                format!("{what} needs `{key}`"),
            );
            return String::new();
        }
        self.string(object, key, at).unwrap_or_default()
    }

    fn unsigned(&mut self, object: &Object, key: &str, at: &Location) -> Option<u64> {
        let value = object.get(key)?;
        self.unsigned_value(value, key, at)
    }

    fn unsigned_value(&mut self, value: &Value, key: &str, at: &Location) -> Option<u64> {
        let problem = match value {
            Value::Number(number) => match number.as_u64() {
                Some(n) => return Some(n),
                None if number.as_i64().is_some() => "must not be negative".to_string(),
                None if number
                    .as_f64()
                    .is_some_and(|f| f.fract() == 0.0 && f >= 0.0) =>
                {
                    "is too large".to_string()
                }
                None => format!("must be a whole number, found {number}"),
            },
            other => format!("must be a whole number, found {}", kind_of(other)),
        };
        self.error(Code::WrongType, at.field(key), format!("`{key}` {problem}"));
        None
    }

    fn float(&mut self, object: &Object, key: &str, at: &Location) -> Option<f64> {
        match object.get(key)? {
            Value::Number(number) => number.as_f64(),
            other => {
                self.error(
                    Code::WrongType,
                    at.field(key),
                    format!("`{key}` must be a number, found {}", kind_of(other)),
                );
                None
            }
        }
    }

    fn boolean(&mut self, object: &Object, key: &str, at: &Location) -> Option<bool> {
        match object.get(key)? {
            Value::Bool(flag) => Some(*flag),
            other => {
                self.error(
                    Code::WrongType,
                    at.field(key),
                    format!("`{key}` must be true or false, found {}", kind_of(other)),
                );
                None
            }
        }
    }

    /// An optional payload template or JSON value, kept as written.
    fn json(&self, object: &Object, key: &str) -> Option<Value> {
        object.get(key).cloned()
    }

    fn string_list(&mut self, object: &Object, key: &str, at: &Location) -> Option<Vec<String>> {
        let value = object.get(key)?;
        let Value::Array(items) = value else {
            self.error(
                Code::WrongType,
                at.field(key),
                format!(
                    "`{key}` must be an array of strings, found {}",
                    kind_of(value)
                ),
            );
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            match item {
                Value::String(text) => out.push(text.clone()),
                other => self.error(
                    Code::WrongType,
                    at.field(key).index(index),
                    format!("`{key}` must hold strings, found {}", kind_of(other)),
                ),
            }
        }
        Some(out)
    }

    /// An optional object field (`ItemReader`, `ReaderConfig`...), its
    /// fields checked against `allowed` and read by `read`.
    fn nested<T>(
        &mut self,
        object: &Object,
        key: &str,
        at: &Location,
        allowed: &[&str],
        read: impl FnOnce(&mut Self, &Object, &Location) -> T,
    ) -> Option<T> {
        let value = object.get(key)?;
        let at = at.field(key);
        let what = format!("`{key}`");
        let nested = self.object(value, &at, &what)?;
        let nested = &self.check_fields(nested, &[allowed], &at, &what);
        Some(read(self, nested, &at))
    }

    /// A field holding one of a fixed set of strings (`INLINE`, `FULL`...).
    fn keyword<K: Keyword>(&mut self, object: &Object, key: &str, at: &Location) -> Option<K> {
        let text = self.string(object, key, at)?;
        let names = || K::ALL.iter().map(|value| value.as_str());
        let found = K::ALL.iter().copied().find(|value| value.as_str() == text);
        if found.is_none() {
            let allowed: Vec<String> = names().map(|name| format!("`{name}`")).collect();
            self.error(
                Code::InvalidValue,
                at.field(key),
                format!(
                    "`{text}` is not a value of `{key}`; expected one of {}{}",
                    allowed.join(", "),
                    did_you_mean(&text, names())
                ),
            );
        }
        found
    }

    /// InputPath, OutputPath, ResultPath: absent is `$`, null discards.
    fn data_path(&mut self, object: &Object, key: &str, at: &Location) -> DataPath {
        match object.get(key) {
            None => DataPath::default(),
            Some(Value::Null) => DataPath::Null,
            Some(Value::String(path)) => DataPath::Path(path.clone()),
            Some(other) => {
                self.error(
                    Code::WrongType,
                    at.field(key),
                    format!(
                        "`{key}` must be a path string or null, found {}",
                        kind_of(other)
                    ),
                );
                DataPath::default()
            }
        }
    }

    /// `Key` or `KeyPath`, at most one of them.
    fn value_or_path<T>(
        &mut self,
        object: &Object,
        key: &str,
        at: &Location,
        read: impl FnOnce(&mut Self, &Object, &str, &Location) -> Option<T>,
    ) -> Option<ValueOrPath<T>> {
        let path_key = format!("{key}Path");
        let value = read(self, object, key, at).map(ValueOrPath::Value);
        let path = self.string(object, &path_key, at).map(ValueOrPath::Path);
        if object.contains_key(key) && object.contains_key(&path_key) {
            self.error(
                Code::Conflict,
                at.field(path_key.as_str()),
                format!("`{key}` and `{path_key}` exclude each other; keep one"),
            );
        }
        value.or(path)
    }

    fn transition(&mut self, object: &Object, at: &Location) -> Transition {
        let next = self.string(object, "Next", at);
        let end = self.boolean(object, "End", at).unwrap_or(false);
        match (next, end) {
            (Some(next), false) => Transition::Next(next),
            (None, true) => Transition::End,
            (Some(next), true) => {
                self.error(
                    Code::Conflict,
                    at.field("End"),
                    "a state has either `Next` or `\"End\": true`, not both",
                );
                Transition::Next(next)
            }
            (None, false) => {
                if !object.contains_key("Next") {
                    self.error(
                        Code::MissingField,
                        at.field("Next"),
                        "a state of this type needs `Next` (the state to go to) or `\"End\": true`",
                    );
                }
                Transition::End
            }
        }
    }

    /// Reads `QueryLanguage`.
    fn query_language(&mut self, object: &Object, at: &Location) -> Option<QueryLanguage> {
        let text = self.string(object, "QueryLanguage", at)?;
        let language = QueryLanguage::from_name(&text);
        if language.is_none() {
            self.error(
                Code::InvalidValue,
                at.field("QueryLanguage"),
                format!(
                    "`{text}` is not a query language; expected `JSONPath` or `JSONata`{}",
                    did_you_mean(&text, QueryLanguage::ALL.iter().map(|l| l.as_str()))
                ),
            );
        }
        language
    }

    /// A setting that JSONata states may give as a `{% ... %}` expression:
    /// `Key` (read by `read`), `{% %}` in `Key`, or `KeyPath` (JSONPath).
    fn setting<T>(
        &mut self,
        object: &Object,
        key: &str,
        at: &Location,
        read: impl FnOnce(&mut Self, &Object, &str, &Location) -> Option<T>,
    ) -> Option<ValueOrPath<T>> {
        if let Some(Value::String(text)) = object.get(key)
            && let Some(expression) = expression_text(text)
        {
            if self.language == QueryLanguage::Jsonata {
                return Some(ValueOrPath::Expression(expression.to_string()));
            }
            self.error(
                Code::WrongQueryLanguage,
                at.field(key),
                format!(
                    "`{key}` holds a JSONata expression, and this state's query language is JSONPath: set `\"QueryLanguage\": \"JSONata\"` on the state or the machine, or use `{key}Path`"
                ),
            );
            return None;
        }
        self.value_or_path(object, key, at, read)
    }

    /// A string that JSONata states may give as a `{% ... %}` expression
    /// (Fail's `Error` and `Cause`); in JSONPath states every string is
    /// literal.
    fn text_setting(
        &mut self,
        object: &Object,
        key: &str,
        at: &Location,
    ) -> Option<ValueOrPath<String>> {
        if self.language == QueryLanguage::Jsonata
            && let Some(Value::String(text)) = object.get(key)
            && let Some(expression) = expression_text(text)
        {
            return Some(ValueOrPath::Expression(expression.to_string()));
        }
        self.value_or_path(object, key, at, |r, o, k, a| r.string(o, k, a))
    }

    // ----- machine and scopes -----

    fn machine(&mut self, value: &Value) -> StateMachine {
        let at = Location::root();
        let mut machine = StateMachine::new("");
        let Some(object) = self.object(value, &at, "a state machine definition") else {
            return machine;
        };
        machine.query_language = self.query_language(object, &at).unwrap_or_default();
        self.machine_language = machine.query_language;
        self.language = machine.query_language;
        let object =
            &self.check_fields(object, &[MACHINE_FIELDS], &at, "a state machine definition");
        machine.comment = self.string(object, "Comment", &at);
        machine.start_at = self.required_string(object, "StartAt", &at, "a state machine");
        machine.states = self.states(object, &at, "a state machine");
        machine.timeout_seconds = self.unsigned(object, "TimeoutSeconds", &at);
        if let Some(version) = self.string(object, "Version", &at) {
            machine.version = version;
        }
        machine
    }

    fn states(&mut self, object: &Object, at: &Location, what: &str) -> States {
        let mut states = States::new();
        let Some(value) = object.get("States") else {
            self.error(
                Code::MissingField,
                at.field("States"),
                format!("{what} needs `States`"),
            );
            return states;
        };
        let at = at.field("States");
        let Some(object) = self.object(value, &at, "`States`") else {
            return states;
        };
        for (name, value) in object {
            let state = self.state(value, &at.field(name.as_str()));
            states.insert(name.clone(), state);
        }
        states
    }

    fn branch(&mut self, value: &Value, at: &Location) -> Branch {
        let mut branch = Branch::new("");
        let Some(object) = self.object(value, at, "a branch") else {
            return branch;
        };
        let object = &self.check_fields(object, &[BRANCH_FIELDS], at, "a Parallel branch");
        branch.comment = self.string(object, "Comment", at);
        branch.start_at = self.required_string(object, "StartAt", at, "a branch");
        branch.states = self.states(object, at, "a branch");
        branch
    }

    // ----- states -----

    fn state(&mut self, value: &Value, at: &Location) -> State {
        let Some(object) = self.object(value, at, "a state") else {
            return State::Succeed(Succeed::new());
        };
        // Where a state's type cannot be known, a stand-in keeps its `Next`
        // so that checks of the other states can go on undisturbed.
        let placeholder = || match object.get("Next") {
            Some(Value::String(next)) => State::Pass(Pass::new().next(next.as_str())),
            _ => State::Succeed(Succeed::new()),
        };
        let state_type = match object.get("Type") {
            None => {
                self.error(
                    Code::MissingField,
                    at.field("Type"),
                    "a state needs `Type`: one of Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map",
                );
                return placeholder();
            }
            Some(Value::String(name)) => match StateType::from_name(name) {
                Some(state_type) => state_type,
                None => {
                    let guess = closest(name, StateType::ALL.iter().map(|t| t.as_str()));
                    self.error(
                        Code::UnknownStateType,
                        at.field("Type"),
                        format!(
                            "`{name}` is not a state type; expected one of Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map{}",
                            suggestion_text(guess)
                        ),
                    );
                    // Read the state as the likely type, to check the rest of it.
                    match guess.and_then(StateType::from_name) {
                        Some(state_type) => state_type,
                        None => return placeholder(),
                    }
                }
            },
            Some(other) => {
                self.error(
                    Code::WrongType,
                    at.field("Type"),
                    format!("`Type` must be a string, found {}", kind_of(other)),
                );
                return placeholder();
            }
        };
        // The state's own language decides which of its fields are read.
        let query_language = self.query_language(object, at);
        let language = query_language.unwrap_or(self.machine_language);
        if query_language == Some(QueryLanguage::JsonPath)
            && self.machine_language == QueryLanguage::Jsonata
        {
            self.error(
                Code::WrongQueryLanguage,
                at.field("QueryLanguage"),
                "a state cannot go back to JSONPath in a machine whose query language is JSONata; \
                 set JSONata per state on a JSONPath machine instead",
            );
        }
        let outer = std::mem::replace(&mut self.language, language);
        let object = &self.check_state_fields(object, state_type, at);
        let comment = self.string(object, "Comment", at);
        let state = match state_type {
            StateType::Task => State::Task(self.task(object, at, comment)),
            StateType::Pass => State::Pass(Pass {
                comment,
                input_path: self.data_path(object, "InputPath", at),
                parameters: self.json(object, "Parameters"),
                result: self.json(object, "Result"),
                result_path: self.data_path(object, "ResultPath", at),
                output_path: self.data_path(object, "OutputPath", at),
                output: self.json(object, "Output"),
                assign: self.json(object, "Assign"),
                transition: self.transition(object, at),
                query_language,
            }),
            StateType::Choice => State::Choice(self.choice(object, at, comment)),
            StateType::Wait => State::Wait(self.wait(object, at, comment)),
            StateType::Succeed => State::Succeed(Succeed {
                comment,
                input_path: self.data_path(object, "InputPath", at),
                output_path: self.data_path(object, "OutputPath", at),
                output: self.json(object, "Output"),
                query_language,
            }),
            StateType::Fail => State::Fail(Fail {
                comment,
                error: self.text_setting(object, "Error", at),
                cause: self.text_setting(object, "Cause", at),
                query_language,
            }),
            StateType::Parallel => State::Parallel(self.parallel(object, at, comment)),
            StateType::Map => State::Map(Box::new(self.map(object, at, comment))),
        };
        let state = with_query_language(state, query_language);
        self.language = outer;
        state
    }

    fn task(&mut self, object: &Object, at: &Location, comment: Option<String>) -> Task {
        Task {
            comment,
            resource: self.required_string(object, "Resource", at, "a Task state"),
            input_path: self.data_path(object, "InputPath", at),
            parameters: self.json(object, "Parameters"),
            result_selector: self.json(object, "ResultSelector"),
            result_path: self.data_path(object, "ResultPath", at),
            output_path: self.data_path(object, "OutputPath", at),
            timeout: self.setting(object, "TimeoutSeconds", at, Self::unsigned),
            heartbeat: self.setting(object, "HeartbeatSeconds", at, Self::unsigned),
            credentials: self.json(object, "Credentials"),
            arguments: self.json(object, "Arguments"),
            output: self.json(object, "Output"),
            assign: self.json(object, "Assign"),
            query_language: None,
            retry: self.retriers(object, at),
            catch: self.catchers(object, at),
            transition: self.transition(object, at),
        }
    }

    fn wait(&mut self, object: &Object, at: &Location, comment: Option<String>) -> Wait {
        let mut found = Vec::new();
        match self.setting(object, "Seconds", at, Self::unsigned) {
            Some(ValueOrPath::Value(seconds)) => found.push(WaitUntil::Seconds(seconds)),
            Some(ValueOrPath::Expression(text)) => found.push(WaitUntil::SecondsExpression(text)),
            Some(ValueOrPath::Path(_)) | None => {}
        }
        match self.setting(object, "Timestamp", at, |r, o, k, a| r.string(o, k, a)) {
            Some(ValueOrPath::Value(text)) => found.push(WaitUntil::Timestamp(text)),
            Some(ValueOrPath::Expression(text)) => {
                found.push(WaitUntil::TimestampExpression(text));
            }
            Some(ValueOrPath::Path(_)) | None => {}
        }
        for (key, make) in [
            (
                "SecondsPath",
                WaitUntil::SecondsPath as fn(String) -> WaitUntil,
            ),
            ("TimestampPath", WaitUntil::TimestampPath),
        ] {
            if let Some(text) = self.string(object, key, at) {
                found.push(make(text));
            }
        }
        let present: Vec<&str> = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"]
            .into_iter()
            .filter(|key| object.contains_key(*key))
            .collect();
        if present.is_empty() {
            self.error(
                Code::MissingField,
                at.clone(),
                "a Wait state needs one of `Seconds`, `Timestamp`, `SecondsPath` or `TimestampPath`",
            );
        } else if present.len() > 1 {
            self.error(
                Code::Conflict,
                at.field(present[1]),
                format!(
                    "a Wait state takes exactly one of `Seconds`, `Timestamp`, `SecondsPath` and `TimestampPath`; found {}",
                    present.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(" and ")
                ),
            );
        }
        Wait {
            comment,
            input_path: self.data_path(object, "InputPath", at),
            until: found.into_iter().next().unwrap_or(WaitUntil::Seconds(0)),
            output_path: self.data_path(object, "OutputPath", at),
            output: self.json(object, "Output"),
            assign: self.json(object, "Assign"),
            transition: self.transition(object, at),
            query_language: None,
        }
    }

    fn parallel(&mut self, object: &Object, at: &Location, comment: Option<String>) -> Parallel {
        let mut branches = Vec::new();
        match object.get("Branches") {
            None => self.error(
                Code::MissingField,
                at.field("Branches"),
                "a Parallel state needs `Branches`",
            ),
            Some(Value::Array(items)) => {
                let list_at = at.field("Branches");
                for (index, item) in items.iter().enumerate() {
                    branches.push(self.branch(item, &list_at.index(index)));
                }
            }
            Some(other) => self.error(
                Code::WrongType,
                at.field("Branches"),
                format!(
                    "`Branches` must be an array of branches, found {}",
                    kind_of(other)
                ),
            ),
        }
        Parallel {
            comment,
            input_path: self.data_path(object, "InputPath", at),
            parameters: self.json(object, "Parameters"),
            branches,
            result_selector: self.json(object, "ResultSelector"),
            result_path: self.data_path(object, "ResultPath", at),
            output_path: self.data_path(object, "OutputPath", at),
            arguments: self.json(object, "Arguments"),
            output: self.json(object, "Output"),
            assign: self.json(object, "Assign"),
            retry: self.retriers(object, at),
            catch: self.catchers(object, at),
            transition: self.transition(object, at),
            query_language: None,
        }
    }

    fn map(&mut self, object: &Object, at: &Location, comment: Option<String>) -> Map {
        let processor = match (object.get("ItemProcessor"), object.get("Iterator")) {
            (Some(processor), iterator) => {
                if iterator.is_some() {
                    self.error(
                        Code::Conflict,
                        at.field("Iterator"),
                        "`Iterator` is the former name of `ItemProcessor`; keep only `ItemProcessor`",
                    );
                }
                self.processor(processor, &at.field("ItemProcessor"), PROCESSOR_FIELDS)
            }
            (None, Some(iterator)) => {
                self.processor(iterator, &at.field("Iterator"), ITERATOR_FIELDS)
            }
            (None, None) => {
                self.error(
                    Code::MissingField,
                    at.field("ItemProcessor"),
                    "a Map state needs `ItemProcessor`: the states each item runs through",
                );
                ItemProcessor::new("")
            }
        };
        let selector = match (object.get("ItemSelector"), object.get("Parameters")) {
            (Some(selector), parameters) => {
                if parameters.is_some() {
                    self.error(
                        Code::Conflict,
                        at.field("Parameters"),
                        "a Map's `Parameters` is the former name of `ItemSelector`; keep only `ItemSelector`",
                    );
                }
                Some(selector.clone())
            }
            (None, parameters) => parameters.cloned(),
        };
        let mut map = Map::new(processor);
        map.comment = comment;
        map.label = self.string(object, "Label", at);
        map.input_path = self.data_path(object, "InputPath", at);
        map.item_reader = self.nested(
            object,
            "ItemReader",
            at,
            ITEM_READER_FIELDS,
            Self::item_reader,
        );
        if let Some(items_path) = self.string(object, "ItemsPath", at) {
            map.items_path = items_path;
        }
        map.items = self.json(object, "Items");
        map.item_selector = selector;
        map.item_batcher = self.nested(
            object,
            "ItemBatcher",
            at,
            ITEM_BATCHER_FIELDS,
            Self::item_batcher,
        );
        if let Some(max) = self.setting(object, "MaxConcurrency", at, Self::unsigned) {
            map.max_concurrency = max;
        }
        if let Some(count) = self.setting(object, "ToleratedFailureCount", at, Self::unsigned) {
            map.tolerated_failure_count = count;
        }
        if let Some(percentage) =
            self.setting(object, "ToleratedFailurePercentage", at, Self::float)
        {
            map.tolerated_failure_percentage = percentage;
        }
        map.result_writer = self.nested(
            object,
            "ResultWriter",
            at,
            RESULT_WRITER_FIELDS,
            Self::result_writer,
        );
        map.result_selector = self.json(object, "ResultSelector");
        map.result_path = self.data_path(object, "ResultPath", at);
        map.output_path = self.data_path(object, "OutputPath", at);
        map.output = self.json(object, "Output");
        map.assign = self.json(object, "Assign");
        map.retry = self.retriers(object, at);
        map.catch = self.catchers(object, at);
        map.transition = self.transition(object, at);
        map
    }

    fn processor(&mut self, value: &Value, at: &Location, allowed: &[&str]) -> ItemProcessor {
        let mut processor = ItemProcessor::new("");
        let Some(object) = self.object(value, at, "an item processor") else {
            return processor;
        };
        let object = &self.check_fields(object, &[allowed], at, "an item processor");
        processor.comment = self.string(object, "Comment", at);
        let config = self.nested(
            object,
            "ProcessorConfig",
            at,
            PROCESSOR_CONFIG_FIELDS,
            |reader, config, at| ProcessorConfig {
                mode: reader.keyword(config, "Mode", at).unwrap_or_default(),
                execution_type: reader.keyword(config, "ExecutionType", at),
            },
        );
        processor.processor_config = config.unwrap_or_default();
        processor.start_at = self.required_string(object, "StartAt", at, "an item processor");
        processor.states = self.states(object, at, "an item processor");
        processor
    }

    fn item_reader(&mut self, object: &Object, at: &Location) -> ItemReader {
        let reader_config = self.nested(
            object,
            "ReaderConfig",
            at,
            READER_CONFIG_FIELDS,
            |reader, config, at| ReaderConfig {
                input_type: reader.keyword(config, "InputType", at),
                transformation: reader.keyword(config, "Transformation", at),
                manifest_type: reader.keyword(config, "ManifestType", at),
                csv_delimiter: reader.keyword(config, "CSVDelimiter", at),
                csv_header_location: reader.keyword(config, "CSVHeaderLocation", at),
                csv_headers: reader.string_list(config, "CSVHeaders", at),
                max_items: reader.setting(config, "MaxItems", at, Self::unsigned),
                items_pointer: reader.string(config, "ItemsPointer", at),
            },
        );
        ItemReader {
            resource: self.required_string(object, "Resource", at, "`ItemReader`"),
            parameters: self.json(object, "Parameters"),
            arguments: self.json(object, "Arguments"),
            reader_config,
        }
    }

    fn item_batcher(&mut self, object: &Object, at: &Location) -> ItemBatcher {
        ItemBatcher {
            max_items_per_batch: self.setting(object, "MaxItemsPerBatch", at, Self::unsigned),
            max_input_bytes_per_batch: self.setting(
                object,
                "MaxInputBytesPerBatch",
                at,
                Self::unsigned,
            ),
            batch_input: self.json(object, "BatchInput"),
        }
    }

    fn result_writer(&mut self, object: &Object, at: &Location) -> ResultWriter {
        ResultWriter {
            resource: self.string(object, "Resource", at),
            parameters: self.json(object, "Parameters"),
            arguments: self.json(object, "Arguments"),
            writer_config: self.nested(
                object,
                "WriterConfig",
                at,
                WRITER_CONFIG_FIELDS,
                |reader, config, at| WriterConfig {
                    output_type: reader.keyword(config, "OutputType", at),
                    transformation: reader.keyword(config, "Transformation", at),
                },
            ),
        }
    }

    // ----- error handling -----

    fn list<'v>(
        &mut self,
        object: &'v Object,
        key: &str,
        at: &Location,
        what: &str,
    ) -> &'v [Value] {
        match object.get(key) {
            None => &[],
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.error(
                    Code::WrongType,
                    at.field(key),
                    format!(
                        "`{key}` must be an array of {what}, found {}",
                        kind_of(other)
                    ),
                );
                &[]
            }
        }
    }

    fn error_equals(&mut self, object: &Object, at: &Location, what: &str) -> Vec<String> {
        if !object.contains_key("ErrorEquals") {
            self.error(
                Code::MissingField,
                at.field("ErrorEquals"),
                format!("{what} needs `ErrorEquals`: the error names it handles"),
            );
        }
        self.string_list(object, "ErrorEquals", at)
            .unwrap_or_default()
    }

    fn retriers(&mut self, object: &Object, at: &Location) -> Vec<Retrier> {
        let items = self.list(object, "Retry", at, "retriers");
        let list_at = at.field("Retry");
        let mut out = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let at = list_at.index(index);
            let Some(object) = self.object(item, &at, "a retrier") else {
                continue;
            };
            let object = &self.check_fields(object, &[RETRIER_FIELDS], &at, "a retrier");
            let mut retrier = Retrier::new(self.error_equals(object, &at, "a retrier"));
            retrier.comment = self.string(object, "Comment", &at);
            if let Some(interval) = self.unsigned(object, "IntervalSeconds", &at) {
                retrier.interval_seconds = interval;
            }
            if let Some(attempts) = self.unsigned(object, "MaxAttempts", &at) {
                retrier.max_attempts = attempts;
            }
            if let Some(rate) = self.float(object, "BackoffRate", &at) {
                retrier.backoff_rate = rate;
            }
            retrier.max_delay_seconds = self.unsigned(object, "MaxDelaySeconds", &at);
            if let Some(jitter) = self.keyword(object, "JitterStrategy", &at) {
                retrier.jitter_strategy = jitter;
            }
            out.push(retrier);
        }
        out
    }

    fn catchers(&mut self, object: &Object, at: &Location) -> Vec<Catcher> {
        let items = self.list(object, "Catch", at, "catchers");
        let list_at = at.field("Catch");
        let mut out = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let at = list_at.index(index);
            let Some(object) = self.object(item, &at, "a catcher") else {
                continue;
            };
            let object = &self.check_fields(object, &[CATCHER_FIELDS], &at, "a catcher");
            let errors = self.error_equals(object, &at, "a catcher");
            let next = self.required_string(object, "Next", &at, "a catcher");
            let mut catcher = Catcher::new(errors, next);
            catcher.comment = self.string(object, "Comment", &at);
            catcher.result_path = self.data_path(object, "ResultPath", &at);
            catcher.output = self.json(object, "Output");
            catcher.assign = self.json(object, "Assign");
            out.push(catcher);
        }
        out
    }

    // ----- choice -----

    fn choice(&mut self, object: &Object, at: &Location, comment: Option<String>) -> Choice {
        let mut choices = Vec::new();
        match object.get("Choices") {
            None => self.error(
                Code::MissingField,
                at.field("Choices"),
                "a Choice state needs `Choices`: its rules",
            ),
            Some(Value::Array(items)) => {
                let list_at = at.field("Choices");
                for (index, item) in items.iter().enumerate() {
                    let rule_at = list_at.index(index);
                    if let Some(rule) = self.object(item, &rule_at, "a Choice rule") {
                        let rule = &self.check_rule_fields(rule, &rule_at);
                        let condition = match self.language {
                            QueryLanguage::JsonPath => self.condition(rule, &rule_at),
                            QueryLanguage::Jsonata => self.jsonata_condition(rule, &rule_at),
                        };
                        let next =
                            self.required_string(rule, "Next", &rule_at, "a top-level Choice rule");
                        choices.push(ChoiceRule {
                            condition,
                            next,
                            assign: self.json(rule, "Assign"),
                            output: self.json(rule, "Output"),
                        });
                    }
                }
            }
            Some(other) => self.error(
                Code::WrongType,
                at.field("Choices"),
                format!(
                    "`Choices` must be an array of rules, found {}",
                    kind_of(other)
                ),
            ),
        }
        Choice {
            comment,
            input_path: self.data_path(object, "InputPath", at),
            choices,
            default: self.string(object, "Default", at),
            output_path: self.data_path(object, "OutputPath", at),
            output: self.json(object, "Output"),
            assign: self.json(object, "Assign"),
            query_language: None,
        }
    }

    /// A JSONata rule's `Condition`, kept as written.
    fn jsonata_condition(&mut self, rule: &Object, at: &Location) -> Condition {
        let comment = self.string(rule, "Comment", at);
        let value = match rule.get("Condition") {
            Some(value) => value.clone(),
            None => {
                self.error(
                    Code::InvalidChoiceRule,
                    at.field("Condition"),
                    "a JSONata Choice rule needs `Condition`: a `{% ... %}` expression that gives true or false",
                );
                Value::Bool(false)
            }
        };
        Condition {
            comment,
            kind: ConditionKind::Jsonata(value),
        }
    }

    fn nested_condition(&mut self, value: &Value, at: &Location) -> Condition {
        match self.object(value, at, "a nested Choice rule") {
            Some(rule) => {
                let rule = &self.check_rule_fields(rule, at);
                for key in ["Next", "Assign"] {
                    if rule.contains_key(key) {
                        self.error(
                            Code::InvalidChoiceRule,
                            at.field(key),
                            format!("only top-level Choice rules have `{key}`; a rule inside `And`, `Or` or `Not` does not"),
                        );
                    }
                }
                self.condition(rule, at)
            }
            None => placeholder_condition(),
        }
    }

    fn check_rule_fields<'v>(&mut self, rule: &'v Object, at: &Location) -> Cow<'v, Object> {
        self.check_fields(
            rule,
            &[RULE_FIELDS, &OperatorField::ALL_NAMES],
            at,
            "a Choice rule",
        )
    }

    fn condition(&mut self, rule: &Object, at: &Location) -> Condition {
        let comment = self.string(rule, "Comment", at);
        let combinators: Vec<&str> = ["And", "Or", "Not"]
            .into_iter()
            .filter(|key| rule.contains_key(*key))
            .collect();
        let operators: Vec<(&str, OperatorField)> = rule
            .keys()
            .filter_map(|key| OperatorField::from_name(key).map(|field| (key.as_str(), field)))
            .collect();
        let has_variable = rule.contains_key("Variable");

        let kind = if let Some(first) = combinators.first() {
            if combinators.len() > 1 || has_variable || !operators.is_empty() {
                self.error(
                    Code::InvalidChoiceRule,
                    at.clone(),
                    "a Choice rule is either one of `And`, `Or`, `Not`, or `Variable` with one comparison operator, not several",
                );
            }
            match *first {
                "Not" => {
                    let inner = rule.get("Not").map_or_else(placeholder_condition, |value| {
                        self.nested_condition(value, &at.field("Not"))
                    });
                    ConditionKind::Not(Box::new(inner))
                }
                key => {
                    let items = self.list(rule, key, at, "Choice rules");
                    let list_at = at.field(key);
                    let nested = items
                        .iter()
                        .enumerate()
                        .map(|(index, item)| self.nested_condition(item, &list_at.index(index)))
                        .collect();
                    if key == "And" {
                        ConditionKind::And(nested)
                    } else {
                        ConditionKind::Or(nested)
                    }
                }
            }
        } else {
            let variable = match self.string(rule, "Variable", at) {
                Some(variable) => variable,
                None => {
                    if !has_variable {
                        self.error(
                            Code::InvalidChoiceRule,
                            at.clone(),
                            if operators.is_empty() {
                                "a Choice rule needs `Variable` with a comparison operator (such as `NumericEquals` or `IsPresent`), or `And`, `Or`, `Not`"
                            } else {
                                "a comparison needs `Variable`: the path of the value to compare"
                            },
                        );
                    }
                    "$".to_string()
                }
            };
            let comparison = match operators.as_slice() {
                [] => {
                    if has_variable {
                        self.error(
                            Code::InvalidChoiceRule,
                            at.clone(),
                            "a rule with `Variable` needs one comparison operator, such as `StringEquals`, `NumericLessThan` or `IsPresent`",
                        );
                    }
                    Comparison::Is(TypeTest::Present, true)
                }
                [(key, field), rest @ ..] => {
                    if let Some((other, _)) = rest.first() {
                        self.error(
                            Code::InvalidChoiceRule,
                            at.field(*other),
                            format!(
                                "a rule compares with one operator; found `{key}` and `{other}`"
                            ),
                        );
                    }
                    self.comparison(rule, key, *field, at)
                }
            };
            ConditionKind::Test {
                variable,
                comparison,
            }
        };
        Condition { comment, kind }
    }

    fn comparison(
        &mut self,
        rule: &Object,
        key: &str,
        field: OperatorField,
        at: &Location,
    ) -> Comparison {
        let value = &rule[key];
        let here = at.field(key);
        let wrong = |reader: &mut Self, expected: &str| {
            reader.error(
                Code::WrongType,
                here.clone(),
                format!("`{key}` takes {expected}, found {}", kind_of(value)),
            );
        };
        match field {
            OperatorField::Matches => match value {
                Value::String(pattern) => Comparison::StringMatches(pattern.clone()),
                _ => {
                    wrong(self, "a string pattern");
                    Comparison::StringMatches(String::new())
                }
            },
            OperatorField::Is(test) => match value {
                Value::Bool(expected) => Comparison::Is(test, *expected),
                _ => {
                    wrong(self, "true or false");
                    Comparison::Is(test, true)
                }
            },
            OperatorField::Ordering {
                kind,
                operator,
                path: true,
            } => {
                let path = match value {
                    Value::String(path) => path.clone(),
                    _ => {
                        wrong(self, "a path string");
                        "$".to_string()
                    }
                };
                match kind {
                    ComparedKind::String => Comparison::String(operator, ValueOrPath::Path(path)),
                    ComparedKind::Numeric => Comparison::Numeric(operator, ValueOrPath::Path(path)),
                    ComparedKind::Timestamp => {
                        Comparison::Timestamp(operator, ValueOrPath::Path(path))
                    }
                    ComparedKind::Boolean => Comparison::BooleanEquals(ValueOrPath::Path(path)),
                }
            }
            OperatorField::Ordering {
                kind,
                operator,
                path: false,
            } => match kind {
                ComparedKind::String | ComparedKind::Timestamp => {
                    let text = match value {
                        Value::String(text) => text.clone(),
                        _ => {
                            wrong(self, "a string");
                            String::new()
                        }
                    };
                    if kind == ComparedKind::String {
                        Comparison::String(operator, ValueOrPath::Value(text))
                    } else {
                        Comparison::Timestamp(operator, ValueOrPath::Value(text))
                    }
                }
                ComparedKind::Numeric => {
                    let number = match value {
                        Value::Number(number) => number.clone(),
                        _ => {
                            wrong(self, "a number");
                            Number::from(0)
                        }
                    };
                    Comparison::Numeric(operator, ValueOrPath::Value(number))
                }
                ComparedKind::Boolean => {
                    let flag = match value {
                        Value::Bool(flag) => *flag,
                        _ => {
                            wrong(self, "true or false");
                            false
                        }
                    };
                    Comparison::BooleanEquals(ValueOrPath::Value(flag))
                }
            },
        }
    }
}

/// The text of a `{% ... %}` string: one that starts with `{%` and ends
/// with `%}`, with nothing before or after.
pub(crate) fn expression_text(text: &str) -> Option<&str> {
    text.strip_prefix("{%")?.strip_suffix("%}")
}

/// The state with its own `QueryLanguage` set.
fn with_query_language(mut state: State, language: Option<QueryLanguage>) -> State {
    match &mut state {
        State::Task(s) => s.query_language = language,
        State::Pass(s) => s.query_language = language,
        State::Choice(s) => s.query_language = language,
        State::Wait(s) => s.query_language = language,
        State::Succeed(s) => s.query_language = language,
        State::Fail(s) => s.query_language = language,
        State::Parallel(s) => s.query_language = language,
        State::Map(s) => s.query_language = language,
    }
    state
}

fn placeholder_condition() -> Condition {
    Condition::is("$", TypeTest::Present, true)
}

/// `; did you mean `x`?`, or nothing.
fn suggestion_text(suggestion: Option<&str>) -> String {
    suggestion
        .map(|name| format!("; did you mean `{name}`?"))
        .unwrap_or_default()
}

/// The object with misspelled keys renamed to their suggestions (unless a
/// field of the suggested name is already there) and the fields of the
/// other query language left out.
fn adjusted<'v>(
    object: &'v Object,
    renames: &[(&str, &str)],
    left_out: &[&str],
) -> Cow<'v, Object> {
    let renames: Vec<_> = renames
        .iter()
        .filter(|(_, to)| !object.contains_key(*to))
        .collect();
    if renames.is_empty() && left_out.is_empty() {
        return Cow::Borrowed(object);
    }
    let renamed = object
        .iter()
        .filter(|(key, _)| !left_out.contains(&key.as_str()))
        .map(|(key, value)| {
            let key = renames
                .iter()
                .find(|(from, _)| from == key)
                .map_or(key.as_str(), |(_, to)| to);
            (key.to_string(), value.clone())
        })
        .collect();
    Cow::Owned(renamed)
}
