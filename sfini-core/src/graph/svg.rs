//! The graph as a standalone SVG image, from sfini's own layout (see the
//! module documentation for the structure programs rely on).

use std::fmt::Write;

use crate::model::StateType;

use super::build::{EdgeKind, Node, ScopeGraph, StateNode};
use super::label::{self, DETAIL_CHARACTERS, NAME_CHARACTERS};
use super::layout::{CHOICE_POINT, EdgePath, LABEL_SIZE, Layout, NodeBox, Segment};

/// The style sheet: every rule starts with `.sfini-graph`, the root's
/// class, so that an SVG put inline in a page styles nothing else.
const STYLE: &str = "\
.sfini-graph{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;font-size:12.5px}\
.sfini-graph .background{fill:#ffffff}\
.sfini-graph .shape{stroke-width:1.5}\
.sfini-graph .name{fill:#111827;font-weight:600}\
.sfini-graph .detail{fill:#4b5563;font-size:10.5px}\
.sfini-graph .state-task>.shape{fill:#e0ecff;stroke:#2f6fdb}\
.sfini-graph .state-pass>.shape{fill:#f1f3f5;stroke:#6b7280}\
.sfini-graph .state-choice>.shape{fill:#fff4d6;stroke:#c98300}\
.sfini-graph .state-wait>.shape{fill:#efe8ff;stroke:#7c4ddb}\
.sfini-graph .state-succeed>.shape{fill:#dcf5e3;stroke:#1f9d55}\
.sfini-graph .state-fail>.shape{fill:#fde2e2;stroke:#d23c3c}\
.sfini-graph .state-parallel>.shape{fill:#f4f8ff;stroke:#4a7bd0}\
.sfini-graph .state-map>.shape{fill:#f0faf5;stroke:#2f9b78}\
.sfini-graph .retry circle{fill:#ffffff;stroke:#2f6fdb;stroke-width:1.2}\
.sfini-graph .retry text{fill:#2f6fdb;font-size:11px;font-weight:700}\
.sfini-graph .terminal>.shape{fill:#374151;stroke:#374151}\
.sfini-graph .terminal>text{fill:#ffffff;font-size:11px;font-weight:600}\
.sfini-graph .lane{fill:#ffffff;fill-opacity:0.7;stroke:#9ca3af;stroke-dasharray:4 3}\
.sfini-graph .lane-title{fill:#6b7280;font-size:10.5px}\
.sfini-graph .edge>path{fill:none;stroke:#4b5563;stroke-width:1.4}\
.sfini-graph .edge-default>path{stroke:#6b7280}\
.sfini-graph .edge-catch>path{stroke:#d23c3c;stroke-dasharray:6 4}\
.sfini-graph .label-bg{fill:#ffffff;fill-opacity:0.9}\
.sfini-graph .label{fill:#374151;font-size:11px}\
.sfini-graph .edge-catch>.label{fill:#b42318}\
.sfini-graph .arrow{fill:#4b5563}\
.sfini-graph .arrow-catch{fill:#d23c3c}";

/// Renders the laid out graph.
pub(super) fn render(scopes: &[ScopeGraph], layout: &Layout) -> String {
    let root = &layout.scopes[0];
    let (width, height) = (root.width.ceil(), root.height.ceil());
    let mut out =
        String::with_capacity(1024 + 600 * scopes.iter().map(|s| s.nodes.len()).sum::<usize>());
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sfini-graph\" width=\"{w}\" \
         height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"State machine graph\">",
        w = num(width),
        h = num(height),
    );
    let _ = writeln!(out, "<style>{STYLE}</style>");
    out.push_str(
        "<defs>\
         <marker id=\"sfini-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" \
         markerHeight=\"7\" orient=\"auto\"><path class=\"arrow\" d=\"M0 0L10 5L0 10z\" fill=\"#4b5563\"/></marker>\
         <marker id=\"sfini-arrow-catch\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" \
         markerHeight=\"7\" orient=\"auto\"><path class=\"arrow-catch\" d=\"M0 0L10 5L0 10z\" fill=\"#d23c3c\"/></marker>\
         </defs>\n",
    );
    let _ = writeln!(
        out,
        "<rect class=\"background\" width=\"{}\" height=\"{}\"/>",
        num(width),
        num(height)
    );
    scope(&mut out, scopes, layout, 0, (0.0, 0.0));
    out.push_str("</svg>\n");
    out
}

