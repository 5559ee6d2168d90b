//! A validated state machine prepared for running: every state's paths,
//! templates and rules compiled once, transitions resolved to indexes.

use std::sync::Arc;

use sfini_core::budget::EvaluationLimits;
use sfini_core::dataflow::StateIo;
use sfini_core::model::{
    Catcher, DataPath, QueryLanguage, Retrier, State, StateMachine, StateType, States, Transition,
    ValueOrPath,
};
use sfini_core::{Code, Diagnostics, Location};

/// A state machine ready to run.
#[derive(Debug)]
pub struct CompiledMachine {
    /// Every state's name, by the state's id (names are unique machine-wide).
    pub names: Vec<Box<str>>,
    /// The top-level states.
    pub top: Arc<Scope>,
    /// The machine's `TimeoutSeconds`.
    pub timeout_seconds: Option<u64>,
}

/// The states of a machine, a Parallel branch or a Map processor.
#[derive(Debug)]
pub struct Scope {
    /// Where the scope starts.
    pub start: usize,
    /// Its states; transitions are indexes into this list.
    pub states: Vec<CompiledState>,
}

/// One state, compiled.
#[derive(Debug)]
pub struct CompiledState {
    /// The state's id: its name is `names[id]`.
    pub id: u32,
    /// The state's type.
    pub state_type: StateType,
    /// Its data flow.
    pub io: StateIo,
    /// True when the data flow is the identity (no paths, no templates), so
    /// the output is the input itself.
    pub identity: bool,
    /// True when the state's effective input is its raw input (InputPath
    /// `$`, no Parameters), so it is shared rather than copied.
    pub raw_is_effective: bool,
    /// True when the state reads the context object (`$$`).
    pub uses_context: bool,
    /// The next state, `None` at the end of the scope.
    pub next: Option<usize>,
    /// Its retriers.
    pub retry: Vec<Retrier>,
    /// Its catchers.
    pub catchers: Vec<Catcher>,
    /// The index of each catcher's `Next` state.
    pub catch_next: Vec<usize>,
    /// What the state does.
    pub kind: Kind,
}

/// What a state does, with what it needs compiled. The settings a state
/// reads from its data (timeouts, waits, a Map's items and thresholds, a
/// Fail state's error and cause, a Choice state's rules) are read through
/// its [`StateIo`].
#[derive(Debug)]
pub enum Kind {
    /// A Task.
    Task(Box<TaskSpec>),
    /// A Pass.
    Pass,
    /// A Choice, with the indexes of the states its rules go to.
    Choice {
        /// The state each rule goes to, by rule.
        rules: Vec<usize>,
        /// The Default state.
        default: Option<usize>,
    },
    /// A Wait.
    Wait,
    /// A Succeed.
    Succeed,
    /// A Fail.
    Fail,
    /// A Parallel, with its branches.
    Parallel(Vec<Arc<Scope>>),
    /// An inline Map.
    Map(Box<MapSpec>),
}

/// What a Task calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// An activity, by ARN.
    Activity,
    /// A Lambda function named by its ARN.
    Lambda,
    /// A service integration (`arn:aws:states:::SERVICE:ACTION`).
    Service {
        /// The service (`lambda`, `sqs`...).
        resource_type: String,
        /// The action, with its suffix (`invoke`, `sendMessage.waitForTaskToken`).
        action: String,
        /// True for `.waitForTaskToken`: the task ends with a callback.
        callback: bool,
    },
}

/// A Task's settings.
#[derive(Debug)]
pub struct TaskSpec {
    /// The resource as written (placeholders resolved).
    pub resource: String,
    /// What the resource is.
    pub target: Target,
}

/// An inline Map's settings.
#[derive(Debug)]
pub struct MapSpec {
    /// True when `ToleratedFailureCount` is set (to a value other than 0,
    /// or read from the data).
    pub count_set: bool,
    /// True when `ToleratedFailurePercentage` is set likewise.
    pub percentage_set: bool,
    /// True when either threshold is set, or the Map is distributed:
    /// failures are then counted against the thresholds instead of failing
    /// the Map at once.
    pub tolerates: bool,
    /// True for a Distributed Map: its items run as child executions, and
    /// the history shows its Map Run instead of its iterations.
    pub distributed: bool,
    /// The processor.
    pub processor: Arc<Scope>,
}

impl CompiledMachine {
    /// Whether the machine has a Task state named `name`, at any depth.
    pub fn has_task(&self, name: &str) -> bool {
        fn within(scope: &Scope, names: &[Box<str>], name: &str) -> bool {
            scope.states.iter().any(|state| match &state.kind {
                Kind::Task(_) => names.get(state.id as usize).is_some_and(|n| &**n == name),
                Kind::Parallel(branches) => {
                    branches.iter().any(|branch| within(branch, names, name))
                }
                Kind::Map(map) => within(&map.processor, names, name),
                _ => false,
            })
        }
        within(&self.top, &self.names, name)
    }

