//! Writing a model as canonical ASL JSON.
//!
//! Fields come in a fixed order: `Type`, `Comment` and `QueryLanguage`,
//! then what the state does, then its data flow in the order it applies
//! (InputPath, Parameters or Arguments, ..., ResultSelector, ResultPath,
//! OutputPath, Output), then Assign, then Retry and Catch, then `Next` or
//! `End`. Fields at their default are left out. JSONata expressions given
//! as settings are written back as `{% ... %}` strings.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use crate::model::*;

/// Writes the entries of one JSON object, skipping defaults.
struct Fields<M> {
    map: M,
}

impl<M: SerializeMap> Fields<M> {
    fn entry<V: Serialize + ?Sized>(&mut self, key: &str, value: &V) -> Result<(), M::Error> {
        self.map.serialize_entry(key, value)
    }

    fn optional<V: Serialize>(&mut self, key: &str, value: &Option<V>) -> Result<(), M::Error> {
        match value {
            Some(value) => self.entry(key, value),
            None => Ok(()),
        }
    }

    fn list<V: Serialize>(&mut self, key: &str, items: &[V]) -> Result<(), M::Error> {
        if items.is_empty() {
            Ok(())
        } else {
            self.entry(key, items)
        }
    }

    fn data_path(&mut self, key: &str, path: &DataPath) -> Result<(), M::Error> {
        match path {
            _ if path.is_root() => Ok(()),
            DataPath::Path(path) => self.entry(key, path),
            DataPath::Null => self.entry(key, &Value::Null),
        }
    }

    /// `Key` with a value, or `KeyPath` with a path.
    fn value_or_path<T: Serialize>(
        &mut self,
        key: &str,
        field: &ValueOrPath<T>,
    ) -> Result<(), M::Error> {
        match field {
            ValueOrPath::Value(value) => self.entry(key, value),
            ValueOrPath::Path(path) => self.entry(&format!("{key}Path"), path),
            ValueOrPath::Expression(text) => self.expression(key, text),
        }
    }

    /// A JSONata expression as the `{% ... %}` string it was written as.
    fn expression(&mut self, key: &str, text: &str) -> Result<(), M::Error> {
        self.entry(key, &expression_string(text))
    }

    fn optional_value_or_path<T: Serialize>(
        &mut self,
        key: &str,
        field: &Option<ValueOrPath<T>>,
    ) -> Result<(), M::Error> {
        match field {
            Some(field) => self.value_or_path(key, field),
            None => Ok(()),
        }
    }

    /// Like `value_or_path`, leaving the default value out.
    fn value_or_path_unless<T: Serialize + PartialEq>(
        &mut self,
        key: &str,
        field: &ValueOrPath<T>,
        default: T,
    ) -> Result<(), M::Error> {
        match field {
            ValueOrPath::Value(value) if *value == default => Ok(()),
            field => self.value_or_path(key, field),
        }
    }

    fn transition(&mut self, transition: &Transition) -> Result<(), M::Error> {
        match transition {
            Transition::Next(next) => self.entry("Next", next),
            Transition::End => self.entry("End", &true),
        }
    }

    fn keyword<K: Keyword>(&mut self, key: &str, value: Option<K>) -> Result<(), M::Error> {
        match value {
            Some(value) => self.entry(key, value.as_str()),
            None => Ok(()),
        }
    }

    fn end(self) -> Result<M::Ok, M::Error> {
        self.map.end()
    }
}

/// `{%text%}`.
fn expression_string(text: &str) -> String {
    format!("{{%{text}%}}")
}

fn fields<S: Serializer>(serializer: S) -> Result<Fields<S::SerializeMap>, S::Error> {
    Ok(Fields {
        map: serializer.serialize_map(None)?,
    })
}

