//! Pictures of state machines: a [`Graph`] built from a [`StateMachine`],
//! drawn as a Mermaid flowchart, a Graphviz digraph, or an SVG image that
//! sfini lays out itself.
//!
//! The graph shows every state by its type, a Start and an End node per
//! scope, transitions (`Next`), each Choice rule as the label of its edge
//! (`$.n > 3`, `And($.a == "x", IsPresent $.b)`, a JSONata `Condition`'s
//! expression) and `Default`, Catch edges dashed and labelled with their
//! error names, a `↻` on states that retry, and Parallel branches and Map
//! processors as nested groups holding their own states.
//!
//! ```
//! use sfini_core::model::*;
//!
//! let machine = StateMachine::new("check")
//!     .state(
//!         "check",
//!         Choice::new()
//!             .when(Condition::numeric("$.n", Operator::GreaterThan, 3), "big")
//!             .otherwise("small"),
//!     )
//!     .state("big", Succeed::new())
//!     .state("small", Fail::new());
//! let graph = machine.graph();
//! assert!(graph.to_mermaid().contains(r#"-->|"$.n > 3"|"#));
//! assert!(graph.to_dot().starts_with("digraph"));
//! assert!(graph.to_svg().contains(r#"<g class="state state-choice" data-state="check">"#));
//! ```
//!
//! Every output is deterministic: the same machine gives the same bytes.
//! Any machine can be drawn, an invalid one too (a transition to a state
//! that does not exist is left out); a machine with thousands of states
//! takes time in proportion to its size, and Parallel and Map states
//! nested deeper than [`MAX_NESTING`] levels (deeper than a definition
//! within sfini's JSON depth bound can nest them) are drawn as single
//! boxes marked `…`.
//!
//! # The SVG
//!
//! The SVG stands alone: its root `<svg>` has `xmlns`, `viewBox`, `width`,
//! `height` and the class `sfini-graph`, and an inline `<style>` whose rules
//! all start with `.sfini-graph`, so that the image can be put inline in an
//! HTML page without styling anything else. Programs may rely on its
//! structure:
//!
//! - each state is `<g class="state state-<type>" data-state="<name>">`
//!   (the type in lowercase: `state-task`, `state-choice`, ...) holding its
//!   shape and its text; state names are unique in a machine, so
//!   `data-state` identifies one;
//! - the Start and End nodes of each scope (the machine, a branch, a
//!   processor) are `<g class="terminal start">` and `<g class="terminal end">`;
//! - each edge is `<g class="edge edge-next|edge-default|edge-choice|edge-catch"
//!   data-from="<name>" data-to="<name>">`, where the name of a Start or End
//!   node is the empty string;
//! - the branches of a Parallel state and the processor of a Map state are
//!   in `<g class="group" data-state="<the Parallel or Map state's name>">`,
//!   drawn after the state's own `<g class="state ...">` (its outline), one
//!   `<g class="scope">` for each branch.

mod build;
mod dot;
mod label;
mod layout;
mod mermaid;
mod svg;

#[cfg(test)]
mod tests;

use crate::model::StateMachine;

pub use build::MAX_NESTING;

/// A state machine as a graph: its states as nodes, grouped by scope, and
/// its transitions as edges, ready to be drawn.
///
/// Built with [`Graph::new`] or [`StateMachine::graph`].
#[derive(Clone, Debug)]
pub struct Graph {
    /// Every scope: the machine first, then the branches and processors,
    /// each after the scope holding its Parallel or Map state.
    scopes: Vec<build::ScopeGraph>,
}

impl Graph {
    /// The graph of `machine`.
    pub fn new(machine: &StateMachine) -> Graph {
        Graph {
            scopes: build::scopes(machine),
        }
    }

    /// The graph as a Mermaid flowchart (`flowchart TD`), with a subgraph
    /// for each Parallel or Map state holding one for each of its branches
    /// or its processor.
    pub fn to_mermaid(&self) -> String {
        mermaid::render(&self.scopes)
    }

    /// The graph as a Graphviz digraph, with a `subgraph cluster_*` for each
    /// Parallel or Map state holding one for each of its branches or its
    /// processor.
    pub fn to_dot(&self) -> String {
        dot::render(&self.scopes)
    }

    /// The graph as a standalone SVG image, laid out by sfini (see the
    /// [module documentation](self) for its structure).
    pub fn to_svg(&self) -> String {
        svg::render(&self.scopes, &layout::layout(&self.scopes))
    }
}

impl StateMachine {
    /// The machine's graph, to draw it: see [`Graph`].
    pub fn graph(&self) -> Graph {
        Graph::new(self)
    }
}
