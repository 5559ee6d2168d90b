//! Workflow variables along the state graph: where a variable may be read
//! before any state has assigned it, and where a branch or iteration
//! assigns a name whose new value will not leave it.
//!
//! What is followed is what the local engine does (sfini-runtime's
//! `local/run.rs` and `local/variables.rs`):
//!
//! - Every expression and path of a state reads the variables as they were
//!   when the state was entered: its own `Assign` is not seen by its
//!   `Output`, nor by the other values of the same `Assign`.
//! - A state's `Assign` takes effect when it leaves through `Next` (or
//!   ends). A Choice state leaves through the rule that matched, with that
//!   rule's `Assign`, or through `Default`, with the state's own `Assign`.
//!   A catcher's `Assign` takes effect on its way to its `Next`, and the
//!   state's own does not. A retry enters the same state again, with the
//!   same variables.
//! - A Parallel branch and an inline Map iteration start with the variables
//!   of the scope around them as they were when the Parallel or Map state
//!   was entered (its `Items`, `ItemSelector` and other fields are read
//!   there too); what they assign stays inside them. The items of a
//!   Distributed Map run as child executions and start with none.
//!
//! For each scope (the machine, each branch, each Map processor) the reads
//! are checked against the paths from its `StartAt`: a read is reported
//! when some path from the start of the scope, and from the start of every
//! scope around it that it sees, reaches it without assigning the variable.
//! The paths are searched breadth first, 64 variables at a time with one
//! bit each, so that the work grows with the transitions times the
//! variables read over 64, and memory with the states and transitions; the
//! shortest path found is the one shown, its middle left out when long.
//! Unreachable states are left to the graph check.
//!
//! A name that no scope the read sees assigns is explained by what does
//! assign it: states around a Distributed Map whose items read it, the
//! branches or iterations of a Parallel or Map state, or nothing at all
//! (with the closest name assigned).

use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::Value;

use crate::diagnostic::{Code, Diagnostics};
use crate::intrinsic::{IntrinsicCall, looks_like_call};
use crate::json::expression_text;
use crate::location::Location;
use crate::model::{
    ConditionKind, DataPath, QueryLanguage, State, StateMachine, States, Transition, ValueOrPath,
    WaitUntil,
};
use crate::path::Path;
use crate::suggest::closest;

use super::jsonata::ExpressionCache;

/// No state: the parent of a scope's first state.
const NONE: u32 = u32::MAX;

/// The most states of one scope a path shows; a longer one shows its first
/// state, `…`, and its last ones.
const SHOWN: usize = 6;

/// Checks the workflow variables of `machine`, reusing the expressions
/// compiled by the other checks.
pub(super) fn check(
    machine: &StateMachine,
    expressions: &mut ExpressionCache,
    out: &mut Diagnostics,
) {
    let mut names = Names::default();
    let scopes = collect_scopes(machine, &mut names);
    let reads = collect_reads(machine, &scopes, &mut names, expressions);
    inner_assignments(&scopes, &names, out);
    if reads.is_empty() {
        return;
    }
    Flow::new(&scopes, &names, &reads).report(out);
}

/// The variable names met, each with a number.
#[derive(Default)]
struct Names {
    ids: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Names {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(name.into(), id);
        self.names.push(name.into());
        id
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// What kind of scope a scope is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// The machine's top level.
    Machine,
    /// A Parallel branch: sees the variables around its Parallel state.
    Branch,
    /// An inline Map's processor: sees the variables around its Map state.
    Iteration,
    /// A Distributed Map's processor: its items see no variables around it.
    Items,
}

impl Kind {
    /// Whether the scope sees the variables of the scope around it.
    fn sees_outside(self) -> bool {
        matches!(self, Kind::Branch | Kind::Iteration)
    }
}

/// A transition: where it goes, and the variables it assigns on the way
/// (`assigns[from..to]` of its scope).
struct Edge {
    to: u32,
    from: u32,
    until: u32,
}

/// One scope, with its transitions.
struct ScopeGraph<'m> {
    location: Location,
    states: &'m States,
    kind: Kind,
    /// The scope around it, and the position there of the state holding it.
    parent: Option<(usize, u32)>,
    /// The position of StartAt, when it names a state of the scope.
    start: Option<u32>,
    /// The transitions of state `i`: `edges[offsets[i]..offsets[i + 1]]`.
    edges: Vec<Edge>,
    offsets: Vec<u32>,
    assigns: Vec<u32>,
    /// Every name an `Assign` of this scope's own states assigns.
    assigned: FxHashSet<u32>,
    /// Whether each state can be reached from StartAt.
    reachable: Vec<bool>,
    /// Each reachable state's predecessor on a shortest path from StartAt.
    parents: Vec<u32>,
}

impl ScopeGraph<'_> {
    fn edges_of(&self, state: u32) -> &[Edge] {
        let state = state as usize;
        &self.edges[self.offsets[state] as usize..self.offsets[state + 1] as usize]
    }

    fn state_name(&self, position: u32) -> &str {
        self.states
            .get_index(position as usize)
            .map_or("", |(name, _)| name.as_str())
    }

    fn state_location(&self, position: u32) -> Location {
        self.location
            .field("States")
            .field(self.state_name(position))
    }
}