impl Serialize for StateMachine {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer)?;
        out.optional("Comment", &self.comment)?;
        if self.query_language != QueryLanguage::JsonPath {
            out.entry("QueryLanguage", self.query_language.as_str())?;
        }
        out.entry("StartAt", &self.start_at)?;
        out.optional("TimeoutSeconds", &self.timeout_seconds)?;
        if self.version != DEFAULT_VERSION {
            out.entry("Version", &self.version)?;
        }
        out.entry("States", &StatesOut(&self.states))?;
        out.end()
    }
}

/// A `States` object, in the order the states were written.
struct StatesOut<'a>(&'a States);

impl Serialize for StatesOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, state) in self.0 {
            map.serialize_entry(name, state)?;
        }
        map.end()
    }
}

impl Serialize for State {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer)?;
        out.entry("Type", self.state_type().as_str())?;
        if let Some(comment) = self.comment() {
            out.entry("Comment", comment)?;
        }
        if let Some(language) = self.query_language() {
            out.entry("QueryLanguage", language.as_str())?;
        }
        match self {
            State::Task(task) => {
                out.entry("Resource", &task.resource)?;
                out.data_path("InputPath", &task.input_path)?;
                out.optional("Parameters", &task.parameters)?;
                out.optional("Arguments", &task.arguments)?;
                out.optional("Credentials", &task.credentials)?;
                out.optional_value_or_path("TimeoutSeconds", &task.timeout)?;
                out.optional_value_or_path("HeartbeatSeconds", &task.heartbeat)?;
                out.optional("ResultSelector", &task.result_selector)?;
                out.data_path("ResultPath", &task.result_path)?;
                out.data_path("OutputPath", &task.output_path)?;
                out.optional("Output", &task.output)?;
                out.optional("Assign", &task.assign)?;
                out.list("Retry", &task.retry)?;
                out.list("Catch", &task.catch)?;
                out.transition(&task.transition)?;
            }
            State::Pass(pass) => {
                out.data_path("InputPath", &pass.input_path)?;
                out.optional("Parameters", &pass.parameters)?;
                out.optional("Result", &pass.result)?;
                out.data_path("ResultPath", &pass.result_path)?;
                out.data_path("OutputPath", &pass.output_path)?;
                out.optional("Output", &pass.output)?;
                out.optional("Assign", &pass.assign)?;
                out.transition(&pass.transition)?;
            }
            State::Choice(choice) => {
                out.data_path("InputPath", &choice.input_path)?;
                out.entry("Choices", &choice.choices)?;
                out.optional("Default", &choice.default)?;
                out.data_path("OutputPath", &choice.output_path)?;
                out.optional("Output", &choice.output)?;
                out.optional("Assign", &choice.assign)?;
            }
            State::Wait(wait) => {
                out.data_path("InputPath", &wait.input_path)?;
                match &wait.until {
                    WaitUntil::Seconds(seconds) => out.entry("Seconds", seconds)?,
                    WaitUntil::Timestamp(text)
                    | WaitUntil::SecondsPath(text)
                    | WaitUntil::TimestampPath(text) => out.entry(wait.until.field_name(), text)?,
                    WaitUntil::SecondsExpression(text) | WaitUntil::TimestampExpression(text) => {
                        out.expression(wait.until.field_name(), text)?;
                    }
                }
                out.data_path("OutputPath", &wait.output_path)?;
                out.optional("Output", &wait.output)?;
                out.optional("Assign", &wait.assign)?;
                out.transition(&wait.transition)?;
            }
            State::Succeed(succeed) => {
                out.data_path("InputPath", &succeed.input_path)?;
                out.data_path("OutputPath", &succeed.output_path)?;
                out.optional("Output", &succeed.output)?;
            }
            State::Fail(fail) => {
                out.optional_value_or_path("Error", &fail.error)?;
                out.optional_value_or_path("Cause", &fail.cause)?;
            }
            State::Parallel(parallel) => {
                out.data_path("InputPath", &parallel.input_path)?;
                out.optional("Parameters", &parallel.parameters)?;
                out.optional("Arguments", &parallel.arguments)?;
                out.entry("Branches", &parallel.branches)?;
                out.optional("ResultSelector", &parallel.result_selector)?;
                out.data_path("ResultPath", &parallel.result_path)?;
                out.data_path("OutputPath", &parallel.output_path)?;
                out.optional("Output", &parallel.output)?;
                out.optional("Assign", &parallel.assign)?;
                out.list("Retry", &parallel.retry)?;
                out.list("Catch", &parallel.catch)?;
                out.transition(&parallel.transition)?;
            }
            State::Map(map) => write_map(&mut out, map)?,
        }
        out.end()
    }
}