    /// Whether the machine has a state named `name`, at any depth.
    pub fn has_state(&self, name: &str) -> bool {
        self.names.iter().any(|n| &**n == name)
    }
}

/// What a Task resource ARN names.
pub fn classify(resource: &str) -> Target {
    if resource.starts_with("arn:") && resource.split(':').nth(5) == Some("activity") {
        return Target::Activity;
    }
    if resource.starts_with("arn:") && resource.split(':').nth(2) == Some("lambda") {
        return Target::Lambda;
    }
    let integration = resource
        .strip_prefix("arn:")
        .and_then(|rest| rest.split_once(":states:::"))
        .map(|(_, integration)| integration);
    let (resource_type, action) = match integration.and_then(|rest| rest.split_once(':')) {
        Some((service, action)) => (service.to_string(), action.to_string()),
        None => (String::new(), resource.to_string()),
    };
    let callback = action.ends_with(".waitForTaskToken");
    Target::Service {
        resource_type,
        action,
        callback,
    }
}

/// Prepares a validated machine for running; refuses what the local engine
/// does not run (a Distributed Map).
pub fn compile(
    machine: &StateMachine,
    limits: EvaluationLimits,
) -> Result<CompiledMachine, Diagnostics> {
    let mut compiler = Compiler {
        names: Vec::new(),
        problems: Diagnostics::new(),
        limits,
        language: machine.query_language,
    };
    let location = Location::root();
    let top = compiler.scope(&machine.start_at, &machine.states, &location);
    if !compiler.problems.is_valid() {
        return Err(compiler.problems);
    }
    Ok(CompiledMachine {
        names: compiler.names,
        top: Arc::new(top),
        timeout_seconds: machine.timeout_seconds,
    })
}

struct Compiler {
    names: Vec<Box<str>>,
    problems: Diagnostics,
    /// The bounds of each evaluation of a state's data flow.
    limits: EvaluationLimits,
    /// The machine's query language.
    language: QueryLanguage,
}

impl Compiler {
    fn scope(&mut self, start_at: &str, states: &States, location: &Location) -> Scope {
        let index_of = |name: &str| states.get_index_of(name).unwrap_or(usize::MAX);
        let states_location = location.field("States");
        let mut compiled = Vec::with_capacity(states.len());
        for (name, state) in states {
            let here = states_location.field(name.as_str());
            let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
            self.names.push(name.as_str().into());
            let io = match StateIo::compile(state, self.language) {
                Ok(io) => io.with_limits(self.limits),
                Err(error) => {
                    self.problems
                        .error(Code::InvalidValue, here.field(error.field), error.message);
                    continue;
                }
            };
            let next = match state.transition() {
                Some(Transition::Next(next)) => Some(index_of(next)),
                _ => None,
            };
            let kind = match state {
                State::Task(task) => Kind::Task(Box::new(TaskSpec {
                    resource: task.resource.clone(),
                    target: classify(&task.resource),
                })),
                State::Pass(_) => Kind::Pass,
                State::Choice(choice) => Kind::Choice {
                    rules: choice
                        .choices
                        .iter()
                        .map(|rule| index_of(&rule.next))
                        .collect(),
                    default: choice.default.as_deref().map(index_of),
                },
                State::Wait(_) => Kind::Wait,
                State::Succeed(_) => Kind::Succeed,
                State::Fail(_) => Kind::Fail,
                State::Parallel(parallel) => {
                    let branches = parallel
                        .branches
                        .iter()
                        .enumerate()
                        .map(|(index, branch)| {
                            let at = here.field("Branches").index(index);
                            Arc::new(self.scope(&branch.start_at, &branch.states, &at))
                        })
                        .collect();
                    Kind::Parallel(branches)
                }
                State::Map(map) => {
                    let external = [
                        ("ItemReader", map.item_reader.is_some()),
                        ("ItemBatcher", map.item_batcher.is_some()),
                        ("ResultWriter", map.result_writer.is_some()),
                    ];
                    if let Some((field, _)) = external.iter().find(|(_, set)| *set) {
                        self.problems.error(
                            Code::Unsupported,
                            here.field(*field),
                            format!(
                                "the local engine runs a Map over the items in its state's \
                                 input only: {field} reads or writes Amazon S3, which needs \
                                 AWS; remove it and give the items with ItemsPath"
                            ),
                        );
                        continue;
                    }
                    let processor = &map.item_processor;
                    let at = here.field("ItemProcessor");
                    let processor =
                        Arc::new(self.scope(&processor.start_at, &processor.states, &at));
                    let distributed = map.is_distributed();
                    let count_set = map.tolerated_failure_count != ValueOrPath::Value(0);
                    let percentage_set =
                        map.tolerated_failure_percentage != ValueOrPath::Value(0.0);
                    Kind::Map(Box::new(MapSpec {
                        count_set,
                        percentage_set,
                        tolerates: distributed || count_set || percentage_set,
                        distributed,
                        processor,
                    }))
                }
            };
            compiled.push(CompiledState {
                id,
                state_type: state.state_type(),
                identity: io.is_identity() && is_identity(state),
                raw_is_effective: io.raw_is_effective() && raw_is_effective(state),
                uses_context: uses_context(state) || io.uses_context(),
                io,
                next,
                retry: state.retriers().to_vec(),
                catchers: state.catchers().to_vec(),
                catch_next: state
                    .catchers()
                    .iter()
                    .map(|catcher| index_of(&catcher.next))
                    .collect(),
                kind,
            });
        }
        Scope {
            start: index_of(start_at),
            states: compiled,
        }
    }
}

