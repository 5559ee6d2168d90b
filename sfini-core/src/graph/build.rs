//! The graph model: each scope of a machine (the machine, a Parallel
//! branch, a Map processor) with its nodes and edges, built without
//! recursion.

use std::collections::VecDeque;

use crate::limits::MAX_DEPTH;
use crate::model::{Scope, State, StateMachine, StateType, Successor};

use super::label;

/// How deeply Parallel and Map states are drawn inside one another; deeper
/// ones are drawn as single boxes. Each level of nesting takes at least
/// three levels of JSON (the state, `ItemProcessor` or `Branches`, and
/// `States`), so a definition read within sfini's depth bound
/// ([`MAX_DEPTH`]) is drawn whole.
pub const MAX_NESTING: usize = MAX_DEPTH / 3;

/// The index of a scope's Start node.
pub(super) const START: usize = 0;
/// The index of a scope's End node.
pub(super) const END: usize = 1;

/// One scope: its nodes (Start, End, then its states in the order they are
/// written) and the edges between them.
#[derive(Clone, Debug)]
pub(super) struct ScopeGraph {
    /// What the scope is called in its group (`Branch 1`, `ItemProcessor`);
    /// empty for the machine.
    pub(super) title: String,
    /// Start, End, then the states.
    pub(super) nodes: Vec<Node>,
    /// The edges, in the order of the states and of their fields.
    pub(super) edges: Vec<Edge>,
}

/// A node of a scope.
#[derive(Clone, Debug)]
pub(super) enum Node {
    /// Where the scope starts.
    Start,
    /// Where the scope ends.
    End,
    /// A state.
    State(StateNode),
}

/// A state, as drawn.
#[derive(Clone, Debug)]
pub(super) struct StateNode {
    /// The state's name, whole.
    pub(super) name: String,
    /// The state's type.
    pub(super) state_type: StateType,
    /// A second line saying more: the type, and for a Task its resource.
    pub(super) detail: String,
    /// Whether the state has retriers.
    pub(super) retries: bool,
    /// The scopes it holds (Parallel branches, a Map processor), by index;
    /// none when they nest too deeply, and the second line says so.
    pub(super) children: Vec<usize>,
}

/// What an edge stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum EdgeKind {
    /// `Next`, from Start, or to End.
    Next,
    /// A Choice state's `Default`.
    Default,
    /// A Choice rule's `Next`.
    Choice,
    /// A catcher's `Next`.
    Catch,
}

impl EdgeKind {
    /// The edge's class in the SVG, and its name elsewhere.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Next => "next",
            EdgeKind::Default => "default",
            EdgeKind::Choice => "choice",
            EdgeKind::Catch => "catch",
        }
    }
}

/// An edge between two nodes of one scope.
#[derive(Clone, Debug)]
pub(super) struct Edge {
    /// The node it leaves.
    pub(super) from: usize,
    /// The node it reaches.
    pub(super) to: usize,
    /// What it stands for.
    pub(super) kind: EdgeKind,
    /// Its label, shortened: a Choice rule, `Default`, a catcher's errors.
    pub(super) label: Option<String>,
}

impl ScopeGraph {
    /// The name of a node as the SVG's `data-from` and `data-to` give it:
    /// the state's name, or the empty string for Start and End.
    pub(super) fn node_name(&self, node: usize) -> &str {
        match &self.nodes[node] {
            Node::State(state) => &state.name,
            Node::Start | Node::End => "",
        }
    }
}

/// Every scope of `machine`, breadth first: the machine, then each scope
/// after the one holding its Parallel or Map state.
pub(super) fn scopes(machine: &StateMachine) -> Vec<ScopeGraph> {
    let mut scopes = Vec::new();
    let mut queue: VecDeque<(&dyn Scope, String, usize)> = VecDeque::new();
    queue.push_back((machine, String::new(), 0));
    while let Some((scope, title, depth)) = queue.pop_front() {
        let index = scopes.len();
        // The children of this scope get the indices after every scope
        // already queued.
        let mut next_child = index + 1 + queue.len();
        let mut nodes = Vec::with_capacity(scope.states().len() + 2);
        nodes.push(Node::Start);
        nodes.push(Node::End);
        for (name, state) in scope.states() {
            let mut children = Vec::new();
            let mut inner: Vec<(&dyn Scope, String)> = Vec::new();
            match state {
                State::Parallel(parallel) => {
                    for (branch_index, branch) in parallel.branches.iter().enumerate() {
                        inner.push((branch, format!("Branch {}", branch_index + 1)));
                    }
                }
                State::Map(map) => {
                    let title = if map.is_distributed() {
                        "ItemProcessor (distributed)"
                    } else {
                        "ItemProcessor"
                    };
                    inner.push((&map.item_processor, title.to_string()));
                }
                _ => {}
            }
            let collapsed = !inner.is_empty() && depth + 1 > MAX_NESTING;
            if !collapsed {
                for (child, child_title) in inner {
                    children.push(next_child);
                    next_child += 1;
                    queue.push_back((child, child_title, depth + 1));
                }
            }
            let mut detail = label::detail(state);
            if collapsed {
                detail.push_str(" · …");
            }
            nodes.push(Node::State(StateNode {
                name: name.clone(),
                state_type: state.state_type(),
                detail,
                retries: !state.retriers().is_empty(),
                children,
            }));
        }
        let edges = edges(scope);
        scopes.push(ScopeGraph {
            title,
            nodes,
            edges,
        });
    }
    scopes
}

/// The edges of one scope: Start to `StartAt`, every transition to a state
/// of the scope, and every state that can end the scope to End.
fn edges(scope: &dyn Scope) -> Vec<Edge> {
    let states = scope.states();
    let node_of = |name: &str| states.get_index_of(name).map(|index| index + 2);
    let mut edges = Vec::with_capacity(states.len() + 1);
    if let Some(first) = node_of(scope.start_at()) {
        edges.push(Edge {
            from: START,
            to: first,
            kind: EdgeKind::Next,
            label: None,
        });
    }
    for (index, state) in states.values().enumerate() {
        let from = index + 2;
        for (successor, target) in state.successors() {
            let Some(to) = node_of(target) else {
                continue;
            };
            let (kind, text) = match successor {
                Successor::Next => (EdgeKind::Next, None),
                Successor::Default => (EdgeKind::Default, Some("Default".to_string())),
                Successor::ChoiceRule(rule) => match state {
                    State::Choice(choice) => (
                        EdgeKind::Choice,
                        Some(label::condition(&choice.choices[rule].condition)),
                    ),
                    _ => continue,
                },
                Successor::Catcher(catcher) => (
                    EdgeKind::Catch,
                    Some(label::errors(&state.catchers()[catcher].error_equals)),
                ),
            };
            edges.push(Edge {
                from,
                to,
                kind,
                label: text,
            });
        }
        if state.is_terminal() {
            edges.push(Edge {
                from,
                to: END,
                kind: EdgeKind::Next,
                label: None,
            });
        }
    }
    edges
}