fn write_map<M: SerializeMap>(out: &mut Fields<M>, map: &Map) -> Result<(), M::Error> {
    out.optional("Label", &map.label)?;
    out.data_path("InputPath", &map.input_path)?;
    out.optional("ItemReader", &map.item_reader)?;
    if map.items_path != DEFAULT_ITEMS_PATH {
        out.entry("ItemsPath", &map.items_path)?;
    }
    out.optional("Items", &map.items)?;
    out.optional("ItemSelector", &map.item_selector)?;
    out.optional("ItemBatcher", &map.item_batcher)?;
    out.value_or_path_unless("MaxConcurrency", &map.max_concurrency, 0)?;
    out.value_or_path_unless("ToleratedFailureCount", &map.tolerated_failure_count, 0)?;
    out.value_or_path_unless(
        "ToleratedFailurePercentage",
        &map.tolerated_failure_percentage,
        0.0,
    )?;
    out.entry("ItemProcessor", &map.item_processor)?;
    out.optional("ResultWriter", &map.result_writer)?;
    out.optional("ResultSelector", &map.result_selector)?;
    out.data_path("ResultPath", &map.result_path)?;
    out.data_path("OutputPath", &map.output_path)?;
    out.optional("Output", &map.output)?;
    out.optional("Assign", &map.assign)?;
    out.list("Retry", &map.retry)?;
    out.list("Catch", &map.catch)?;
    out.transition(&map.transition)
}

impl Serialize for ChoiceRule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer)?;
        write_condition(&mut out, &self.condition)?;
        out.optional("Output", &self.output)?;
        out.optional("Assign", &self.assign)?;
        out.entry("Next", &self.next)?;
        out.end()
    }
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer)?;
        write_condition(&mut out, self)?;
        out.end()
    }
}

fn write_condition<M: SerializeMap>(
    out: &mut Fields<M>,
    condition: &Condition,
) -> Result<(), M::Error> {
    out.optional("Comment", &condition.comment)?;
    match &condition.kind {
        ConditionKind::And(all) => out.entry("And", all),
        ConditionKind::Or(any) => out.entry("Or", any),
        ConditionKind::Not(inner) => out.entry("Not", inner),
        ConditionKind::Jsonata(condition) => out.entry("Condition", condition),
        ConditionKind::Test {
            variable,
            comparison,
        } => {
            out.entry("Variable", variable)?;
            let name = comparison.operator_name();
            match comparison {
                Comparison::String(_, operand) | Comparison::Timestamp(_, operand) => {
                    operand_entry(out, name, operand)
                }
                Comparison::Numeric(_, operand) => operand_entry(out, name, operand),
                Comparison::BooleanEquals(operand) => operand_entry(out, name, operand),
                Comparison::StringMatches(pattern) => out.entry(name, pattern),
                Comparison::Is(_, expected) => out.entry(name, expected),
            }
        }
    }
}

/// An operator whose name already carries `Path` when the operand is a path.
fn operand_entry<M: SerializeMap, T: Serialize>(
    out: &mut Fields<M>,
    name: &str,
    operand: &ValueOrPath<T>,
) -> Result<(), M::Error> {
    match operand {
        ValueOrPath::Value(value) => out.entry(name, value),
        ValueOrPath::Path(path) => out.entry(name, path),
        ValueOrPath::Expression(text) => out.expression(name, text),
    }
}

