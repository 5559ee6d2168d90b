//! The rules each state's own fields must follow: paths, payload templates,
//! numbers and their bounds, and the fields each mode of Map allows.

use serde_json::Value;

use crate::diagnostic::{Code, Diagnostics};
use crate::intrinsic::{Function, IntrinsicCall, looks_like_call};
use crate::location::Location;
use crate::model::*;
use crate::path::{Path, ReferencePath, Root};
use crate::payload;
use crate::timestamp::is_timestamp;

use super::jsonata::ExpressionCache;
use super::literal_text;
use super::{DefinitionForm, Here, MAX_SECONDS, choice, error_handling, jsonata};

/// The most characters of a Map Label.
const MAX_LABEL_LENGTH: usize = 40;
/// The most items a Distributed Map's reader may be limited to.
const MAX_ITEMS: u64 = 100_000_000;
/// The most bytes of a batch of items (256 KiB).
const MAX_BATCH_BYTES: u64 = 262_144;
/// The intrinsic functions that Fail's ErrorPath and CausePath may call.
const FAIL_FUNCTIONS: [Function; 7] = [
    Function::Format,
    Function::JsonToString,
    Function::ArrayGetItem,
    Function::Base64Encode,
    Function::Base64Decode,
    Function::Hash,
    Function::Uuid,
];

/// Checks every state's own fields; gives back the JSONata expressions it
/// compiled, for the checks that read them again.
pub(super) fn check_states(
    machine: &StateMachine,
    form: DefinitionForm,
    out: &mut Diagnostics,
) -> ExpressionCache {
    let root = Location::root();
    let top = Here::Root(&root);
    let mut checker = Checker {
        out,
        language: machine.query_language,
        expressions: ExpressionCache::default(),
        form,
    };
    if machine.version != DEFAULT_VERSION {
        checker.out.error(
            Code::InvalidValue,
            root.field("Version"),
            format!(
                "`{}` is not a language version; the only one is `1.0`",
                machine.version
            ),
        );
    }
    if let Some(timeout) = machine.timeout_seconds {
        checker.range(
            timeout,
            1,
            MAX_SECONDS,
            &top.field("TimeoutSeconds"),
            "TimeoutSeconds",
        );
    }
    checker.scope(&machine.states, &top);
    checker.expressions
}

/// Reports into the diagnostics while walking states.
pub(super) struct Checker<'d> {
    pub(super) out: &'d mut Diagnostics,
    /// The machine's query language, which its states speak unless they
    /// name their own.
    pub(super) language: QueryLanguage,
    /// Every expression compiled so far.
    pub(super) expressions: ExpressionCache,
    /// Whether `${...}` placeholders may stand in Resource ARNs.
    pub(super) form: DefinitionForm,
}

/// What a path field may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum PathKind {
    /// Any JSONPath, on the data or the context object.
    Path,
    /// A reference path, on the data or the context object.
    Reference,
    /// A reference path into the data only (ResultPath).
    Writable,
}