/// True when a state's data flow passes its input through unchanged.
fn is_identity(state: &State) -> bool {
    let root = |path: &DataPath| path.is_root();
    match state {
        State::Pass(pass) => {
            root(&pass.input_path)
                && pass.parameters.is_none()
                && pass.result.is_none()
                && root(&pass.result_path)
                && root(&pass.output_path)
        }
        State::Choice(choice) => root(&choice.input_path) && root(&choice.output_path),
        State::Wait(wait) => root(&wait.input_path) && root(&wait.output_path),
        State::Succeed(succeed) => root(&succeed.input_path) && root(&succeed.output_path),
        _ => false,
    }
}

/// True when a state's effective input is its raw input.
fn raw_is_effective(state: &State) -> bool {
    let (input_path, parameters) = match state {
        State::Task(task) => (&task.input_path, &task.parameters),
        State::Pass(pass) => (&pass.input_path, &pass.parameters),
        State::Parallel(parallel) => (&parallel.input_path, &parallel.parameters),
        State::Map(map) => return map.input_path.is_root(),
        State::Choice(choice) => return choice.input_path.is_root(),
        State::Wait(wait) => return wait.input_path.is_root(),
        State::Succeed(succeed) => return succeed.input_path.is_root(),
        State::Fail(_) => return true,
    };
    input_path.is_root() && parameters.is_none()
}

/// True when a state reads the context object: some string among its own
/// fields (not those of the states nested in it) contains `$$`.
fn uses_context(state: &State) -> bool {
    let mut own = state.clone();
    match &mut own {
        State::Parallel(parallel) => parallel.branches.clear(),
        State::Map(map) => map.item_processor.states.clear(),
        _ => {}
    }
    serde_json::to_string(&own).map_or(true, |text| text.contains("$$"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sfini_core::model::{Choice, Condition, Operator, Pass, Succeed, Task};

    #[test]
    fn resources_are_classified() {
        assert_eq!(
            classify("arn:aws:states:us-east-1:1:activity:a"),
            Target::Activity
        );
        assert_eq!(
            classify("arn:aws:lambda:us-east-1:1:function:f"),
            Target::Lambda
        );
        assert_eq!(
            classify("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
            Target::Service {
                resource_type: "sqs".into(),
                action: "sendMessage.waitForTaskToken".into(),
                callback: true
            }
        );
        assert_eq!(
            classify("arn:aws:states:::lambda:invoke"),
            Target::Service {
                resource_type: "lambda".into(),
                action: "invoke".into(),
                callback: false
            }
        );
    }

    #[test]
    fn transitions_become_indexes_and_shortcuts_are_found() {
        let machine = StateMachine::new("a")
            .state("a", Pass::new().next("b"))
            .state(
                "b",
                Choice::new()
                    .when(Condition::numeric("$.n", Operator::LessThan, 3), "a")
                    .otherwise("c"),
            )
            .state(
                "c",
                Task::new("arn:aws:states:::lambda:invoke")
                    .parameters(serde_json::json!({"t.$": "$$.Task.Token"}))
                    .next("d"),
            )
            .state("d", Succeed::new().output_path("$.x"));
        let compiled = compile(&machine, EvaluationLimits::default()).unwrap();
        let states = &compiled.top.states;
        assert_eq!(compiled.top.start, 0);
        assert_eq!(states[0].next, Some(1));
        assert!(states[0].identity && states[1].identity);
        assert!(!states[3].identity);
        assert!(!states[0].uses_context && states[2].uses_context);
        let Kind::Choice { rules, default } = &states[1].kind else {
            panic!()
        };
        assert_eq!(rules, &[0]);
        assert_eq!(*default, Some(2));
        assert_eq!(&*compiled.names[3], "d");
    }
}
