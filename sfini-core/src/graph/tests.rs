use serde_json::json;

use super::*;
use crate::model::*;

fn activity(name: &str) -> String {
    format!("arn:aws:states:us-east-1:123456789012:activity:{name}")
}

/// A machine with every kind of edge: a Choice with rules and a default, a
/// retrying task with a catcher, a loop back, and a Parallel state.
fn sample() -> StateMachine {
    StateMachine::new("check")
        .state(
            "check",
            Choice::new()
                .when(Condition::numeric("$.n", Operator::GreaterThan, 3), "work")
                .when(
                    Condition::and(vec![
                        Condition::string("$.s", Operator::Equals, "a"),
                        Condition::is("$.x", TypeTest::Present, true),
                    ]),
                    "both",
                )
                .otherwise("done"),
        )
        .state(
            "work",
            Task::new(activity("work"))
                .retry(Retrier::new(["States.Timeout"]))
                .catch(Catcher::new(["MyError", "States.TaskFailed"], "failed"))
                .next("check"),
        )
        .state(
            "both",
            Parallel::new()
                .branch(Branch::new("left").state("left", Pass::new()))
                .branch(
                    Branch::new("right")
                        .state("right", Wait::seconds(1).next("right done"))
                        .state("right done", Succeed::new()),
                )
                .next("done"),
        )
        .state("done", Succeed::new())
        .state("failed", Fail::new().error("Failed"))
}

/// The `<g ...>` element whose opening tag starts with `start`, up to its
/// matching `</g>`.
fn element<'s>(svg: &'s str, start: &str) -> &'s str {
    let at = svg
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {svg}"));
    let mut depth = 0;
    let mut cursor = at;
    loop {
        let open = svg[cursor..].find("<g ").map(|i| cursor + i);
        let close = svg[cursor..].find("</g>").map(|i| cursor + i).unwrap();
        match open {
            Some(open) if open < close => {
                depth += 1;
                cursor = open + 3;
            }
            _ => {
                depth -= 1;
                cursor = close + 4;
                if depth == 0 {
                    return &svg[at..cursor];
                }
            }
        }
    }
}

