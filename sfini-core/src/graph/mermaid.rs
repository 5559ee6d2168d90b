//! The graph as a Mermaid flowchart.
//!
//! Nodes are named `s<scope>_<node>`; a Parallel or Map state is a
//! subgraph of that name holding a subgraph `s<scope>` for each of its
//! branches or its processor, and edges to and from it are edges of the
//! subgraph. Text is in `"..."` labels, with Mermaid's entity codes for
//! the characters that would end or change them.

use std::fmt::Write;

use crate::model::StateType;

use super::build::{EdgeKind, Node, ScopeGraph, StateNode};
use super::label::{self, DETAIL_CHARACTERS, NAME_CHARACTERS};

/// A class for each kind of node.
const CLASSES: &str = "\
classDef task fill:#e0ecff,stroke:#2f6fdb,color:#111827
classDef pass fill:#f1f3f5,stroke:#6b7280,color:#111827
classDef choice fill:#fff4d6,stroke:#c98300,color:#111827
classDef wait fill:#efe8ff,stroke:#7c4ddb,color:#111827
classDef succeed fill:#dcf5e3,stroke:#1f9d55,color:#111827
classDef fail fill:#fde2e2,stroke:#d23c3c,color:#111827
classDef parallel fill:#f4f8ff,stroke:#4a7bd0,color:#111827
classDef map fill:#f0faf5,stroke:#2f9b78,color:#111827
classDef scope fill:#ffffff,stroke:#9ca3af,stroke-dasharray:4 3,color:#6b7280
classDef terminal fill:#374151,stroke:#374151,color:#ffffff
";

/// Renders the graph.
pub(super) fn render(scopes: &[ScopeGraph]) -> String {
    let mut out = String::from("flowchart TD\n");
    out.push_str(CLASSES);
    let mut classes: Vec<(String, &'static str)> = Vec::new();
    nodes(&mut out, scopes, 0, 1, &mut classes);
    for (index, graph) in scopes.iter().enumerate() {
        for edge in &graph.edges {
            let arrow = if edge.kind == EdgeKind::Catch {
                "-.->"
            } else {
                "-->"
            };
            let _ = write!(out, "  s{index}_{} {arrow}", edge.from);
            if let Some(text) = &edge.label {
                let _ = write!(out, "|\"{}\"|", escape(text));
            }
            let _ = writeln!(out, " s{index}_{}", edge.to);
        }
    }
    for (id, class) in classes {
        let _ = writeln!(out, "  class {id} {class}");
    }
    out
}

/// Declares a scope's nodes, and the subgraphs of its Parallel and Map
/// states. Nested scopes are at most `MAX_NESTING` deep.
fn nodes(
    out: &mut String,
    scopes: &[ScopeGraph],
    index: usize,
    indent: usize,
    classes: &mut Vec<(String, &'static str)>,
) {
    let pad = "  ".repeat(indent);
    for (at, node) in scopes[index].nodes.iter().enumerate() {
        let id = format!("s{index}_{at}");
        match node {
            Node::Start => {
                let _ = writeln!(out, "{pad}{id}((\"Start\"))");
                classes.push((id, "terminal"));
            }
            Node::End => {
                let _ = writeln!(out, "{pad}{id}((\"End\"))");
                classes.push((id, "terminal"));
            }
            Node::State(state) => {
                let text = text(state);
                let class = class(state.state_type);
                if state.children.is_empty() {
                    let (open, close) = match state.state_type {
                        StateType::Task => ("(\"", "\")"),
                        StateType::Choice => ("{{\"", "\"}}"),
                        StateType::Wait => ("[/\"", "\"/]"),
                        StateType::Succeed => ("([\"", "\"])"),
                        StateType::Fail => ("[[\"", "\"]]"),
                        _ => ("[\"", "\"]"),
                    };
                    let _ = writeln!(out, "{pad}{id}{open}{text}{close}");
                } else {
                    let _ = writeln!(out, "{pad}subgraph {id}[\"{text}\"]");
                    let _ = writeln!(out, "{pad}  direction TB");
                    for &child in &state.children {
                        let _ = writeln!(
                            out,
                            "{pad}  subgraph s{child}[\"{}\"]",
                            escape(&scopes[child].title)
                        );
                        let _ = writeln!(out, "{pad}    direction TB");
                        nodes(out, scopes, child, indent + 2, classes);
                        let _ = writeln!(out, "{pad}  end");
                        classes.push((format!("s{child}"), "scope"));
                    }
                    let _ = writeln!(out, "{pad}end");
                }
                classes.push((id, class));
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
        "{}<br/>{}",
        escape(&label::shorten(&state.name, NAME_CHARACTERS)),
        escape(&detail)
    )
}

fn class(state_type: StateType) -> &'static str {
    match state_type {
        StateType::Task => "task",
        StateType::Pass => "pass",
        StateType::Choice => "choice",
        StateType::Wait => "wait",
        StateType::Succeed => "succeed",
        StateType::Fail => "fail",
        StateType::Parallel => "parallel",
        StateType::Map => "map",
    }
}

/// Text for a `"..."` label: Mermaid's entity codes for the characters
/// that would end the label, start an entity or open an HTML tag, and
/// spaces for line breaks.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
