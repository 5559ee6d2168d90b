//! The graph as a Graphviz digraph.
//!
//! Nodes are named `s<scope>_<node>`; a Parallel or Map state is a
//! `subgraph cluster_s<scope>_<node>` holding a `subgraph cluster_s<scope>`
//! for each of its branches or its processor. Edges to and from it are
//! drawn to the border of its cluster (`lhead`, `ltail`, with
//! `compound=true`) from the Start and End nodes of its first branch.

use std::fmt::Write;

use crate::model::StateType;

use super::build::{END, EdgeKind, Node, START, ScopeGraph, StateNode};
use super::label::{self, DETAIL_CHARACTERS, NAME_CHARACTERS};

/// Renders the graph.
pub(super) fn render(scopes: &[ScopeGraph]) -> String {
    let mut out = String::from("digraph \"state machine\" {\n");
    out.push_str(
        "  graph [compound=true, rankdir=TB, fontname=\"Helvetica\", fontsize=11, nodesep=0.4, ranksep=0.45];\n\
         \x20 node [fontname=\"Helvetica\", fontsize=11, style=\"filled\", penwidth=1.3];\n\
         \x20 edge [fontname=\"Helvetica\", fontsize=10, color=\"#4b5563\", arrowsize=0.7];\n",
    );
    nodes(&mut out, scopes, 0, 1);
    for (index, graph) in scopes.iter().enumerate() {
        for edge in &graph.edges {
            let (from, tail) = endpoint(scopes, index, edge.from, END);
            let (to, head) = endpoint(scopes, index, edge.to, START);
            let mut attributes = Vec::new();
            if let Some(text) = &edge.label {
                attributes.push(format!("label=\"{}\"", escape(text)));
            }
            if edge.kind == EdgeKind::Catch {
                attributes
                    .push("style=dashed, color=\"#d23c3c\", fontcolor=\"#b42318\"".to_string());
            }
            if let Some(cluster) = tail {
                attributes.push(format!("ltail={cluster}"));
            }
            if let Some(cluster) = head {
                attributes.push(format!("lhead={cluster}"));
            }
            let _ = write!(out, "  {from} -> {to}");
            if !attributes.is_empty() {
                let _ = write!(out, " [{}]", attributes.join(", "));
            }
            out.push_str(";\n");
        }
    }
    out.push_str("}\n");
    out
}

/// The node an edge is drawn from or to, and the cluster it is clipped
/// at: for a Parallel or Map state, its first branch's `terminal` node.
fn endpoint(
    scopes: &[ScopeGraph],
    scope: usize,
    node: usize,
    terminal: usize,
) -> (String, Option<String>) {
    match &scopes[scope].nodes[node] {
        Node::State(state) if !state.children.is_empty() => (
            format!("s{}_{terminal}", state.children[0]),
            Some(format!("cluster_s{scope}_{node}")),
        ),
        _ => (format!("s{scope}_{node}"), None),
    }
}

/// Declares a scope's nodes, and the clusters of its Parallel and Map
/// states. Nested scopes are at most `MAX_NESTING` deep.
fn nodes(out: &mut String, scopes: &[ScopeGraph], index: usize, indent: usize) {
    let pad = "  ".repeat(indent);
    for (at, node) in scopes[index].nodes.iter().enumerate() {
        let id = format!("s{index}_{at}");
        match node {
            Node::Start | Node::End => {
                let text = if matches!(node, Node::Start) {
                    "Start"
                } else {
                    "End"
                };
                let _ = writeln!(
                    out,
                    "{pad}{id} [label=\"{text}\", shape=box, style=\"rounded,filled\", fillcolor=\"#374151\", color=\"#374151\", fontcolor=\"#ffffff\", fontsize=10, width=0.6, height=0.3];"
                );
            }
            Node::State(state) => {
                let (fill, stroke) = colours(state.state_type);
                if state.children.is_empty() {
                    let (shape, style) = match state.state_type {
                        StateType::Task => ("box", "rounded,filled"),
                        StateType::Choice => ("hexagon", "filled"),
                        StateType::Wait => ("parallelogram", "filled"),
                        StateType::Succeed => ("box", "rounded,filled,bold"),
                        StateType::Fail => ("octagon", "filled"),
                        _ => ("box", "filled"),
                    };
                    let _ = writeln!(
                        out,
                        "{pad}{id} [label=\"{}\", shape={shape}, style=\"{style}\", fillcolor=\"{fill}\", color=\"{stroke}\"];",
                        text(state)
                    );
                } else {
                    let _ = writeln!(out, "{pad}subgraph cluster_{id} {{");
                    let _ = writeln!(
                        out,
                        "{pad}  label=\"{}\"; style=\"rounded,filled\"; fillcolor=\"{fill}\"; color=\"{stroke}\"; fontcolor=\"#111827\";",
                        text(state)
                    );
                    for &child in &state.children {
                        let _ = writeln!(out, "{pad}  subgraph cluster_s{child} {{");
                        let _ = writeln!(
                            out,
                            "{pad}    label=\"{}\"; style=\"dashed,filled\"; fillcolor=\"#ffffff\"; color=\"#9ca3af\"; fontcolor=\"#6b7280\";",
                            escape(&scopes[child].title)
                        );
                        nodes(out, scopes, child, indent + 2);
                        let _ = writeln!(out, "{pad}  }}");
                    }
                    let _ = writeln!(out, "{pad}}}");
                }
            }
        }
    }
}

/// A state's label: its name, and its second line.
fn text(state: &StateNode) -> String {
    let mut detail = label::shorten(&state.detail, DETAIL_CHARACTERS);
    if state.retries {
        detail.push_str(" ↻");
    }
    format!(
        "{}\\n{}",
        escape(&label::shorten(&state.name, NAME_CHARACTERS)),
        escape(&detail)
    )
}

fn colours(state_type: StateType) -> (&'static str, &'static str) {
    match state_type {
        StateType::Task => ("#e0ecff", "#2f6fdb"),
        StateType::Pass => ("#f1f3f5", "#6b7280"),
        StateType::Choice => ("#fff4d6", "#c98300"),
        StateType::Wait => ("#efe8ff", "#7c4ddb"),
        StateType::Succeed => ("#dcf5e3", "#1f9d55"),
        StateType::Fail => ("#fde2e2", "#d23c3c"),
        StateType::Parallel => ("#f4f8ff", "#4a7bd0"),
        StateType::Map => ("#f0faf5", "#2f9b78"),
    }
}

/// Text for a quoted Graphviz string: backslashes and quotes escaped, line
/// breaks as spaces.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