/// The names an `Assign` assigns (a JSONPath key without its `.$`), with
/// the key as written; `states` is never a workflow variable.
fn assign_keys(assign: Option<&Value>) -> impl Iterator<Item = (&str, &str)> {
    let members = match assign {
        Some(Value::Object(members)) => Some(members),
        _ => None,
    };
    members
        .into_iter()
        .flat_map(|members| members.keys())
        .map(|key| (key.as_str(), key.strip_suffix(".$").unwrap_or(key)))
        .filter(|(_, name)| !name.is_empty() && *name != "states")
}

/// Every scope of the machine, each after the one holding it, in the order
/// of the definition.
fn collect_scopes<'m>(machine: &'m StateMachine, names: &mut Names) -> Vec<ScopeGraph<'m>> {
    struct Pending<'m> {
        location: Location,
        start_at: &'m str,
        states: &'m States,
        kind: Kind,
        parent: Option<(usize, u32)>,
    }
    let mut scopes = Vec::new();
    let mut pending = vec![Pending {
        location: Location::root(),
        start_at: &machine.start_at,
        states: &machine.states,
        kind: Kind::Machine,
        parent: None,
    }];
    while let Some(scope) = pending.pop() {
        let index = scopes.len();
        let mut inner = Vec::new();
        for (position, (name, state)) in scope.states.iter().enumerate() {
            let at = || scope.location.field("States").field(name.as_str());
            let parent = Some((index, position as u32));
            match state {
                State::Parallel(parallel) => {
                    let branches = at().field("Branches");
                    for (number, branch) in parallel.branches.iter().enumerate() {
                        inner.push(Pending {
                            location: branches.index(number),
                            start_at: &branch.start_at,
                            states: &branch.states,
                            kind: Kind::Branch,
                            parent,
                        });
                    }
                }
                State::Map(map) => inner.push(Pending {
                    location: at().field("ItemProcessor"),
                    start_at: &map.item_processor.start_at,
                    states: &map.item_processor.states,
                    kind: if map.is_distributed() {
                        Kind::Items
                    } else {
                        Kind::Iteration
                    },
                    parent,
                }),
                _ => {}
            }
        }
        pending.extend(inner.into_iter().rev());
        scopes.push(graph(
            scope.location,
            scope.start_at,
            scope.states,
            scope.kind,
            scope.parent,
            names,
        ));
    }
    scopes
}

/// The transitions of one scope, and what can be reached from its start.
fn graph<'m>(
    location: Location,
    start_at: &str,
    states: &'m States,
    kind: Kind,
    parent: Option<(usize, u32)>,
    names: &mut Names,
) -> ScopeGraph<'m> {
    let mut edges = Vec::with_capacity(states.len());
    let mut offsets = Vec::with_capacity(states.len() + 1);
    let mut assigns = Vec::new();
    let mut assigned = FxHashSet::default();
    for state in states.values() {
        offsets.push(edges.len() as u32);
        // Where the state may go, with the Assign applied on the way.
        let mut exits: Vec<(&str, Option<&Value>)> = Vec::new();
        if let Some(Transition::Next(next)) = state.transition() {
            exits.push((next, state.assign()));
        }
        if let State::Choice(choice) = state {
            for rule in &choice.choices {
                exits.push((&rule.next, rule.assign.as_ref()));
            }
            if let Some(default) = &choice.default {
                exits.push((default, choice.assign.as_ref()));
            }
            // Recorded even where no transition applies it (no Default).
            for rule in &choice.choices {
                assigned.extend(assign_keys(rule.assign.as_ref()).map(|(_, n)| names.id(n)));
            }
        }
        for catcher in state.catchers() {
            exits.push((&catcher.next, catcher.assign.as_ref()));
        }
        assigned.extend(assign_keys(state.assign()).map(|(_, name)| names.id(name)));
        for (target, assign) in exits {
            // A target that names no state of the scope is the graph
            // check's to report.
            let Some(to) = states.get_index_of(target) else {
                continue;
            };
            let from = assigns.len() as u32;
            for (_, name) in assign_keys(assign) {
                let id = names.id(name);
                assigns.push(id);
                assigned.insert(id);
            }
            edges.push(Edge {
                to: to as u32,
                from,
                until: assigns.len() as u32,
            });
        }
    }
    offsets.push(edges.len() as u32);
    let start = states.get_index_of(start_at).map(|start| start as u32);
    let mut scope = ScopeGraph {
        location,
        states,
        kind,
        parent,
        start,
        edges,
        offsets,
        assigns,
        assigned,
        reachable: vec![false; states.len()],
        parents: vec![NONE; states.len()],
    };
    if let Some(start) = start {
        let mut reachable = std::mem::take(&mut scope.reachable);
        let mut parents = std::mem::take(&mut scope.parents);
        let mut queue = std::collections::VecDeque::from([start]);
        reachable[start as usize] = true;
        while let Some(state) = queue.pop_front() {
            for edge in scope.edges_of(state) {
                let to = edge.to as usize;
                if !reachable[to] {
                    reachable[to] = true;
                    parents[to] = state;
                    queue.push_back(edge.to);
                }
            }
        }
        scope.reachable = reachable;
        scope.parents = parents;
    }
    scope
}

/// A read of a variable: where it is written, and in which state.
struct Read {
    scope: u32,
    state: u32,
    location: Location,
    name: u32,
}

/// Finds the reads of every state.
struct Reader<'c> {
    names: &'c mut Names,
    /// Every name some state of the machine assigns.
    assigned: FxHashSet<u32>,
    expressions: &'c mut ExpressionCache,
    reads: Vec<Read>,
    scope: u32,
    state: u32,
    /// The names read at one location, to report each once.
    seen: Vec<u32>,
}

