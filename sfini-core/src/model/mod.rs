//! Typed Rust for every part of an Amazon States Language state machine.
//!
//! A [`StateMachine`] holds [`States`] by name; each [`State`] is one of the
//! eight state types. Fields with a default documented by AWS hold that
//! default (a retrier's `MaxAttempts` is 3 unless set), so a machine has one
//! representation, and the JSON writer leaves defaults out.
//!
//! Paths, payload templates and timestamps are kept as written: validation
//! ([`crate::validate`]) checks them, and [`crate::path`] and
//! [`crate::payload`] compile them for evaluation.
//!
//! Machines are pleasant to write by hand:
//!
//! ```
//! use sfini_core::model::*;
//!
//! let machine = StateMachine::new("initialise")
//!     .comment("Counts to ten")
//!     .state("initialise", Pass::new().result(0).result_path("$.counter").next("increment"))
//!     .state(
//!         "increment",
//!         Task::new("arn:aws:states:us-east-1:123456789012:activity:increment")
//!             .result_path("$.counter")
//!             .next("check_counter"),
//!     )
//!     .state(
//!         "check_counter",
//!         Choice::new()
//!             .when(Condition::numeric("$.counter", Operator::LessThan, 10), "increment")
//!             .otherwise("end"),
//!     )
//!     .state("end", Succeed::new().output_path("$.counter"));
//! assert!(machine.validate().is_valid());
//! ```

mod catch;
mod choice;
mod fail;
mod map;
mod parallel;
mod pass;
mod retry;
mod succeed;
mod task;
mod wait;

pub use catch::Catcher;
pub use choice::{
    Choice, ChoiceRule, Comparison, Condition, ConditionKind, IntoNumber, Operator, TypeTest,
};
pub(crate) use choice::{ComparedKind, OperatorField};
pub use fail::Fail;
pub use map::{
    CsvDelimiter, CsvHeaderLocation, DEFAULT_ITEMS_PATH, ExecutionType, InputType, ItemBatcher,
    ItemProcessor, ItemReader, ManifestType, Map, OutputType, ProcessorConfig, ProcessorMode,
    ReaderConfig, ReaderTransformation, ResultWriter, WriterConfig, WriterTransformation,
};
pub use parallel::{Branch, Parallel};
pub use pass::Pass;
pub use retry::{
    DEFAULT_BACKOFF_RATE, DEFAULT_INTERVAL_SECONDS, DEFAULT_MAX_ATTEMPTS, JitterStrategy, Retrier,
};
pub use succeed::Succeed;
pub use task::Task;
pub use wait::{Wait, WaitUntil};

use indexmap::IndexMap;
use serde_json::Value;

/// States by name, in the order they were written.
pub type States = IndexMap<String, State>;