/// Renders one scope at `origin`, and the scopes its states hold. Nested
/// scopes are at most `MAX_NESTING` deep.
fn scope(
    out: &mut String,
    scopes: &[ScopeGraph],
    layout: &Layout,
    index: usize,
    origin: (f64, f64),
) {
    let graph = &scopes[index];
    let laid = &layout.scopes[index];
    for (node, at) in graph.nodes.iter().zip(&laid.nodes) {
        let x = origin.0 + at.x;
        let y = origin.1 + at.y;
        match node {
            Node::Start => terminal(out, "start", "Start", x, y, at),
            Node::End => terminal(out, "end", "End", x, y, at),
            Node::State(state) => {
                state_box(out, state, x, y, at);
                if !state.children.is_empty() {
                    let _ = writeln!(
                        out,
                        "<g class=\"group\" data-state=\"{}\">",
                        escape(&state.name)
                    );
                    for (&child, offset) in state.children.iter().zip(&at.children) {
                        let child_origin = (x + offset.0, y + offset.1);
                        let child_layout = &layout.scopes[child];
                        let _ = writeln!(
                            out,
                            "<g class=\"scope\"><rect class=\"lane\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/>\
                             <text class=\"lane-title\" x=\"{}\" y=\"{}\">{}</text>",
                            num(child_origin.0),
                            num(child_origin.1),
                            num(child_layout.width),
                            num(child_layout.height),
                            num(child_origin.0 + 8.0),
                            num(child_origin.1 + 15.0),
                            escape(&scopes[child].title),
                        );
                        scope(out, scopes, layout, child, child_origin);
                        out.push_str("</g>\n");
                    }
                    out.push_str("</g>\n");
                }
            }
        }
    }
    for (edge, path) in graph.edges.iter().zip(&laid.edges) {
        let _ = write!(
            out,
            "<g class=\"edge edge-{}\" data-from=\"{}\" data-to=\"{}\"><path d=\"",
            edge.kind.as_str(),
            escape(graph.node_name(edge.from)),
            escape(graph.node_name(edge.to)),
        );
        path_data(out, path, origin);
        let marker = if edge.kind == EdgeKind::Catch {
            "sfini-arrow-catch"
        } else {
            "sfini-arrow"
        };
        let _ = write!(out, "\" marker-end=\"url(#{marker})\"/>");
        if let (Some(text), Some(center)) = (&edge.label, path.label) {
            let width = label::text_width(text, LABEL_SIZE);
            let (x, y) = (origin.0 + center.0, origin.1 + center.1);
            let _ = write!(
                out,
                "<rect class=\"label-bg\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"15\" rx=\"3\"/>\
                 <text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                num(x - width / 2.0 - 3.0),
                num(y - 8.0),
                num(width + 6.0),
                num(x),
                num(y + 4.0),
                escape(text),
            );
        }
        out.push_str("</g>\n");
    }
}

fn terminal(out: &mut String, class: &str, text: &str, x: f64, y: f64, at: &NodeBox) {
    let _ = writeln!(
        out,
        "<g class=\"terminal {class}\"><rect class=\"shape\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\"/>\
         <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{text}</text></g>",
        num(x),
        num(y),
        num(at.width),
        num(at.height),
        num(at.height / 2.0),
        num(x + at.width / 2.0),
        num(y + at.height / 2.0 + 4.0),
    );
}