impl Checker<'_> {
    pub(super) fn error(&mut self, code: Code, here: &Here<'_>, message: impl Into<String>) {
        self.out.error(code, here.location(), message);
    }

    fn scope(&mut self, states: &States, at: &Here<'_>) {
        let states_at = at.field("States");
        for (name, state) in states {
            self.state(state, &states_at.field(name));
        }
    }

    fn state(&mut self, state: &State, at: &Here<'_>) {
        match state {
            State::Task(task) => self.task(task, at),
            State::Pass(pass) => {
                self.data_path(&pass.input_path, at, "InputPath", PathKind::Path);
                self.payload(pass.parameters.as_ref(), at, "Parameters");
                if let Some(result) = &pass.result {
                    literal_text::pass_result_is_static(self.out, result, &at.field("Result"));
                }
                self.data_path(&pass.result_path, at, "ResultPath", PathKind::Writable);
                self.data_path(&pass.output_path, at, "OutputPath", PathKind::Path);
            }
            State::Choice(state) => {
                self.data_path(&state.input_path, at, "InputPath", PathKind::Path);
                choice::check_choice(self, state, at);
                self.data_path(&state.output_path, at, "OutputPath", PathKind::Path);
            }
            State::Wait(wait) => {
                self.data_path(&wait.input_path, at, "InputPath", PathKind::Path);
                let field = wait.until.field_name();
                let here = at.field(field);
                match &wait.until {
                    WaitUntil::Seconds(seconds) => {
                        self.range(*seconds, 0, MAX_SECONDS, &here, field)
                    }
                    WaitUntil::Timestamp(text) => self.timestamp(text, &here),
                    WaitUntil::SecondsPath(path) | WaitUntil::TimestampPath(path) => {
                        self.path(path, &here, PathKind::Reference)
                    }
                    WaitUntil::SecondsExpression(text) | WaitUntil::TimestampExpression(text) => {
                        self.expression(text, &here)
                    }
                }
                self.data_path(&wait.output_path, at, "OutputPath", PathKind::Path);
            }
            State::Succeed(succeed) => {
                self.data_path(&succeed.input_path, at, "InputPath", PathKind::Path);
                self.data_path(&succeed.output_path, at, "OutputPath", PathKind::Path);
            }
            State::Fail(fail) => {
                if let Some(ValueOrPath::Value(name)) = &fail.error
                    && let Some(message) = error_handling::reserved_name_problem(name)
                {
                    self.out.warning(
                        Code::ReservedErrorName,
                        at.field("Error").location(),
                        message,
                    );
                }
                self.fail_text(fail.error.as_ref(), at, "Error");
                self.fail_text(fail.cause.as_ref(), at, "Cause");
            }
            State::Parallel(parallel) => self.parallel(parallel, at),
            State::Map(map) => self.map(map, at),
        }
        jsonata::state(self, state, at);
        let retry_at = at.field("Retry");
        error_handling::check_retriers(self, state.retriers(), &retry_at);
        let catch_at = at.field("Catch");
        error_handling::check_catchers(self, state.catchers(), &catch_at);
    }

    fn task(&mut self, task: &Task, at: &Here<'_>) {
        self.resource(&task.resource, &at.field("Resource"));
        self.credentials(task.credentials.as_ref(), at);
        self.data_path(&task.input_path, at, "InputPath", PathKind::Path);
        self.payload(task.parameters.as_ref(), at, "Parameters");
        self.seconds_setting(task.timeout.as_ref(), at, "TimeoutSeconds", 1);
        self.seconds_setting(task.heartbeat.as_ref(), at, "HeartbeatSeconds", 1);
        if let (Some(ValueOrPath::Value(heartbeat)), Some(ValueOrPath::Value(timeout))) =
            (&task.heartbeat, &task.timeout)
            && heartbeat >= timeout
        {
            self.error(
                Code::InvalidValue,
                &at.field("HeartbeatSeconds"),
                format!(
                    "HeartbeatSeconds ({heartbeat}) must be smaller than TimeoutSeconds ({timeout})"
                ),
            );
        }
        self.payload(task.result_selector.as_ref(), at, "ResultSelector");
        self.data_path(&task.result_path, at, "ResultPath", PathKind::Writable);
        self.data_path(&task.output_path, at, "OutputPath", PathKind::Path);
    }

    fn parallel(&mut self, parallel: &Parallel, at: &Here<'_>) {
        self.data_path(&parallel.input_path, at, "InputPath", PathKind::Path);
        self.payload(parallel.parameters.as_ref(), at, "Parameters");
        let branches_at = at.field("Branches");
        if parallel.branches.is_empty() {
            self.error(
                Code::MissingField,
                &branches_at,
                "a Parallel state needs at least one branch",
            );
        }
        for (index, branch) in parallel.branches.iter().enumerate() {
            self.scope(&branch.states, &branches_at.index(index));
        }
        self.payload(parallel.result_selector.as_ref(), at, "ResultSelector");
        self.data_path(&parallel.result_path, at, "ResultPath", PathKind::Writable);
        self.data_path(&parallel.output_path, at, "OutputPath", PathKind::Path);
    }

    fn map(&mut self, map: &Map, at: &Here<'_>) {
        let distributed = map.is_distributed();
        self.data_path(&map.input_path, at, "InputPath", PathKind::Path);
        self.path(&map.items_path, &at.field("ItemsPath"), PathKind::Reference);
        // A JSONata state's ItemSelector is checked with its expressions.
        if map.query_language.unwrap_or(self.language) == QueryLanguage::JsonPath {
            self.payload(map.item_selector.as_ref(), at, "ItemSelector");
        }
        self.u64_setting(&map.max_concurrency, at, "MaxConcurrency", 0, u64::MAX);
        self.u64_setting(
            &map.tolerated_failure_count,
            at,
            "ToleratedFailureCount",
            0,
            u64::MAX,
        );
        match &map.tolerated_failure_percentage {
            ValueOrPath::Value(percentage) => {
                if !(0.0..=100.0).contains(percentage) {
                    self.error(
                        Code::InvalidValue,
                        &at.field("ToleratedFailurePercentage"),
                        format!("ToleratedFailurePercentage is {percentage}; it must be between 0 and 100"),
                    );
                }
            }
            ValueOrPath::Path(path) => self.path(
                path,
                &at.field("ToleratedFailurePercentagePath"),
                PathKind::Reference,
            ),
            ValueOrPath::Expression(text) => {
                self.expression(text, &at.field("ToleratedFailurePercentage"))
            }
        }

        let processor_at = at.field("ItemProcessor");
        let config = map.item_processor.processor_config;
        if distributed && config.execution_type.is_none() {
            self.error(
                Code::MissingField,
                &processor_at.field("ProcessorConfig").field("ExecutionType"),
                "a Distributed Map needs `ExecutionType`: STANDARD or EXPRESS",
            );
        }
        if !distributed && config.execution_type.is_some() {
            self.error(
                Code::DistributedOnly,
                &processor_at.field("ProcessorConfig").field("ExecutionType"),
                "`ExecutionType` applies to a Distributed Map only; set `Mode` to DISTRIBUTED or remove it",
            );
        }
        self.scope(&map.item_processor.states, &processor_at);

        if let Some(label) = &map.label {
            self.label(label, &at.field("Label"));
        }
        if let Some(reader) = &map.item_reader {
            self.item_reader(reader, &at.field("ItemReader"));
        }
        if let Some(batcher) = &map.item_batcher {
            self.item_batcher(batcher, &at.field("ItemBatcher"));
        }
        if let Some(writer) = &map.result_writer {
            self.result_writer(writer, &at.field("ResultWriter"));
        }
        if !distributed {
            for (field, present) in [
                ("ItemReader", map.item_reader.is_some()),
                ("ItemBatcher", map.item_batcher.is_some()),
                ("ResultWriter", map.result_writer.is_some()),
                ("Label", map.label.is_some()),
            ] {
                if present {
                    self.error(
                        Code::DistributedOnly,
                        &at.field(field),
                        format!(
                            "`{field}` applies to a Distributed Map only; set `ItemProcessor.ProcessorConfig.Mode` to DISTRIBUTED"
                        ),
                    );
                }
            }
            for (field, set) in [
                (
                    "ToleratedFailureCount",
                    map.tolerated_failure_count != ValueOrPath::Value(0),
                ),
                (
                    "ToleratedFailurePercentage",
                    map.tolerated_failure_percentage != ValueOrPath::Value(0.0),
                ),
            ] {
                if set {
                    self.out.warning(
                        Code::DistributedOnly,
                        at.field(field).location(),
                        format!(
                            "AWS documents `{field}` for Distributed Maps; an inline Map may not honour it there"
                        ),
                    );
                }
            }
        }
        self.payload(map.result_selector.as_ref(), at, "ResultSelector");
        self.data_path(&map.result_path, at, "ResultPath", PathKind::Writable);
        self.data_path(&map.output_path, at, "OutputPath", PathKind::Path);
    }

    fn label(&mut self, label: &str, at: &Here<'_>) {
        let length = label.chars().count();
        if length == 0 || length > MAX_LABEL_LENGTH {
            self.error(
                Code::InvalidValue,
                at,
                format!("a Label has 1 to {MAX_LABEL_LENGTH} characters; `{label}` has {length}"),
            );
        }
        let forbidden =
            |c: char| c.is_whitespace() || c.is_control() || "?*<>{}[]:;,\\|^~$#%&`\"".contains(c);
        if let Some(bad) = label.chars().find(|c| forbidden(*c)) {
            self.error(
                Code::InvalidValue,
                at,
                format!(
                    "a Label cannot contain {}; use letters, digits, `-`, `_`, `.` and the like",
                    if bad.is_whitespace() || bad.is_control() {
                        "spaces or control characters".to_string()
                    } else {
                        format!("`{bad}`")
                    }
                ),
            );
        }
    }

    fn item_reader(&mut self, reader: &ItemReader, at: &Here<'_>) {
        self.resource(&reader.resource, &at.field("Resource"));
        self.payload(reader.parameters.as_ref(), at, "Parameters");
        let Some(config) = &reader.reader_config else {
            return;
        };
        let config_at = at.field("ReaderConfig");
        if let Some(max_items) = &config.max_items {
            self.u64_setting(max_items, &config_at, "MaxItems", 1, MAX_ITEMS);
        }
        if config.csv_headers.is_some()
            && config.csv_header_location != Some(CsvHeaderLocation::Given)
        {
            self.error(
                Code::InvalidValue,
                &config_at.field("CSVHeaders"),
                "`CSVHeaders` is used with `\"CSVHeaderLocation\": \"GIVEN\"` only",
            );
        }
        if config.csv_header_location == Some(CsvHeaderLocation::Given)
            && config.csv_headers.as_ref().is_none_or(Vec::is_empty)
        {
            self.error(
                Code::MissingField,
                &config_at.field("CSVHeaders"),
                "with `\"CSVHeaderLocation\": \"GIVEN\"`, `CSVHeaders` lists the column names",
            );
        }
        let csv_like = matches!(
            config.input_type,
            Some(InputType::Csv | InputType::Manifest)
        );
        if !csv_like {
            for (field, present) in [
                ("CSVDelimiter", config.csv_delimiter.is_some()),
                ("CSVHeaderLocation", config.csv_header_location.is_some()),
            ] {
                if present {
                    self.error(
                        Code::InvalidValue,
                        &config_at.field(field),
                        format!("`{field}` applies when `InputType` is CSV or MANIFEST"),
                    );
                }
            }
        }
    }

    fn item_batcher(&mut self, batcher: &ItemBatcher, at: &Here<'_>) {
        if batcher.max_items_per_batch.is_none() && batcher.max_input_bytes_per_batch.is_none() {
            self.error(
                Code::MissingField,
                at,
                "an ItemBatcher needs `MaxItemsPerBatch` or `MaxInputBytesPerBatch` (or their `...Path` forms)",
            );
        }
        if let Some(items) = &batcher.max_items_per_batch {
            self.u64_setting(items, at, "MaxItemsPerBatch", 1, u64::MAX);
        }
        if let Some(bytes) = &batcher.max_input_bytes_per_batch {
            self.u64_setting(bytes, at, "MaxInputBytesPerBatch", 1, MAX_BATCH_BYTES);
        }
        self.payload(batcher.batch_input.as_ref(), at, "BatchInput");
    }

    fn result_writer(&mut self, writer: &ResultWriter, at: &Here<'_>) {
        if writer.resource.is_none()
            && writer.parameters.is_none()
            && writer.writer_config.is_none()
        {
            self.error(
                Code::MissingField,
                at,
                "a ResultWriter needs `Resource` with `Parameters`, or `WriterConfig`, or all three",
            );
        }
        if writer.resource.is_some() != writer.parameters.is_some() {
            self.error(
                Code::MissingField,
                at,
                "a ResultWriter's `Resource` and `Parameters` go together: where to write, and the bucket and prefix",
            );
        }
        self.payload(writer.parameters.as_ref(), at, "Parameters");
    }

    /// A Task's or reader's Resource: an ARN, or (in a template) a whole
    /// `${Name}` placeholder that deployment tools replace with one.
    fn resource(&mut self, resource: &str, at: &Here<'_>) {
        let placeholder = resource.starts_with("${") && resource.ends_with('}');
        let templated = resource.contains("${");
        if self.form == DefinitionForm::Deployed && templated {
            // Step Functions checks a Resource as an ARN, which a
            // placeholder left unfilled is not.
            self.error(
                Code::InvalidValue,
                at,
                format!(
                    "{} is not a valid resource ARN: the placeholder `${{...}}` in it was not \
                     filled; Step Functions takes the ARN itself, so replace the placeholder \
                     before creating the state machine",
                    quoted(resource)
                ),
            );
            return;
        }
        if !resource.starts_with("arn:") && !placeholder {
            self.error(
                Code::InvalidValue,
                at,
                format!(
                    "{} is not an ARN; a Resource is the ARN of an activity, a Lambda function or a service integration (`arn:...`), or a `${{Name}}` placeholder",
                    quoted(resource)
                ),
            );
            return;
        }
        if let Some(problem) = lambda_function_problem(resource) {
            self.error(
                Code::InvalidValue,
                at,
                format!(
                    "{} is not a valid resource ARN: {problem}",
                    quoted(resource)
                ),
            );
        }
        // The `.sync` integrations end with `.sync` or `.sync:2`.
        let waits_for_job = resource.ends_with(".sync") || resource.ends_with(".sync:2");
        if waits_for_job && resource.contains(":::aws-sdk:") {
            self.error(
                Code::InvalidValue,
                at,
                "AWS SDK integrations (`aws-sdk:`) cannot wait for a job with `.sync`; use the service's optimized integration, or poll",
            );
        }
    }

    /// Credentials: a payload template holding the role to assume, as
    /// `RoleArn` or `RoleArn.$`.
    fn credentials(&mut self, credentials: Option<&Value>, at: &Here<'_>) {
        let Some(credentials) = credentials else {
            return;
        };
        let credentials_at = at.field("Credentials");
        if let Value::Object(fields) = credentials {
            for key in fields.keys() {
                if key != "RoleArn" && key != "RoleArn.$" {
                    self.error(
                        Code::UnknownField,
                        &credentials_at.field(key),
                        format!(
                            "unknown field `{key}` in Credentials; it holds only `RoleArn` (or `RoleArn.$`)"
                        ),
                    );
                }
            }
            let roles = ["RoleArn", "RoleArn.$"]
                .iter()
                .filter(|key| fields.contains_key(**key))
                .count();
            if roles != 1 {
                self.error(
                    if roles == 0 { Code::MissingField } else { Code::Conflict },
                    &credentials_at,
                    "Credentials holds exactly one of `RoleArn` and `RoleArn.$`: the IAM role the task assumes",
                );
            }
        }
        self.payload(Some(credentials), at, "Credentials");
    }

    // ----- field kinds -----

    /// A number that must lie within `min..=max`.
    pub(super) fn range(&mut self, value: u64, min: u64, max: u64, at: &Here<'_>, field: &str) {
        if value < min || value > max {
            let bounds = if max == u64::MAX {
                format!("at least {min}")
            } else {
                format!("between {min} and {max}")
            };
            self.error(
                Code::InvalidValue,
                at,
                format!("{field} is {value}; it must be {bounds}"),
            );
        }
    }

    fn u64_setting(
        &mut self,
        setting: &ValueOrPath<u64>,
        at: &Here<'_>,
        field: &str,
        min: u64,
        max: u64,
    ) {
        match setting {
            ValueOrPath::Value(value) => self.range(*value, min, max, &at.field(field), field),
            ValueOrPath::Path(path) => {
                let path_field = format!("{field}Path");
                self.path(path, &at.field(&path_field), PathKind::Reference);
            }
            ValueOrPath::Expression(text) => self.expression(text, &at.field(field)),
        }
    }

    /// A JSONata expression given as a setting or a Choice rule's
    /// Condition (the text between `{%` and `%}`): it reads the state's
    /// input and context only.
    pub(super) fn expression(&mut self, text: &str, at: &Here<'_>) {
        jsonata::expression(self, text, at, jsonata::Offers::Input);
    }

    fn seconds_setting(
        &mut self,
        setting: Option<&ValueOrPath<u64>>,
        at: &Here<'_>,
        field: &str,
        min: u64,
    ) {
        if let Some(setting) = setting {
            self.u64_setting(setting, at, field, min, MAX_SECONDS);
        }
    }

    pub(super) fn timestamp(&mut self, text: &str, at: &Here<'_>) {
        if !is_timestamp(text) {
            self.error(
                Code::InvalidTimestamp,
                at,
                format!(
                    "`{text}` is not a timestamp; write RFC 3339 with an uppercase `T` and an offset or `Z`, such as `2026-03-14T01:59:00Z`"
                ),
            );
        }
    }

    fn data_path(&mut self, path: &DataPath, at: &Here<'_>, field: &str, kind: PathKind) {
        if let DataPath::Path(text) = path {
            self.path(text, &at.field(field), kind);
        }
    }

    /// Checks a path field; reports a syntax error or a misuse.
    pub(super) fn path(&mut self, text: &str, at: &Here<'_>, kind: PathKind) {
        let parsed = match kind {
            PathKind::Path => Path::check(text),
            PathKind::Reference | PathKind::Writable => ReferencePath::check(text),
        };
        match parsed {
            Err(error) => self.error(Code::InvalidPath, at, error.to_string()),
            Ok(Root::Context) if kind == PathKind::Writable => self.error(
                Code::InvalidPath,
                at,
                format!("`{text}` points into the context object, which cannot be written; a ResultPath starts with `$.`"),
            ),
            Ok(Root::Variable) if kind == PathKind::Writable => self.error(
                Code::InvalidPath,
                at,
                format!("`{text}` names a variable, which a path cannot write; a ResultPath starts with `$.` (assign variables with `Assign`)"),
            ),
            Ok(_) => {}
        }
    }

    /// Checks a payload template field.
    pub(super) fn payload(&mut self, template: Option<&Value>, at: &Here<'_>, field: &str) {
        let Some(template) = template else {
            return;
        };
        literal_text::no_dollar(self.out, template, &at.field(field));
        let errors = payload::check(template);
        if !errors.is_empty() {
            let base = at.field(field).location();
            for error in errors {
                self.out.error(
                    Code::InvalidPayload,
                    base.join(&error.location),
                    error.message,
                );
            }
        }
    }

    /// Fail's Error/ErrorPath and Cause/CausePath.
    fn fail_text(&mut self, text: Option<&ValueOrPath<String>>, at: &Here<'_>, field: &str) {
        if let Some(ValueOrPath::Expression(expression)) = text {
            self.expression(expression, &at.field(field));
        }
        let Some(ValueOrPath::Path(expression)) = text else {
            return;
        };
        let path_field = format!("{field}Path");
        let here = at.field(&path_field);
        if !looks_like_call(expression) {
            self.path(expression, &here, PathKind::Reference);
            return;
        }
        match IntrinsicCall::check(expression) {
            Err(error) => self.error(Code::InvalidIntrinsic, &here, error.to_string()),
            Ok(function) if !FAIL_FUNCTIONS.contains(&function) => {
                let allowed: Vec<&str> = FAIL_FUNCTIONS.iter().map(|f| f.name()).collect();
                self.error(
                    Code::InvalidIntrinsic,
                    &here,
                    format!(
                        "`{path_field}` may call only {}, which give a string; found `{}`",
                        allowed.join(", "),
                        function.name()
                    ),
                );
            }
            Ok(_) => {}
        }
    }
}