/// Generates `#[must_use]` builder methods that set a field and return
/// `self`. `name(field: T)` takes anything convertible into `T`;
/// `name(field = T)` takes a `T` itself, so that number literals need no
/// suffix. `as Some` wraps the value for an optional field; `as Value`,
/// `as Path` and `as Expression` make a `ValueOrPath`.
macro_rules! setters {
    ($( $(#[$doc:meta])* $method:ident($field:ident $sep:tt $ty:ty) $(as $wrap:ident)? ;)*) => {
        $( setters!(@one $(#[$doc])* $method($field $sep $ty) $(as $wrap)?); )*
    };
    (@one $(#[$doc:meta])* $method:ident($field:ident : $ty:ty) $(as $wrap:ident)?) => {
        $(#[$doc])*
        #[must_use]
        pub fn $method(mut self, value: impl Into<$ty>) -> Self {
            self.$field = setters!(@wrap value.into() $(, $wrap)?);
            self
        }
    };
    (@one $(#[$doc:meta])* $method:ident($field:ident = $ty:ty) $(as $wrap:ident)?) => {
        $(#[$doc])*
        #[must_use]
        pub fn $method(mut self, value: $ty) -> Self {
            self.$field = setters!(@wrap value $(, $wrap)?);
            self
        }
    };
    (@wrap $value:expr) => { $value };
    (@wrap $value:expr, Some) => { Some($value) };
    (@wrap $value:expr, Value) => { $crate::model::ValueOrPath::Value($value) };
    (@wrap $value:expr, Path) => { $crate::model::ValueOrPath::Path($value) };
    (@wrap $value:expr, SomeValue) => { Some($crate::model::ValueOrPath::Value($value)) };
    (@wrap $value:expr, SomePath) => { Some($crate::model::ValueOrPath::Path($value)) };
    (@wrap $value:expr, Expression) => { $crate::model::ValueOrPath::Expression($value) };
    (@wrap $value:expr, SomeExpression) => { Some($crate::model::ValueOrPath::Expression($value)) };
}
pub(crate) use setters;

/// Generates a fieldless enum whose variants stand for fixed strings of the
/// language (`"INLINE"`, `"FULL"`, ...), with conversions both ways.
macro_rules! string_enum {
    ($(#[$doc:meta])* pub enum $name:ident { $( $(#[$vdoc:meta])* $variant:ident = $text:literal ),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )+
        }

        impl $name {
            /// Every value, in the order the language lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as written in a definition.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// The value written as `text`, if any.
            pub fn from_name(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::model::Keyword for $name {
            const ALL: &'static [Self] = $name::ALL;

            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }
    };
}
pub(crate) use string_enum;

/// A value from a fixed set of strings of the language, such as `INLINE`
/// or `FULL`: what the JSON reader and writer need of such enums.
pub(crate) trait Keyword: Copy + 'static {
    /// Every value.
    const ALL: &'static [Self];
    /// The value as written.
    fn as_str(self) -> &'static str;
}

/// Generates the builder methods that say where a state goes when it
/// completes: `next` and `end`.
macro_rules! transition_builders {
    () => {
        /// Goes on to `state` when done.
        #[must_use]
        pub fn next(mut self, state: impl Into<String>) -> Self {
            self.transition = $crate::model::Transition::Next(state.into());
            self
        }

        /// Ends the scope when done (the default).
        #[must_use]
        pub fn end(mut self) -> Self {
            self.transition = $crate::model::Transition::End;
            self
        }
    };
}
pub(crate) use transition_builders;

/// Generates the builder methods of the states that handle errors: `retry`
/// and `catch`.
macro_rules! error_handling_builders {
    () => {
        /// Adds a retrier.
        #[must_use]
        pub fn retry(mut self, retrier: $crate::model::Retrier) -> Self {
            self.retry.push(retrier);
            self
        }

        /// Adds a catcher.
        #[must_use]
        pub fn catch(mut self, catcher: $crate::model::Catcher) -> Self {
            self.catch.push(catcher);
            self
        }
    };
}
pub(crate) use error_handling_builders;

/// Generates the builder method of scopes (the machine, a branch, a
/// processor) that adds a state.
macro_rules! state_builder {
    () => {
        /// Adds (or replaces) a state.
        #[must_use]
        pub fn state(
            mut self,
            name: impl Into<String>,
            state: impl Into<$crate::model::State>,
        ) -> Self {
            self.states.insert(name.into(), state.into());
            self
        }
    };
}
pub(crate) use state_builder;

string_enum! {
    /// The language of a state's paths and expressions: `QueryLanguage`,
    /// at the top of a machine (the default of its states) and on a state.
    pub enum QueryLanguage {
        /// JSONPath: `InputPath`, `Parameters`, `ResultSelector`,
        /// `ResultPath`, `OutputPath` and the `...Path` settings (the default).
        JsonPath = "JSONPath",
        /// JSONata: `Arguments` and `Output`, with expressions written
        /// `{% ... %}` in their values and in settings.
        Jsonata = "JSONata",
    }
}

// `string_enum!` writes the derives, so the default is written here.
#[allow(clippy::derivable_impls)]
impl Default for QueryLanguage {
    fn default() -> Self {
        QueryLanguage::JsonPath
    }
}

/// A whole state machine definition.
#[derive(Clone, Debug, PartialEq)]
pub struct StateMachine {
    /// A human-readable description.
    pub comment: Option<String>,
    /// The query language of every state that does not name its own.
    pub query_language: QueryLanguage,
    /// The state the machine starts in.
    pub start_at: String,
    /// Every top-level state, by name.
    pub states: States,
    /// The longest an execution may run, in seconds.
    pub timeout_seconds: Option<u64>,
    /// The language version; `"1.0"` is the only one.
    pub version: String,
}

/// The language version written when none is given.
pub const DEFAULT_VERSION: &str = "1.0";

impl StateMachine {
    /// A machine that starts at `start_at`, with no states yet.
    pub fn new(start_at: impl Into<String>) -> StateMachine {
        StateMachine {
            comment: None,
            query_language: QueryLanguage::default(),
            start_at: start_at.into(),
            states: States::new(),
            timeout_seconds: None,
            version: DEFAULT_VERSION.to_string(),
        }
    }

    state_builder!();

    setters! {
        /// Sets the description.
        comment(comment: String) as Some;
        /// Sets the longest an execution may run, in seconds.
        timeout_seconds(timeout_seconds = u64) as Some;
        /// Sets the query language of the states that do not name their own.
        query_language(query_language = QueryLanguage);
    }
}

/// One state of a machine.
#[derive(Clone, Debug, PartialEq)]
pub enum State {
    /// Does work through a resource: an activity, a Lambda function, a service integration.
    Task(Task),
    /// Passes its input on, optionally injecting data.
    Pass(Pass),
    /// Branches on the data.
    Choice(Choice),
    /// Waits for a time or a duration.
    Wait(Wait),
    /// Ends the execution (or branch, or iteration) successfully.
    Succeed(Succeed),
    /// Ends the execution with an error.
    Fail(Fail),
    /// Runs branches in parallel on the same input.
    Parallel(Parallel),
    /// Runs a processor for each item of an array (boxed: it is by far the
    /// largest state).
    Map(Box<Map>),
}

/// The eight state types, without their fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StateType {
    /// See [`Task`].
    Task,
    /// See [`Pass`].
    Pass,
    /// See [`Choice`].
    Choice,
    /// See [`Wait`].
    Wait,
    /// See [`Succeed`].
    Succeed,
    /// See [`Fail`].
    Fail,
    /// See [`Parallel`].
    Parallel,
    /// See [`Map`].
    Map,
}

impl StateType {
    /// Every state type.
    pub const ALL: [StateType; 8] = [
        StateType::Task,
        StateType::Pass,
        StateType::Choice,
        StateType::Wait,
        StateType::Succeed,
        StateType::Fail,
        StateType::Parallel,
        StateType::Map,
    ];

    /// The `Type` field's value.
    pub fn as_str(self) -> &'static str {
        match self {
            StateType::Task => "Task",
            StateType::Pass => "Pass",
            StateType::Choice => "Choice",
            StateType::Wait => "Wait",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
            StateType::Parallel => "Parallel",
            StateType::Map => "Map",
        }
    }

    /// The state type named by a `Type` field.
    pub fn from_name(name: &str) -> Option<StateType> {
        StateType::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

impl std::fmt::Display for StateType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl State {
    /// The state's type.
    pub fn state_type(&self) -> StateType {
        match self {
            State::Task(_) => StateType::Task,
            State::Pass(_) => StateType::Pass,
            State::Choice(_) => StateType::Choice,
            State::Wait(_) => StateType::Wait,
            State::Succeed(_) => StateType::Succeed,
            State::Fail(_) => StateType::Fail,
            State::Parallel(_) => StateType::Parallel,
            State::Map(_) => StateType::Map,
        }
    }

    /// The state's description.
    pub fn comment(&self) -> Option<&str> {
        match self {
            State::Task(s) => s.comment.as_deref(),
            State::Pass(s) => s.comment.as_deref(),
            State::Choice(s) => s.comment.as_deref(),
            State::Wait(s) => s.comment.as_deref(),
            State::Succeed(s) => s.comment.as_deref(),
            State::Fail(s) => s.comment.as_deref(),
            State::Parallel(s) => s.comment.as_deref(),
            State::Map(s) => s.comment.as_deref(),
        }
    }

    /// The query language the state names for itself (`QueryLanguage`);
    /// `None` when it takes its machine's.
    pub fn query_language(&self) -> Option<QueryLanguage> {
        match self {
            State::Task(s) => s.query_language,
            State::Pass(s) => s.query_language,
            State::Choice(s) => s.query_language,
            State::Wait(s) => s.query_language,
            State::Succeed(s) => s.query_language,
            State::Fail(s) => s.query_language,
            State::Parallel(s) => s.query_language,
            State::Map(s) => s.query_language,
        }
    }

    /// The query language the state runs in: its own, or `machine`'s.
    pub fn query_language_in(&self, machine: QueryLanguage) -> QueryLanguage {
        self.query_language().unwrap_or(machine)
    }

    /// The workflow variables the state assigns (`Assign`), for the states
    /// that may: all but Succeed and Fail.
    pub fn assign(&self) -> Option<&Value> {
        match self {
            State::Task(s) => s.assign.as_ref(),
            State::Pass(s) => s.assign.as_ref(),
            State::Choice(s) => s.assign.as_ref(),
            State::Wait(s) => s.assign.as_ref(),
            State::Parallel(s) => s.assign.as_ref(),
            State::Map(s) => s.assign.as_ref(),
            State::Succeed(_) | State::Fail(_) => None,
        }
    }

    /// The state's JSONata `Output`, for the states that have one: all but Fail.
    pub fn output(&self) -> Option<&Value> {
        match self {
            State::Task(s) => s.output.as_ref(),
            State::Pass(s) => s.output.as_ref(),
            State::Choice(s) => s.output.as_ref(),
            State::Wait(s) => s.output.as_ref(),
            State::Succeed(s) => s.output.as_ref(),
            State::Parallel(s) => s.output.as_ref(),
            State::Map(s) => s.output.as_ref(),
            State::Fail(_) => None,
        }
    }

    /// Where the state goes when it completes, for the states that have
    /// `Next` or `End` (not Choice, Succeed and Fail).
    pub fn transition(&self) -> Option<&Transition> {
        match self {
            State::Task(s) => Some(&s.transition),
            State::Pass(s) => Some(&s.transition),
            State::Wait(s) => Some(&s.transition),
            State::Parallel(s) => Some(&s.transition),
            State::Map(s) => Some(&s.transition),
            State::Choice(_) | State::Succeed(_) | State::Fail(_) => None,
        }
    }

    /// True when completing this state can end its scope: `End: true`,
    /// Succeed and Fail.
    pub fn is_terminal(&self) -> bool {
        matches!(self, State::Succeed(_) | State::Fail(_))
            || self.transition() == Some(&Transition::End)
    }

    /// The retriers of a Task, Parallel or Map state; empty for the others.
    pub fn retriers(&self) -> &[Retrier] {
        match self {
            State::Task(s) => &s.retry,
            State::Parallel(s) => &s.retry,
            State::Map(s) => &s.retry,
            _ => &[],
        }
    }

    /// The catchers of a Task, Parallel or Map state; empty for the others.
    pub fn catchers(&self) -> &[Catcher] {
        match self {
            State::Task(s) => &s.catch,
            State::Parallel(s) => &s.catch,
            State::Map(s) => &s.catch,
            _ => &[],
        }
    }

    /// Every state this one can go to directly, with the field that names it:
    /// `Next`, each Choice rule's `Next`, `Default`, and each catcher's `Next`.
    pub fn successors(&self) -> impl Iterator<Item = (Successor, &str)> + '_ {
        let next = match self.transition() {
            Some(Transition::Next(next)) => Some((Successor::Next, next.as_str())),
            _ => None,
        };
        let (rules, default) = match self {
            State::Choice(choice) => (choice.choices.as_slice(), choice.default.as_deref()),
            _ => (&[][..], None),
        };
        next.into_iter()
            .chain(
                rules
                    .iter()
                    .enumerate()
                    .map(|(index, rule)| (Successor::ChoiceRule(index), rule.next.as_str())),
            )
            .chain(default.map(|default| (Successor::Default, default)))
            .chain(
                self.catchers()
                    .iter()
                    .enumerate()
                    .map(|(index, catcher)| (Successor::Catcher(index), catcher.next.as_str())),
            )
    }
}

/// The field through which a state names a successor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Successor {
    /// The state's `Next`.
    Next,
    /// `Choices[i].Next` of a Choice state.
    ChoiceRule(usize),
    /// `Default` of a Choice state.
    Default,
    /// `Catch[i].Next`.
    Catcher(usize),
}

macro_rules! state_from {
    ($($variant:ident),*) => {
        $(impl From<$variant> for State {
            fn from(state: $variant) -> State {
                State::$variant(state)
            }
        })*
    };
}
state_from!(Task, Pass, Choice, Wait, Succeed, Fail, Parallel);

impl From<Map> for State {
    fn from(state: Map) -> State {
        State::Map(Box::new(state))
    }
}

/// Where a state goes when it completes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Transition {
    /// `"Next": name`: on to another state of the same scope.
    Next(String),
    /// `"End": true`: the execution (or branch, or iteration) ends here.
    #[default]
    End,
}

/// A path field that may be `null`: InputPath, OutputPath and ResultPath.
///
/// `null` discards: for InputPath the state sees `{}`, for ResultPath the
/// result is dropped and the input passes on, for OutputPath the state
/// outputs `{}`. The default is the path `$`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DataPath {
    /// A path (`$`, `$.field`...).
    Path(String),
    /// `null`.
    Null,
}

impl DataPath {
    /// The path `$`: everything.
    pub fn root() -> DataPath {
        DataPath::Path("$".to_string())
    }

    /// True for the path `$`, which is the default and is not written out.
    pub fn is_root(&self) -> bool {
        matches!(self, DataPath::Path(path) if path == "$")
    }

    /// The path, or `None` for `null`.
    pub fn as_path(&self) -> Option<&str> {
        match self {
            DataPath::Path(path) => Some(path),
            DataPath::Null => None,
        }
    }
}

impl Default for DataPath {
    fn default() -> Self {
        DataPath::root()
    }
}

impl From<&str> for DataPath {
    fn from(path: &str) -> Self {
        DataPath::Path(path.to_string())
    }
}

impl From<String> for DataPath {
    fn from(path: String) -> Self {
        DataPath::Path(path)
    }
}

impl<T: Into<String>> From<Option<T>> for DataPath {
    /// `None` is `null`.
    fn from(path: Option<T>) -> Self {
        path.map_or(DataPath::Null, |p| DataPath::Path(p.into()))
    }
}

/// A setting given as a value in the definition (`TimeoutSeconds: 60`), as
/// a reference path read from the state's input at run time
/// (`TimeoutSecondsPath`, in JSONPath states), or as a JSONata expression
/// (`TimeoutSeconds: "{% ... %}"`, in JSONata states).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ValueOrPath<T> {
    /// The value itself.
    Value(T),
    /// A reference path to the value in the state's input. For Fail's
    /// ErrorPath and CausePath, this may also be an intrinsic function call.
    Path(String),
    /// A JSONata expression giving the value: the text between `{%` and `%}`.
    Expression(String),
}

impl<T> ValueOrPath<T> {
    /// The value, when given directly.
    pub fn value(&self) -> Option<&T> {
        match self {
            ValueOrPath::Value(value) => Some(value),
            ValueOrPath::Path(_) | ValueOrPath::Expression(_) => None,
        }
    }

    /// The path, when given as one.
    pub fn path(&self) -> Option<&str> {
        match self {
            ValueOrPath::Path(path) => Some(path),
            ValueOrPath::Value(_) | ValueOrPath::Expression(_) => None,
        }
    }

    /// The JSONata expression's text, when given as one.
    pub fn expression(&self) -> Option<&str> {
        match self {
            ValueOrPath::Expression(text) => Some(text),
            ValueOrPath::Value(_) | ValueOrPath::Path(_) => None,
        }
    }
}

impl<T: Default> Default for ValueOrPath<T> {
    fn default() -> Self {
        ValueOrPath::Value(T::default())
    }
}

impl From<u64> for ValueOrPath<u64> {
    fn from(value: u64) -> Self {
        ValueOrPath::Value(value)
    }
}

impl From<f64> for ValueOrPath<f64> {
    fn from(value: f64) -> Self {
        ValueOrPath::Value(value)
    }
}

impl From<&str> for ValueOrPath<String> {
    fn from(value: &str) -> Self {
        ValueOrPath::Value(value.to_string())
    }
}

impl From<String> for ValueOrPath<String> {
    fn from(value: String) -> Self {
        ValueOrPath::Value(value)
    }
}

/// The states of a scope (the machine, a Parallel branch, a Map processor)
/// and where the scope starts.
pub trait Scope {
    /// The state the scope starts in.
    fn start_at(&self) -> &str;
    /// The scope's states.
    fn states(&self) -> &States;
}

impl Scope for StateMachine {
    fn start_at(&self) -> &str {
        &self.start_at
    }
    fn states(&self) -> &States {
        &self.states
    }
}

impl Scope for Branch {
    fn start_at(&self) -> &str {
        &self.start_at
    }
    fn states(&self) -> &States {
        &self.states
    }
}

impl Scope for ItemProcessor {
    fn start_at(&self) -> &str {
        &self.start_at
    }
    fn states(&self) -> &States {
        &self.states
    }
}