fn state_box(out: &mut String, state: &StateNode, x: f64, y: f64, at: &NodeBox) {
    let kind = state.state_type.as_str();
    let _ = write!(
        out,
        "<g class=\"state state-{}\" data-state=\"{}\"><title>{} ({})</title>",
        kind.to_ascii_lowercase(),
        escape(&state.name),
        escape(&state.name),
        escape(&state.detail),
    );
    let (w, h) = (at.width, at.height);
    match state.state_type {
        StateType::Choice => {
            let p = CHOICE_POINT;
            let m = y + h / 2.0;
            polygon(
                out,
                &[
                    (x + p, y),
                    (x + w - p, y),
                    (x + w, m),
                    (x + w - p, y + h),
                    (x + p, y + h),
                    (x, m),
                ],
            );
        }
        StateType::Wait => {
            let s = 8.0;
            polygon(
                out,
                &[(x + s, y), (x + w, y), (x + w - s, y + h), (x, y + h)],
            );
        }
        StateType::Fail => {
            let c = 9.0;
            polygon(
                out,
                &[
                    (x + c, y),
                    (x + w - c, y),
                    (x + w, y + c),
                    (x + w, y + h - c),
                    (x + w - c, y + h),
                    (x + c, y + h),
                    (x, y + h - c),
                    (x, y + c),
                ],
            );
        }
        other => {
            let radius = match other {
                StateType::Pass => 2.0,
                StateType::Succeed => h / 2.0,
                StateType::Parallel | StateType::Map => 10.0,
                _ => 8.0,
            };
            let _ = write!(
                out,
                "<rect class=\"shape\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\"/>",
                num(x),
                num(y),
                num(w),
                num(h),
                num(radius)
            );
        }
    }
    let middle = x + w / 2.0;
    let _ = write!(
        out,
        "<text class=\"name\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
         <text class=\"detail\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        num(middle),
        num(y + 19.0),
        escape(&label::shorten(&state.name, NAME_CHARACTERS)),
        num(middle),
        num(y + 34.0),
        escape(&label::shorten(&state.detail, DETAIL_CHARACTERS)),
    );
    if state.retries {
        let (cx, cy) = (x + w - 4.0, y + 4.0);
        let _ = write!(
            out,
            "<g class=\"retry\"><title>Retry</title><circle cx=\"{}\" cy=\"{}\" r=\"8\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">↻</text></g>",
            num(cx),
            num(cy),
            num(cx),
            num(cy + 4.0),
        );
    }
    out.push_str("</g>\n");
}

fn polygon(out: &mut String, points: &[(f64, f64)]) {
    out.push_str("<polygon class=\"shape\" points=\"");
    for (index, (x, y)) in points.iter().enumerate() {
        if index > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{},{}", num(*x), num(*y));
    }
    out.push_str("\"/>");
}

fn path_data(out: &mut String, path: &EdgePath, origin: (f64, f64)) {
    let point = |out: &mut String, command: &str, p: (f64, f64)| {
        out.push_str(command);
        push_num(out, origin.0 + p.0);
        out.push(' ');
        push_num(out, origin.1 + p.1);
    };
    point(out, "M", path.start);
    for segment in &path.segments {
        match segment {
            Segment::Line(to) => point(out, "L", *to),
            Segment::Curve(c1, c2, to) => {
                point(out, "C", *c1);
                point(out, " ", *c2);
                point(out, " ", *to);
            }
        }
    }
}

/// A coordinate, to a tenth of a pixel, without a trailing `.0`.
pub(super) fn num(value: f64) -> String {
    let mut out = String::new();
    push_num(&mut out, value);
    out
}

/// Writes a coordinate as [`num`] gives it.
fn push_num(out: &mut String, value: f64) {
    let tenths = (value * 10.0).round() as i64;
    if tenths < 0 {
        out.push('-');
    }
    let tenths = tenths.unsigned_abs();
    let _ = write!(out, "{}", tenths / 10);
    if !tenths.is_multiple_of(10) {
        out.push('.');
        out.push(char::from(b'0' + (tenths % 10) as u8));
    }
}

/// Text escaped for XML: in text and in attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