impl Reader<'_> {
    fn push(&mut self, location: &dyn Fn() -> Location, names: &[&str]) {
        self.seen.clear();
        let mut built: Option<Location> = None;
        for name in names {
            if name.is_empty() || *name == "states" {
                continue;
            }
            let id = self.names.id(name);
            if self.seen.contains(&id) {
                continue;
            }
            self.seen.push(id);
            let location = built.get_or_insert_with(location).clone();
            self.reads.push(Read {
                scope: self.scope,
                state: self.state,
                location,
                name: id,
            });
        }
    }

    /// A JSONata expression (the text between `{%` and `%}`).
    fn expression(&mut self, text: &str, location: &dyn Fn() -> Location) {
        let Ok(expression) = self.expressions.compile(text) else {
            return;
        };
        let mut names: Vec<&str> = expression.value_variables().collect();
        // A function's name read as a value reads the variable of that
        // name where one is assigned, and the function elsewhere.
        names.extend(
            expression
                .function_names_read()
                .iter()
                .map(String::as_str)
                .filter(|name| {
                    self.names
                        .ids
                        .get(*name)
                        .is_some_and(|id| self.assigned.contains(id))
                }),
        );
        if !names.is_empty() {
            self.push(location, &names);
        }
    }

    /// A JSONPath path, or an intrinsic function call, as a path field or
    /// a `.$` value holds it.
    fn path(&mut self, text: &str, location: &dyn Fn() -> Location) {
        if !names_variable(text) {
            return;
        }
        if looks_like_call(text) {
            if let Ok(call) = IntrinsicCall::parse(text) {
                let names: Vec<&str> = call.paths().iter().filter_map(|p| p.variable()).collect();
                self.push(location, &names);
            }
        } else if let Ok(path) = Path::parse(text)
            && let Some(name) = path.variable()
        {
            self.push(location, &[name]);
        }
    }

    /// Every `{% %}` expression of a JSONata value (JSONata), or every `.$`
    /// value of a payload template (JSONPath), at its place in the value.
    fn value(&mut self, value: &Value, at: &Location, language: QueryLanguage) {
        enum Step<'v> {
            Field(&'v str),
            Index(usize),
        }
        let mut steps: Vec<(Option<usize>, Step<'_>)> = Vec::new();
        // Each value with its place, and the key it is found under.
        let mut pending: Vec<(&Value, Option<usize>, Option<&str>)> = vec![(value, None, None)];
        while let Some((node, place, key)) = pending.pop() {
            match node {
                Value::String(text) => {
                    let locate = || {
                        let mut trail = Vec::new();
                        let mut next = place;
                        while let Some(index) = next {
                            let (parent, step) = &steps[index];
                            trail.push(step);
                            next = *parent;
                        }
                        trail
                            .into_iter()
                            .rev()
                            .fold(at.clone(), |location, step| match step {
                                Step::Field(name) => location.field(*name),
                                Step::Index(index) => location.index(*index),
                            })
                    };
                    match language {
                        QueryLanguage::Jsonata => {
                            if let Some(inner) = expression_text(text) {
                                self.expression(inner, &locate);
                            }
                        }
                        QueryLanguage::JsonPath => {
                            if key.is_some_and(|key| key.ends_with(".$")) {
                                self.path(text, &locate);
                            }
                        }
                    }
                }
                Value::Array(items) => {
                    for (index, item) in items.iter().enumerate().rev() {
                        steps.push((place, Step::Index(index)));
                        pending.push((item, Some(steps.len() - 1), None));
                    }
                }
                Value::Object(members) => {
                    let members: Vec<_> = members.iter().collect();
                    for (name, member) in members.into_iter().rev() {
                        steps.push((place, Step::Field(name)));
                        pending.push((member, Some(steps.len() - 1), Some(name.as_str())));
                    }
                }
                _ => {}
            }
        }
    }

    /// A field holding a JSONata value or a payload template.
    fn field(
        &mut self,
        value: Option<&Value>,
        at: &Location,
        field: &str,
        language: QueryLanguage,
    ) {
        if let Some(value) = value {
            self.value(value, &at.field(field), language);
        }
    }

    /// A setting given as a value, a path (`{field}Path`, JSONPath) or an
    /// expression (`{field}`, JSONata).
    fn setting<T>(
        &mut self,
        setting: Option<&ValueOrPath<T>>,
        at: &Location,
        field: &str,
        language: QueryLanguage,
    ) {
        match (setting, language) {
            (Some(ValueOrPath::Path(path)), QueryLanguage::JsonPath) => {
                self.path(path, &|| at.field(format!("{field}Path")));
            }
            (Some(ValueOrPath::Expression(text)), QueryLanguage::Jsonata) => {
                self.expression(text, &|| at.field(field));
            }
            _ => {}
        }
    }

    fn data_path(&mut self, path: &DataPath, at: &Location, field: &str) {
        if let DataPath::Path(text) = path {
            self.path(text, &|| at.field(field));
        }
    }

    /// Everything a state reads, in the order of its fields.
    fn state(&mut self, state: &State, at: &Location, language: QueryLanguage) {
        use QueryLanguage::{JsonPath, Jsonata};
        let jsonpath = language == JsonPath;
        let (input_path, output_path) = match state {
            State::Task(s) => (Some(&s.input_path), Some(&s.output_path)),
            State::Pass(s) => (Some(&s.input_path), Some(&s.output_path)),
            State::Choice(s) => (Some(&s.input_path), Some(&s.output_path)),
            State::Wait(s) => (Some(&s.input_path), Some(&s.output_path)),
            State::Succeed(s) => (Some(&s.input_path), Some(&s.output_path)),
            State::Parallel(s) => (Some(&s.input_path), Some(&s.output_path)),
            State::Map(s) => (Some(&s.input_path), Some(&s.output_path)),
            State::Fail(_) => (None, None),
        };
        if let Some(path) = input_path.filter(|_| jsonpath) {
            self.data_path(path, at, "InputPath");
        }
        match state {
            State::Task(task) => {
                if jsonpath {
                    self.field(task.parameters.as_ref(), at, "Parameters", JsonPath);
                } else {
                    self.field(task.arguments.as_ref(), at, "Arguments", Jsonata);
                }
                self.field(task.credentials.as_ref(), at, "Credentials", language);
                self.setting(task.timeout.as_ref(), at, "TimeoutSeconds", language);
                self.setting(task.heartbeat.as_ref(), at, "HeartbeatSeconds", language);
                if jsonpath {
                    self.field(
                        task.result_selector.as_ref(),
                        at,
                        "ResultSelector",
                        JsonPath,
                    );
                }
            }
            State::Pass(pass) if jsonpath => {
                self.field(pass.parameters.as_ref(), at, "Parameters", JsonPath);
            }
            State::Choice(choice) => {
                let choices_at = at.field("Choices");
                for (index, rule) in choice.choices.iter().enumerate() {
                    let rule_at = choices_at.index(index);
                    self.condition(&rule.condition.kind, &rule_at, language);
                    if !jsonpath {
                        self.field(rule.output.as_ref(), &rule_at, "Output", Jsonata);
                    }
                    self.field(rule.assign.as_ref(), &rule_at, "Assign", language);
                }
            }
            State::Wait(wait) => match (&wait.until, language) {
                (WaitUntil::SecondsPath(path) | WaitUntil::TimestampPath(path), JsonPath) => {
                    self.path(path, &|| at.field(wait.until.field_name()));
                }
                (
                    WaitUntil::SecondsExpression(text) | WaitUntil::TimestampExpression(text),
                    Jsonata,
                ) => self.expression(text, &|| at.field(wait.until.field_name())),
                _ => {}
            },
            State::Fail(fail) => {
                self.setting(fail.error.as_ref(), at, "Error", language);
                self.setting(fail.cause.as_ref(), at, "Cause", language);
            }
            State::Parallel(parallel) => {
                if jsonpath {
                    self.field(parallel.parameters.as_ref(), at, "Parameters", JsonPath);
                    self.field(
                        parallel.result_selector.as_ref(),
                        at,
                        "ResultSelector",
                        JsonPath,
                    );
                } else {
                    self.field(parallel.arguments.as_ref(), at, "Arguments", Jsonata);
                }
            }
            State::Map(map) => self.map(map, at, language),
            State::Pass(_) | State::Succeed(_) => {}
        }
        if let Some(path) = output_path.filter(|_| jsonpath) {
            self.data_path(path, at, "OutputPath");
        }
        if !jsonpath {
            self.field(state.output(), at, "Output", Jsonata);
        }
        self.field(state.assign(), at, "Assign", language);
        let catch_at = at.field("Catch");
        for (index, catcher) in state.catchers().iter().enumerate() {
            let catcher_at = catch_at.index(index);
            if !jsonpath {
                self.field(catcher.output.as_ref(), &catcher_at, "Output", Jsonata);
            }
            self.field(catcher.assign.as_ref(), &catcher_at, "Assign", language);
        }
    }

    /// A Map state's own fields, read in the scope around it.
    fn map(&mut self, map: &crate::model::Map, at: &Location, language: QueryLanguage) {
        use QueryLanguage::{JsonPath, Jsonata};
        let jsonpath = language == JsonPath;
        if let Some(reader) = &map.item_reader {
            let reader_at = at.field("ItemReader");
            if let Some(config) = &reader.reader_config {
                let config_at = reader_at.field("ReaderConfig");
                self.setting(config.max_items.as_ref(), &config_at, "MaxItems", language);
            }
            if jsonpath {
                self.field(
                    reader.parameters.as_ref(),
                    &reader_at,
                    "Parameters",
                    JsonPath,
                );
            } else {
                self.field(reader.arguments.as_ref(), &reader_at, "Arguments", Jsonata);
            }
        }
        if jsonpath {
            self.path(&map.items_path, &|| at.field("ItemsPath"));
        } else {
            self.field(map.items.as_ref(), at, "Items", Jsonata);
        }
        self.field(map.item_selector.as_ref(), at, "ItemSelector", language);
        if let Some(batcher) = &map.item_batcher {
            let batcher_at = at.field("ItemBatcher");
            let settings = [
                (&batcher.max_items_per_batch, "MaxItemsPerBatch"),
                (&batcher.max_input_bytes_per_batch, "MaxInputBytesPerBatch"),
            ];
            for (setting, field) in settings {
                self.setting(setting.as_ref(), &batcher_at, field, language);
            }
            self.field(
                batcher.batch_input.as_ref(),
                &batcher_at,
                "BatchInput",
                language,
            );
        }
        self.setting(Some(&map.max_concurrency), at, "MaxConcurrency", language);
        self.setting(
            Some(&map.tolerated_failure_count),
            at,
            "ToleratedFailureCount",
            language,
        );
        self.setting(
            Some(&map.tolerated_failure_percentage),
            at,
            "ToleratedFailurePercentage",
            language,
        );
        if let Some(writer) = &map.result_writer {
            let writer_at = at.field("ResultWriter");
            if jsonpath {
                self.field(
                    writer.parameters.as_ref(),
                    &writer_at,
                    "Parameters",
                    JsonPath,
                );
            } else {
                self.field(writer.arguments.as_ref(), &writer_at, "Arguments", Jsonata);
            }
        }
        if jsonpath {
            self.field(map.result_selector.as_ref(), at, "ResultSelector", JsonPath);
        }
    }

    /// A Choice rule's condition: `Variable` and `...Path` operands
    /// (JSONPath, through `And`, `Or` and `Not`), or `Condition` (JSONata).
    fn condition(&mut self, condition: &ConditionKind, at: &Location, language: QueryLanguage) {
        let mut pending = vec![(condition, at.clone())];
        while let Some((condition, at)) = pending.pop() {
            match condition {
                ConditionKind::Jsonata(value) if language == QueryLanguage::Jsonata => {
                    self.value(value, &at.field("Condition"), QueryLanguage::Jsonata);
                }
                ConditionKind::Test {
                    variable,
                    comparison,
                } if language == QueryLanguage::JsonPath => {
                    self.path(variable, &|| at.field("Variable"));
                    if let Some(path) = comparison.operand_path() {
                        self.path(path, &|| at.field(comparison.operator_name()));
                    }
                }
                ConditionKind::And(all) | ConditionKind::Or(all) => {
                    let list = if matches!(condition, ConditionKind::And(_)) {
                        "And"
                    } else {
                        "Or"
                    };
                    let list_at = at.field(list);
                    for (index, inner) in all.iter().enumerate().rev() {
                        pending.push((&inner.kind, list_at.index(index)));
                    }
                }
                ConditionKind::Not(inner) => pending.push((&inner.kind, at.field("Not"))),
                _ => {}
            }
        }
    }
}