impl Serialize for Retrier {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer)?;
        out.optional("Comment", &self.comment)?;
        out.entry("ErrorEquals", &self.error_equals)?;
        if self.interval_seconds != DEFAULT_INTERVAL_SECONDS {
            out.entry("IntervalSeconds", &self.interval_seconds)?;
        }
        if self.max_attempts != DEFAULT_MAX_ATTEMPTS {
            out.entry("MaxAttempts", &self.max_attempts)?;
        }
        if self.backoff_rate != DEFAULT_BACKOFF_RATE {
            out.entry("BackoffRate", &self.backoff_rate)?;
        }
        out.optional("MaxDelaySeconds", &self.max_delay_seconds)?;
        if self.jitter_strategy != JitterStrategy::None {
            out.entry("JitterStrategy", self.jitter_strategy.as_str())?;
        }
        out.end()
    }
}

impl Serialize for Catcher {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer)?;
        out.optional("Comment", &self.comment)?;
        out.entry("ErrorEquals", &self.error_equals)?;
        out.data_path("ResultPath", &self.result_path)?;
        out.optional("Output", &self.output)?;
        out.optional("Assign", &self.assign)?;
        out.entry("Next", &self.next)?;
        out.end()
    }
}

impl Serialize for Branch {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer)?;
        out.optional("Comment", &self.comment)?;
        out.entry("StartAt", &self.start_at)?;
        out.entry("States", &StatesOut(&self.states))?;
        out.end()
    }
}

impl Serialize for ItemProcessor {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer)?;
        out.optional("Comment", &self.comment)?;
        if self.processor_config != ProcessorConfig::default() {
            out.entry("ProcessorConfig", &self.processor_config)?;
        }
        out.entry("StartAt", &self.start_at)?;
        out.entry("States", &StatesOut(&self.states))?;
        out.end()
    }
}

impl Serialize for ProcessorConfig {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer)?;
        if self.mode != ProcessorMode::Inline {
            out.entry("Mode", self.mode.as_str())?;
        }
        out.keyword("ExecutionType", self.execution_type)?;
        out.end()
    }
}

impl Serialize for ItemReader {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer)?;
        out.entry("Resource", &self.resource)?;
        out.optional("ReaderConfig", &self.reader_config)?;
        out.optional("Parameters", &self.parameters)?;
        out.optional("Arguments", &self.arguments)?;
        out.end()
    }
}

impl Serialize for ReaderConfig {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer)?;
        out.keyword("InputType", self.input_type)?;
        out.keyword("Transformation", self.transformation)?;
        out.keyword("ManifestType", self.manifest_type)?;
        out.keyword("CSVDelimiter", self.csv_delimiter)?;
        out.keyword("CSVHeaderLocation", self.csv_header_location)?;
        out.optional("CSVHeaders", &self.csv_headers)?;
        out.optional_value_or_path("MaxItems", &self.max_items)?;
        out.optional("ItemsPointer", &self.items_pointer)?;
        out.end()
    }
}

impl Serialize for ItemBatcher {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer)?;
        out.optional_value_or_path("MaxItemsPerBatch", &self.max_items_per_batch)?;
        out.optional_value_or_path("MaxInputBytesPerBatch", &self.max_input_bytes_per_batch)?;
        out.optional("BatchInput", &self.batch_input)?;
        out.end()
    }
}

impl Serialize for ResultWriter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer)?;
        out.optional("Resource", &self.resource)?;
        out.optional("WriterConfig", &self.writer_config)?;
        out.optional("Parameters", &self.parameters)?;
        out.optional("Arguments", &self.arguments)?;
        out.end()
    }
}

impl Serialize for WriterConfig {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer)?;
        out.keyword("OutputType", self.output_type)?;
        out.keyword("Transformation", self.transformation)?;
        out.end()
    }
}