/// The most characters of a resource quoted in a message.
const QUOTED_RESOURCE_CHARS: usize = 100;

/// A resource in backquotes, cut after its first characters when long.
fn quoted(resource: &str) -> String {
    match resource.char_indices().nth(QUOTED_RESOURCE_CHARS) {
        Some((cut, _)) => format!(
            "`{}…` ({} characters)",
            &resource[..cut],
            resource.chars().count()
        ),
        None => format!("`{resource}`"),
    }
}

/// The longest name of a Lambda function, in characters.
const MAX_FUNCTION_NAME: usize = 64;
/// The longest version or alias of a Lambda function, in characters.
const MAX_FUNCTION_QUALIFIER: usize = 128;

/// What is wrong with a Lambda function ARN
/// (`arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:VERSION_OR_ALIAS]`),
/// as Lambda's API reference defines it: a name of letters, digits, `-`,
/// `_` and `.`, and a qualifier that is `$LATEST` or letters, digits, `-`
/// and `_`. `None` for a valid one and for any other resource; parts
/// holding a `${...}` placeholder (in a template) are not judged.
fn lambda_function_problem(resource: &str) -> Option<String> {
    let mut parts = resource.splitn(7, ':');
    let (Some("arn"), Some(_partition), Some("lambda"), Some(_region), Some(_account)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    if parts.next() != Some("function") {
        return None;
    }
    let rest = parts.next().unwrap_or("");
    let mut segments = rest.split(':');
    let name = segments.next().unwrap_or("");
    let qualifier = segments.next();
    if segments.next().is_some() {
        return Some(
            "a function ARN ends with the function's name and at most one version or alias \
             (`function:NAME` or `function:NAME:QUALIFIER`)"
                .to_owned(),
        );
    }
    let templated = |text: &str| text.contains("${");
    if !templated(name) {
        if name.is_empty() {
            return Some("the function's name is missing after `function:`".to_owned());
        }
        let length = name.chars().count();
        if length > MAX_FUNCTION_NAME
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Some(format!(
                "a function's name has 1 to {MAX_FUNCTION_NAME} letters, digits, `-`, `_` and `.`"
            ));
        }
    }
    match qualifier {
        None => None,
        Some(qualifier) if templated(qualifier) => None,
        Some("") => Some(
            "the version or alias after the function's name is empty; leave the last `:` out \
             to call the function's unqualified version"
                .to_owned(),
        ),
        Some("$LATEST") => None,
        Some(qualifier) => {
            let valid = qualifier.chars().count() <= MAX_FUNCTION_QUALIFIER
                && qualifier
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
            (!valid).then(|| {
                format!(
                    "a function's version or alias is `$LATEST`, a version number, or an alias of \
                     1 to {MAX_FUNCTION_QUALIFIER} letters, digits, `-` and `_`"
                )
            })
        }
    }
}