#[test]
fn choice_rules_are_edge_labels() {
    let graph = sample().graph();
    let mermaid = graph.to_mermaid();
    assert!(mermaid.starts_with("flowchart TD\n"));
    assert!(mermaid.contains(r#"s0_2 -->|"$.n > 3"| s0_3"#), "{mermaid}");
    assert!(
        mermaid.contains(r##"s0_2 -->|"And($.s == #quot;a#quot;, IsPresent $.x)"| s0_4"##),
        "{mermaid}"
    );
    assert!(mermaid.contains(r#"s0_2 -->|"Default"| s0_5"#), "{mermaid}");
    let svg = graph.to_svg();
    let rule = element(
        &svg,
        r#"<g class="edge edge-choice" data-from="check" data-to="work">"#,
    );
    assert!(rule.contains(">$.n &gt; 3</text>"), "{rule}");
    let default = element(
        &svg,
        r#"<g class="edge edge-default" data-from="check" data-to="done">"#,
    );
    assert!(default.contains(">Default</text>"), "{default}");
    let dot = graph.to_dot();
    assert!(
        dot.contains(r#"s0_2 -> s0_4"#) || dot.contains("s0_2 -> s1_0"),
        "{dot}"
    );
    assert!(
        dot.contains(r#"label="And($.s == \"a\", IsPresent $.x)""#),
        "{dot}"
    );
}

#[test]
fn catch_edges_are_dashed_and_name_their_errors() {
    let graph = sample().graph();
    let svg = graph.to_svg();
    let catch = element(
        &svg,
        r#"<g class="edge edge-catch" data-from="work" data-to="failed">"#,
    );
    assert!(catch.contains("url(#sfini-arrow-catch)"), "{catch}");
    assert!(
        catch.contains(">MyError, States.TaskFailed</text>"),
        "{catch}"
    );
    assert!(svg.contains(".edge-catch>path{stroke:#d23c3c;stroke-dasharray"));
    assert!(
        graph
            .to_mermaid()
            .contains(r#"s0_3 -.->|"MyError, States.TaskFailed"| s0_6"#)
    );
    assert!(
        graph
            .to_dot()
            .contains(r#"s0_3 -> s0_6 [label="MyError, States.TaskFailed", style=dashed"#)
    );
}

#[test]
fn retries_are_marked() {
    let svg = sample().graph().to_svg();
    let work = element(&svg, r#"<g class="state state-task" data-state="work">"#);
    assert!(work.contains(r#"<g class="retry">"#), "{work}");
    let check = element(&svg, r#"<g class="state state-choice" data-state="check">"#);
    assert!(!check.contains("retry"), "{check}");
    assert!(
        sample()
            .graph()
            .to_mermaid()
            .contains("Task · activity:work ↻")
    );
}

#[test]
fn branches_are_nested_groups_with_their_own_start_and_end() {
    let graph = sample().graph();
    let svg = graph.to_svg();
    let state = element(
        &svg,
        r#"<g class="state state-parallel" data-state="both">"#,
    );
    assert!(!state.contains("data-state=\"left\""));
    let group = element(&svg, r#"<g class="group" data-state="both">"#);
    for name in ["left", "right", "right done"] {
        assert!(group.contains(&format!("data-state=\"{name}\"")), "{name}");
    }
    assert_eq!(group.matches(r#"<g class="terminal start">"#).count(), 2);
    assert_eq!(group.matches(r#"<g class="terminal end">"#).count(), 2);
    assert!(group.contains(r#"<g class="edge edge-next" data-from="right" data-to="right done">"#));
    assert!(group.contains(r#"<g class="edge edge-next" data-from="" data-to="left">"#));
    assert!(group.contains(r#"<g class="edge edge-next" data-from="right done" data-to="">"#));
    // Outside the group: the machine's own Start and End.
    assert_eq!(svg.matches(r#"<g class="terminal start">"#).count(), 3);
    assert!(!group.contains("data-state=\"done\""));

    let mermaid = graph.to_mermaid();
    assert!(
        mermaid.contains("subgraph s0_4[\"both<br/>Parallel\"]"),
        "{mermaid}"
    );
    assert!(mermaid.contains("subgraph s1[\"Branch 1\"]"), "{mermaid}");
    assert!(mermaid.contains("subgraph s2[\"Branch 2\"]"), "{mermaid}");
    let dot = graph.to_dot();
    assert!(dot.contains("subgraph cluster_s0_4 {"), "{dot}");
    assert!(dot.contains("subgraph cluster_s2 {"), "{dot}");
    assert!(dot.contains("s0_2 -> s1_0 [label=\"And("), "{dot}");
    assert!(dot.contains("lhead=cluster_s0_4"), "{dot}");
    assert!(dot.contains("s1_1 -> s0_5 [ltail=cluster_s0_4];"), "{dot}");
}

#[test]
fn map_processors_are_groups() {
    let machine = StateMachine::new("each").state(
        "each",
        Map::new(ItemProcessor::new("inner").state("inner", Task::new(activity("one")))),
    );
    let svg = machine.graph().to_svg();
    let group = element(&svg, r#"<g class="group" data-state="each">"#);
    assert!(group.contains(r#"<g class="state state-task" data-state="inner">"#));
    assert!(group.contains(">ItemProcessor</text>"));
    assert!(svg.contains(r#"<g class="state state-map" data-state="each">"#));
}

#[test]
fn every_state_type_has_its_class() {
    let svg = sample().graph().to_svg();
    for class in [
        "state-choice",
        "state-task",
        "state-parallel",
        "state-pass",
        "state-wait",
        "state-succeed",
        "state-fail",
    ] {
        assert!(
            svg.contains(&format!("<g class=\"state {class}\"")),
            "{class}"
        );
    }
}

#[test]
fn the_svg_has_what_pages_rely_on() {
    let svg = sample().graph().to_svg();
    let root = &svg[..svg.find('>').unwrap()];
    for attribute in [
        "xmlns=\"http://www.w3.org/2000/svg\"",
        "viewBox=\"0 0 ",
        "width=\"",
        "height=\"",
    ] {
        assert!(root.contains(attribute), "{root}");
    }
    assert!(svg.contains("<style>"));
    assert!(svg.contains("<marker id=\"sfini-arrow\""));
    // Every style rule is scoped to the graph.
    let style = &svg[svg.find("<style>").unwrap() + 7..svg.find("</style>").unwrap()];
    for rule in style.split('}').filter(|rule| !rule.is_empty()) {
        assert!(rule.starts_with(".sfini-graph"), "{rule}");
    }
    assert!(svg.ends_with("</svg>\n"));
    assert_eq!(svg.matches("<g ").count(), svg.matches("</g>").count());
}

#[test]
fn loops_go_around_the_side() {
    let graph = sample().graph();
    let layout = layout::layout(&graph.scopes);
    let root = &layout.scopes[0];
    // `work` goes back to `check`: its path leaves to the right of every
    // box and comes back.
    let index = graph.scopes[0]
        .edges
        .iter()
        .position(|edge| edge.from == 3 && edge.to == 2)
        .unwrap();
    let right = root
        .nodes
        .iter()
        .map(|node| node.x + node.width)
        .fold(0.0, f64::max);
    let farthest = root.edges[index]
        .segments
        .iter()
        .map(|segment| match segment {
            layout::Segment::Line(to) | layout::Segment::Curve(_, _, to) => to.0,
        })
        .fold(0.0, f64::max);
    assert!(farthest > right, "{farthest} <= {right}");
}

#[test]
fn boxes_do_not_overlap() {
    let graph = sample().graph();
    let layout = layout::layout(&graph.scopes);
    for laid in &layout.scopes {
        for (i, a) in laid.nodes.iter().enumerate() {
            assert!(a.x >= 0.0 && a.y >= 0.0);
            assert!(a.x + a.width <= laid.width && a.y + a.height <= laid.height);
            for b in &laid.nodes[i + 1..] {
                let apart = a.x + a.width <= b.x
                    || b.x + b.width <= a.x
                    || a.y + a.height <= b.y
                    || b.y + b.height <= a.y;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
    }
}

#[test]
fn text_is_escaped_for_each_format() {
    let name = r#"a "quoted" <name> & #hash | `tick` \ back"#;
    let machine = StateMachine::new(name)
        .state(name, Pass::new().next("b'"))
        .state("b'", Succeed::new());
    let graph = machine.graph();
    let svg = graph.to_svg();
    assert!(
        svg.contains(
            r#"data-state="a &quot;quoted&quot; &lt;name&gt; &amp; #hash | `tick` \ back""#
        )
    );
    assert!(svg.contains(r#"data-state="b&apos;""#));
    let mermaid = graph.to_mermaid();
    assert!(
        mermaid.contains(
            r#"["a #quot;quoted#quot; #lt;name> #amp; #35;hash #124; #96;ti…<br/>Pass"]"#
        ),
        "{mermaid}"
    );
    let dot = graph.to_dot();
    assert!(
        dot.contains(r#"label="a \"quoted\" <name> & #hash | `ti…\nPass""#),
        "{dot}"
    );
}

#[test]
fn long_labels_are_shortened() {
    let long = "x".repeat(80);
    let machine = StateMachine::new(long.as_str())
        .state(
            long.as_str(),
            Choice::new()
                .when(
                    Condition::string(
                        "$.a.very.long.path.to.somewhere.else",
                        Operator::Equals,
                        "y".repeat(500),
                    ),
                    "end",
                )
                .otherwise("end"),
        )
        .state("end", Succeed::new());
    let svg = machine.graph().to_svg();
    assert!(svg.contains(&format!(">{}…</text>", "x".repeat(31))));
    assert!(svg.contains(&format!("data-state=\"{long}\"")));
    assert!(
        svg.contains(r#">$.a.very.long.path.to.somewhere.else == &quot;yy…</text>"#),
        "{svg}"
    );
}

#[test]
fn condition_texts() {
    let cases = [
        (
            Condition::string("$.s", Operator::Equals, "a"),
            r#"$.s == "a""#,
        ),
        (
            Condition::numeric("$.n", Operator::LessThanEquals, 2.5),
            "$.n <= 2.5",
        ),
        (Condition::boolean("$.b", true), "$.b == true"),
        (
            Condition::is("$.x", TypeTest::Present, true),
            "IsPresent $.x",
        ),
        (Condition::is("$.x", TypeTest::Null, false), "!IsNull $.x"),
        (
            Condition::not(Condition::matches("$.f", "*.csv")),
            r#"Not($.f matches "*.csv")"#,
        ),
        (
            Condition::or(vec![
                Condition::timestamp("$.t", Operator::LessThan, "2024-01-01T00:00:00Z"),
                Condition::test(
                    "$.a",
                    Comparison::Numeric(Operator::GreaterThan, ValueOrPath::Path("$.b".into())),
                ),
            ]),
            r#"Or($.t < "2024-01-01T00:00:00Z", $.a > $.b)"#,
        ),
        (Condition::jsonata(json!("{% $n > 3 %}")), "$n > 3"),
    ];
    for (condition, text) in cases {
        assert_eq!(label::condition(&condition), text);
    }
}

#[test]
fn output_is_deterministic() {
    let one = sample().graph();
    let two = sample().graph();
    assert_eq!(one.to_svg(), two.to_svg());
    assert_eq!(one.to_mermaid(), two.to_mermaid());
    assert_eq!(one.to_dot(), two.to_dot());
}

#[test]
fn a_long_chain_is_drawn_in_linear_time() {
    let count = 2_000;
    let mut machine = StateMachine::new("s0");
    for index in 0..count {
        let state = Pass::new();
        let state = if index + 1 == count {
            state
        } else {
            state.next(format!("s{}", index + 1))
        };
        machine = machine.state(format!("s{index}"), state);
    }
    // Every state also catches nothing but may fail to the last: long
    // edges over every rank.
    let started = std::time::Instant::now();
    let graph = machine.graph();
    let svg = graph.to_svg();
    assert_eq!(svg.matches("<g class=\"state state-pass\"").count(), count);
    assert_eq!(graph.to_mermaid().matches(" --> ").count(), count + 1);
    assert!(graph.to_dot().contains("s0_2001 -> s0_1;"));
    assert!(started.elapsed().as_secs() < 20);
}

#[test]
fn many_long_edges_stay_within_the_budget() {
    let count = 1_500;
    let mut machine = StateMachine::new("t0");
    for index in 0..count {
        let next = if index + 1 == count {
            "failed".to_string()
        } else {
            format!("t{}", index + 1)
        };
        machine = machine.state(
            format!("t{index}"),
            Task::new(activity("work"))
                .catch(Catcher::new(["States.ALL"], "failed"))
                .next(next),
        );
    }
    let machine = machine.state("failed", Fail::new());
    let started = std::time::Instant::now();
    let svg = machine.graph().to_svg();
    assert_eq!(svg.matches("class=\"edge edge-catch\"").count(), count);
    assert!(started.elapsed().as_secs() < 20);
}

#[test]
fn deep_nesting_is_drawn_to_a_bound() {
    // Built inside out: each level a Parallel holding the one below.
    let levels = MAX_NESTING + 40;
    let mut branch = Branch::new("leaf").state("leaf", Pass::new());
    for level in 0..levels {
        branch = Branch::new(format!("p{level}"))
            .state(format!("p{level}"), Parallel::new().branch(branch));
    }
    let machine = StateMachine::new("top").state("top", Parallel::new().branch(branch));
    let graph = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let graph = machine.graph();
            let outputs = (graph.to_svg(), graph.to_mermaid(), graph.to_dot());
            // Dropping the nested machine is the test's business, not the graph's.
            std::mem::forget(machine);
            outputs
        })
        .unwrap()
        .join()
        .unwrap();
    let (svg, mermaid, dot) = graph;
    assert_eq!(svg.matches("<g class=\"group\"").count(), MAX_NESTING);
    assert!(svg.contains("Parallel · …"));
    assert!(!svg.contains("data-state=\"leaf\""));
    assert!(mermaid.contains("Parallel · …"));
    assert!(dot.contains("Parallel · …"));
}

#[test]
fn invalid_machines_are_drawn_too() {
    let machines = [
        StateMachine::new("nowhere"),
        StateMachine::new("a")
            .state("a", Pass::new().next("missing"))
            .state("b", Parallel::new().next("a")),
        StateMachine::new("self").state(
            "self",
            Task::new(activity("x")).catch(Catcher::new(["States.ALL"], "self")),
        ),
        StateMachine::new("twice")
            .state(
                "twice",
                Parallel::new().branch(Branch::new("twice").state("twice", Pass::new())),
            )
            .state("empty", Choice::new()),
    ];
    for machine in machines {
        let graph = machine.graph();
        let svg = graph.to_svg();
        assert_eq!(svg.matches("<g ").count(), svg.matches("</g>").count());
        assert!(graph.to_mermaid().starts_with("flowchart TD"));
        assert!(graph.to_dot().ends_with("}\n"));
    }
    // A catcher that goes back to its own state is a loop around the side.
    let svg = StateMachine::new("self")
        .state(
            "self",
            Task::new(activity("x")).catch(Catcher::new(["States.ALL"], "self")),
        )
        .graph()
        .to_svg();
    assert!(svg.contains(r#"<g class="edge edge-catch" data-from="self" data-to="self">"#));
}

#[test]
fn a_legacy_iterator_is_a_group_too() {
    let machine = StateMachine::from_json(
        r#"{"StartAt": "each", "States": {"each": {"Type": "Map", "Iterator": {
            "StartAt": "one", "States": {"one": {"Type": "Pass", "End": true}}}, "End": true}}}"#,
    )
    .unwrap();
    let svg = machine.graph().to_svg();
    let group = element(&svg, r#"<g class="group" data-state="each">"#);
    assert!(group.contains(r#"<g class="state state-pass" data-state="one">"#));
    assert!(machine.graph().to_dot().contains("subgraph cluster_s0_2 {"));
}