/// Whether `text` holds a `$` that starts a name (not `$$`, `$.` or `$[`):
/// the only paths worth parsing for variables.
fn names_variable(text: &str) -> bool {
    let mut previous = None;
    let mut chars = text.chars().peekable();
    while let Some(character) = chars.next() {
        if character == '$'
            && previous != Some('$')
            && chars
                .peek()
                .is_some_and(|next| next.is_alphabetic() || *next == '_')
        {
            return true;
        }
        previous = Some(character);
    }
    false
}

/// Every read of every reachable state, scope by scope.
fn collect_reads(
    machine: &StateMachine,
    scopes: &[ScopeGraph<'_>],
    names: &mut Names,
    expressions: &mut ExpressionCache,
) -> Vec<Read> {
    let assigned = scopes
        .iter()
        .flat_map(|scope| scope.assigned.iter().copied())
        .collect();
    let mut reader = Reader {
        names,
        assigned,
        expressions,
        reads: Vec::new(),
        scope: 0,
        state: 0,
        seen: Vec::new(),
    };
    for (index, scope) in scopes.iter().enumerate() {
        for (position, state) in scope.states.values().enumerate() {
            // An unreachable state's reads never happen (the graph check
            // reports the state); so for a scope inside it.
            if !reachable(scopes, index, position as u32) {
                continue;
            }
            reader.scope = index as u32;
            reader.state = position as u32;
            let at = scope.state_location(position as u32);
            let language = state.query_language_in(machine.query_language);
            reader.state(state, &at, language);
        }
    }
    reader.reads
}

/// Whether the state, and each state holding its scope, can be reached.
fn reachable(scopes: &[ScopeGraph<'_>], mut scope: usize, mut state: u32) -> bool {
    loop {
        if !scopes[scope].reachable[state as usize] {
            return false;
        }
        match scopes[scope].parent {
            Some((outer, holder)) => (scope, state) = (outer, holder),
            None => return true,
        }
    }
}

/// The scopes whose variables a state of `scope` sees, innermost first,
/// each with the state there that holds the next one (in `scope` itself,
/// `state`): up to the machine, or to a Distributed Map's items.
fn visible(scopes: &[ScopeGraph<'_>], mut scope: usize, mut state: u32) -> Vec<(usize, u32)> {
    let mut chain = vec![(scope, state)];
    while scopes[scope].kind.sees_outside() {
        let Some((outer, holder)) = scopes[scope].parent else {
            break;
        };
        (scope, state) = (outer, holder);
        chain.push((scope, state));
    }
    chain
}

/// A Parallel branch or Map iteration assigning a name that a scope it
/// sees assigns too: the new value does not leave the branch or iteration.
fn inner_assignments(scopes: &[ScopeGraph<'_>], names: &Names, out: &mut Diagnostics) {
    for (index, scope) in scopes.iter().enumerate() {
        let what = match scope.kind {
            Kind::Branch => "branch",
            Kind::Iteration => "iteration",
            Kind::Machine | Kind::Items => continue,
        };
        let Some((outer, holder)) = scope.parent else {
            continue;
        };
        let around: Vec<usize> = visible(scopes, outer, holder)
            .into_iter()
            .map(|(scope, _)| scope)
            .collect();
        let assigned_around = |name: &str| {
            names
                .ids
                .get(name)
                .is_some_and(|id| around.iter().any(|&s| scopes[s].assigned.contains(id)))
        };
        for (position, (state_name, state)) in scope.states.iter().enumerate() {
            if !reachable(scopes, index, position as u32) {
                continue;
            }
            let at = scope.location.field("States").field(state_name.as_str());
            let mut assigns: Vec<(Location, Option<&Value>)> = vec![(at.clone(), state.assign())];
            if let State::Choice(choice) = state {
                let choices_at = at.field("Choices");
                for (number, rule) in choice.choices.iter().enumerate() {
                    assigns.push((choices_at.index(number), rule.assign.as_ref()));
                }
            }
            let catch_at = at.field("Catch");
            for (number, catcher) in state.catchers().iter().enumerate() {
                assigns.push((catch_at.index(number), catcher.assign.as_ref()));
            }
            for (owner, assign) in assigns {
                for (key, name) in assign_keys(assign) {
                    if assigned_around(name) {
                        out.warning(
                            Code::InvalidVariable,
                            owner.field("Assign").field(key),
                            format!(
                                "the {what} assigns `${name}`, which the enclosing scope also \
                                 assigns: the new value stays within this {what}"
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// The part of a path within one scope: its last states (at most
/// [`SHOWN`]), and whether they start at the scope's StartAt.
struct Segment {
    states: Vec<u32>,
    whole: bool,
}

impl Segment {
    /// The path to `state` that `parent` (the predecessor of each state)
    /// gives.
    fn along(start: u32, state: u32, parent: impl Fn(u32) -> u32) -> Segment {
        let mut states = vec![state];
        let mut current = state;
        while current != start && states.len() < SHOWN {
            current = parent(current);
            if current == NONE {
                break;
            }
            states.push(current);
        }
        states.reverse();
        Segment {
            whole: current == start,
            states,
        }
    }
}

/// A read checked against one scope it sees: the state there that holds
/// it (or reads, in its own scope).
struct Anchor {
    scope: u32,
    state: u32,
    name: u32,
    /// Whether every path from the scope's start assigns the name first.
    assigned: bool,
    /// A path that does not, when there is one.
    segment: Option<Segment>,
}

/// The reads checked along the state graph.
struct Flow<'a, 'm> {
    scopes: &'a [ScopeGraph<'m>],
    names: &'a Names,
    reads: &'a [Read],
    /// For each name, the first scopes (at most [`HOLDERS`]) that assign it.
    assigning: FxHashMap<u32, Vec<u32>>,
}

/// How many of the scopes assigning a name are searched for the Parallel or
/// Map state that holds them: enough to name one.
const HOLDERS: usize = 32;

/// How many names read and assigned nowhere get a suggestion: each is
/// compared with every name the read sees.
const SUGGESTED: usize = 256;

impl<'a, 'm> Flow<'a, 'm> {
    fn new(scopes: &'a [ScopeGraph<'m>], names: &'a Names, reads: &'a [Read]) -> Self {
        let mut assigning: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for (index, scope) in scopes.iter().enumerate() {
            for name in &scope.assigned {
                let scopes = assigning.entry(*name).or_default();
                if scopes.len() < HOLDERS {
                    scopes.push(index as u32);
                }
            }
        }
        Flow {
            scopes,
            names,
            reads,
            assigning,
        }
    }

    fn report(&self, out: &mut Diagnostics) {
        let scopes = self.scopes;
        // The reads of a name some scope they see assigns are checked
        // along the paths; the others are reported by what does assign it.
        let mut anchors: Vec<Anchor> = Vec::new();
        let mut of_read: Vec<Option<(usize, usize)>> = Vec::with_capacity(self.reads.len());
        let mut by_scope: Vec<Vec<u32>> = vec![Vec::new(); scopes.len()];
        for read in self.reads {
            let chain = visible(scopes, read.scope as usize, read.state);
            let seen = chain
                .iter()
                .any(|(scope, _)| scopes[*scope].assigned.contains(&read.name));
            if !seen {
                of_read.push(None);
                continue;
            }
            let first = anchors.len();
            // Outermost first: the order the path is shown in.
            for &(scope, state) in chain.iter().rev() {
                by_scope[scope].push(anchors.len() as u32);
                anchors.push(Anchor {
                    scope: scope as u32,
                    state,
                    name: read.name,
                    assigned: false,
                    segment: None,
                });
            }
            of_read.push(Some((first, anchors.len())));
        }
        for (index, ids) in by_scope.iter().enumerate() {
            if !ids.is_empty() {
                self.paths(index, ids, &mut anchors);
            }
        }
        let mut cache = Explanations::default();
        for (read, range) in self.reads.iter().zip(of_read) {
            let message = match range {
                Some((first, last)) => {
                    let anchors = &anchors[first..last];
                    if anchors.iter().any(|anchor| anchor.assigned) {
                        continue;
                    }
                    self.path_message(read, anchors)
                }
                None => self.explain(read, &mut cache),
            };
            out.warning(Code::UnassignedVariable, read.location.clone(), message);
        }
    }

    /// Decides, for the anchors `ids` in scope `index`, whether every path
    /// from the scope's start assigns their name first; where one does not,
    /// keeps the shortest.
    fn paths(&self, index: usize, ids: &[u32], anchors: &mut [Anchor]) {
        let scope = &self.scopes[index];
        let Some(start) = scope.start else {
            // No start: nothing is reachable, and no read was kept.
            return;
        };
        // The names assigned here, each with a bit of its own, and the
        // anchors by bit.
        let mut bits: FxHashMap<u32, usize> = FxHashMap::default();
        let mut by_bit: Vec<(usize, u32)> = Vec::new();
        for &id in ids {
            let anchor = &mut anchors[id as usize];
            if scope.assigned.contains(&anchor.name) {
                let count = bits.len();
                let bit = *bits.entry(anchor.name).or_insert(count);
                by_bit.push((bit, id));
            } else {
                // Not assigned in this scope: any path from its start.
                anchor.segment = Some(Segment::along(start, anchor.state, |s| {
                    scope.parents[s as usize]
                }));
            }
        }
        if bits.is_empty() {
            return;
        }
        by_bit.sort_unstable();
        // The transitions assigning each name.
        let mut assigning: Vec<Vec<u32>> = vec![Vec::new(); bits.len()];
        for (number, edge) in scope.edges.iter().enumerate() {
            for name in &scope.assigns[edge.from as usize..edge.until as usize] {
                if let Some(&bit) = bits.get(name) {
                    assigning[bit].push(number as u32);
                }
            }
        }
        let count = scope.states.len();
        let mut reached = vec![0_u64; count];
        let mut kills = vec![0_u64; scope.edges.len()];
        let mut next_bits = vec![0_u64; count];
        // How each state was first reached for each bit: `(from, bits,
        // next)` events chained from `first_event[state]`, a few per state
        // rather than one predecessor per state and bit.
        let mut first_event = vec![NONE; count];
        let mut events: Vec<(u32, u64, u32)> = Vec::new();
        let mut anchored = by_bit.iter().peekable();
        for chunk in (0..bits.len()).step_by(64) {
            let width = (bits.len() - chunk).min(64);
            let all = if width == 64 {
                u64::MAX
            } else {
                (1_u64 << width) - 1
            };
            kills.fill(0);
            for (offset, edges) in assigning[chunk..chunk + width].iter().enumerate() {
                for &edge in edges {
                    kills[edge as usize] |= 1 << offset;
                }
            }
            // Breadth first, level by level, for the chunk's names at once:
            // bit `b` of `reached[s]` says that a path from the start
            // reaches `s` without assigning the chunk's name `b`.
            reached.fill(0);
            first_event.fill(NONE);
            events.clear();
            reached[start as usize] = all;
            let mut frontier: Vec<(u32, u64)> = vec![(start, all)];
            let mut touched: Vec<u32> = Vec::new();
            while !frontier.is_empty() {
                for &(state, carried) in &frontier {
                    let first_edge = scope.offsets[state as usize] as usize;
                    for (offset, edge) in scope.edges_of(state).iter().enumerate() {
                        let to = edge.to as usize;
                        let new = carried & !kills[first_edge + offset] & !reached[to];
                        if new == 0 {
                            continue;
                        }
                        events.push((state, new, first_event[to]));
                        first_event[to] = (events.len() - 1) as u32;
                        reached[to] |= new;
                        if next_bits[to] == 0 {
                            touched.push(edge.to);
                        }
                        next_bits[to] |= new;
                    }
                }
                frontier.clear();
                for state in touched.drain(..) {
                    frontier.push((state, std::mem::take(&mut next_bits[state as usize])));
                }
            }
            while let Some(&&(bit, id)) = anchored.peek() {
                if bit >= chunk + width {
                    break;
                }
                anchored.next();
                let anchor = &mut anchors[id as usize];
                let mask = 1_u64 << (bit - chunk);
                if reached[anchor.state as usize] & mask == 0 {
                    anchor.assigned = true;
                    continue;
                }
                let parent = |state: u32| {
                    let mut event = first_event[state as usize];
                    while event != NONE {
                        let (from, bits, next) = events[event as usize];
                        if bits & mask != 0 {
                            return from;
                        }
                        event = next;
                    }
                    NONE
                };
                anchor.segment = Some(Segment::along(start, anchor.state, parent));
            }
        }
    }

    /// "`$total` may be read before any state assigns it: the path ...".
    fn path_message(&self, read: &Read, anchors: &[Anchor]) -> String {
        let name = self.names.name(read.name);
        let mut shown: Vec<String> = Vec::new();
        for anchor in anchors {
            let Some(segment) = &anchor.segment else {
                continue;
            };
            let scope = &self.scopes[anchor.scope as usize];
            if !segment.whole {
                if let Some(start) = scope.start {
                    shown.push(format!("`{}`", scope.state_name(start)));
                }
                shown.push("…".to_owned());
            }
            shown.extend(
                segment
                    .states
                    .iter()
                    .map(|&state| format!("`{}`", scope.state_name(state))),
            );
        }
        // Through many nested scopes, the middle goes too.
        if shown.len() > 3 * SHOWN {
            let tail = shown.split_off(shown.len() - 2 * SHOWN);
            shown.truncate(2);
            shown.push("…".to_owned());
            shown.extend(tail);
        }
        let scope = &self.scopes[read.scope as usize];
        let own = scope
            .states
            .get_index(read.state as usize)
            .is_some_and(|(_, state)| assigns(state, name));
        let hint = if own {
            "; a state's fields read the variables as they were when it was entered, before its \
             own Assign"
        } else {
            ""
        };
        if shown.len() == 1 {
            let start = match scope.kind {
                Kind::Machine => "the state machine",
                Kind::Branch => "its branch",
                Kind::Iteration | Kind::Items => "its Map iteration",
            };
            return format!(
                "`${name}` may be read before any state assigns it: {} starts {start}{hint}",
                shown[0]
            );
        }
        format!(
            "`${name}` may be read before any state assigns it: the path {} reaches this state \
             without assigning it{hint}",
            shown.join(" → ")
        )
    }

    /// Why a name that no scope the read sees assigns is not there.
    fn explain(&self, read: &Read, cache: &mut Explanations) -> String {
        let key = (read.scope, read.name);
        if let Some(message) = cache.messages.get(&key) {
            return message.clone();
        }
        let message = self.explanation(read, cache);
        cache.messages.insert(key, message.clone());
        message
    }

    fn explanation(&self, read: &Read, cache: &mut Explanations) -> String {
        let scopes = self.scopes;
        let name = self.names.name(read.name);
        let chain = visible(scopes, read.scope as usize, read.state);
        // Every scope around the read, past Distributed Maps too.
        let mut around: Vec<(usize, u32)> = chain.clone();
        while let Some(&(scope, _)) = around.last() {
            match scopes[scope].parent {
                Some((outer, holder)) => around.push((outer, holder)),
                None => break,
            }
        }
        let boundary = chain.last().map_or(0, |(scope, _)| *scope);
        if scopes[boundary].kind == Kind::Items
            && around[chain.len()..]
                .iter()
                .any(|(scope, _)| scopes[*scope].assigned.contains(&read.name))
            && let Some((outer, holder)) = scopes[boundary].parent
        {
            return format!(
                "`${name}` is assigned outside the Distributed Map `{}`, whose items run as child \
                 executions that start without the variables around them: pass its value to the \
                 items with ItemSelector",
                scopes[outer].state_name(holder)
            );
        }
        if let Some((scope, holder)) = self.holder(read.name, &around) {
            let state_name = scopes[scope].state_name(holder);
            let is_map = matches!(
                scopes[scope].states.get_index(holder as usize),
                Some((_, State::Map(_)))
            );
            // The read is inside the Parallel state whose other branches
            // assign the name.
            let holds_read = around
                .iter()
                .skip(1)
                .any(|&(s, h)| (s, h) == (scope, holder));
            if holds_read && !is_map {
                return format!(
                    "`${name}` is assigned only in another branch of the Parallel state \
                     `{state_name}`: a branch sees the variables assigned before `{state_name}` \
                     and its own, not those of the other branches"
                );
            }
            return if is_map {
                format!(
                    "`${name}` is assigned only inside the Map state `{state_name}`, whose \
                     assignments stay in its iterations: return it through Output"
                )
            } else {
                format!(
                    "`${name}` is assigned only inside the Parallel state `{state_name}`, whose \
                     assignments stay in its branches: return it through Output"
                )
            };
        }
        let suggestion = if cache.suggested < SUGGESTED {
            cache.suggested += 1;
            let mut known: Vec<&str> = chain
                .iter()
                .flat_map(|(scope, _)| scopes[*scope].assigned.iter())
                .map(|id| self.names.name(*id))
                .collect();
            known.sort_unstable();
            known.dedup();
            closest(name, known.iter().copied())
                .map(|close| format!("; did you mean `${close}`?"))
                .unwrap_or_default()
        } else {
            String::new()
        };
        format!("no state assigns the variable `${name}`{suggestion}")
    }

    /// The Parallel or Map state, in a scope of `around` (the read's scope
    /// first, then each around it, with the state there that holds the
    /// next), whose branches or processor assign `name`: the innermost, and
    /// there one that does not hold the read where there is a choice.
    fn holder(&self, name: u32, around: &[(usize, u32)]) -> Option<(usize, u32)> {
        let scopes = self.scopes;
        let depths: FxHashMap<usize, usize> = around
            .iter()
            .enumerate()
            .map(|(depth, (scope, _))| (*scope, depth))
            .collect();
        // Whether the state holds the read: it holds the next scope of
        // `around`.
        let holds_read = |(scope, holder): (usize, u32)| {
            depths
                .get(&scope)
                .is_some_and(|&depth| depth > 0 && around[depth].1 == holder)
        };
        let mut best: Option<(usize, (usize, u32))> = None;
        for &index in self.assigning.get(&name).into_iter().flatten() {
            let mut scope = index as usize;
            while let Some((outer, holder)) = scopes[scope].parent {
                if let Some(&depth) = depths.get(&outer) {
                    let better = best.is_none_or(|(found_depth, found)| {
                        depth < found_depth
                            || (depth == found_depth
                                && holds_read(found)
                                && !holds_read((outer, holder)))
                    });
                    if better {
                        best = Some((depth, (outer, holder)));
                    }
                    break;
                }
                scope = outer;
            }
        }
        best.map(|(_, found)| found)
    }
}

/// The explanations already given, by scope and name.
#[derive(Default)]
struct Explanations {
    messages: FxHashMap<(u32, u32), String>,
    /// How many names got a suggestion searched for.
    suggested: usize,
}

/// Whether one of the state's `Assign`s assigns `name`.
fn assigns(state: &State, name: &str) -> bool {
    let rules: Vec<Option<&Value>> = match state {
        State::Choice(choice) => choice
            .choices
            .iter()
            .map(|rule| rule.assign.as_ref())
            .collect(),
        _ => Vec::new(),
    };
    std::iter::once(state.assign())
        .chain(
            state
                .catchers()
                .iter()
                .map(|catcher| catcher.assign.as_ref()),
        )
        .chain(rules)
        .any(|assign| assign_keys(assign).any(|(_, assigned)| assigned == name))
}
