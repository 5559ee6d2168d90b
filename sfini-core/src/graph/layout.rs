//! sfini's own layered layout of a graph, scope by scope, innermost first.
//!
//! In each scope:
//!
//! 1. **Back edges.** A depth-first search from Start (then from every node
//!    it did not reach, in the order written) finds the edges that go back
//!    to a node still on its path: loops. They are drawn around the right
//!    side of the scope, each in a lane of its own.
//! 2. **Ranks.** Every other edge points forward, so the nodes are ranked by
//!    their longest path from a source (End below all of them).
//! 3. **Long edges** are cut at every rank they cross by a virtual node,
//!    so that they are routed between boxes rather than through them; past
//!    a budget for the whole graph they are drawn around the side instead.
//! 4. **Order** within each rank: starting from the search's order, a few
//!    sweeps down and up sort each rank by the barycenter of its
//!    neighbours in the rank above or below.
//! 5. **Positions**: each rank is placed, in that order, as close as its
//!    separation allows to where its neighbours want it (a least-squares
//!    fit under the separation constraints, solved by pooling adjacent
//!    violators), in sweeps down and up. Nodes sit at the top of their
//!    rank's band; the gap below a band grows with the edge labels that
//!    cross it.
//!
//! A Parallel or Map state's box holds its branches or processor, laid out
//! first, side by side under a header. Everything is linear or `n log n`
//! in the size of the graph, and nothing recurses.

use rustc_hash::FxHashMap;

use super::build::{END, EdgeKind, Node, START, ScopeGraph};
use super::label::{self, DETAIL_CHARACTERS, NAME_CHARACTERS};

/// The font size of a state's name.
pub(super) const NAME_SIZE: f64 = 12.5;
/// The font size of a state's second line.
pub(super) const DETAIL_SIZE: f64 = 10.5;
/// The font size of edge labels.
pub(super) const LABEL_SIZE: f64 = 11.0;
/// The height of a state's box, and of a Parallel or Map state's header.
pub(super) const STATE_HEIGHT: f64 = 44.0;
/// The size of a Start or End node.
pub(super) const TERMINAL_SIZE: (f64, f64) = (54.0, 24.0);
/// How far a Choice state's hexagon points out on each side.
pub(super) const CHOICE_POINT: f64 = 12.0;
/// Space around a scope's content, and above it for a nested scope's title.
const MARGIN: f64 = 16.0;
const NESTED_MARGIN: f64 = 12.0;
const NESTED_TITLE: f64 = 22.0;
/// Space between the branches of a Parallel state, and around them.
const CHILD_GAP: f64 = 14.0;
const CHILD_PADDING: f64 = 12.0;
/// Space between neighbouring boxes in a rank.
const NODE_GAP: f64 = 28.0;
const VIRTUAL_GAP: f64 = 12.0;
/// The gap between ranks, and the more it takes per row of labels.
const RANK_GAP: f64 = 36.0;
const LABEL_ROW: f64 = 16.0;
/// The lanes of the edges drawn around the side.
const LANE_START: f64 = 18.0;
const LANE_GAP: f64 = 10.0;
const MAX_LANES: usize = 24;
/// How many virtual nodes the whole graph may have.
const VIRTUAL_BUDGET: usize = 20_000;
/// The sweeps of ordering and of positioning.
const ORDER_SWEEPS: usize = 4;
const POSITION_SWEEPS: usize = 4;

/// Where everything of every scope is, each scope in its own coordinates
/// (its top left corner at 0, 0).
#[derive(Clone, Debug)]
pub(super) struct Layout {
    /// By scope index.
    pub(super) scopes: Vec<ScopeLayout>,
}

/// One scope laid out.
#[derive(Clone, Debug, Default)]
pub(super) struct ScopeLayout {
    pub(super) width: f64,
    pub(super) height: f64,
    /// By node index.
    pub(super) nodes: Vec<NodeBox>,
    /// By edge index.
    pub(super) edges: Vec<EdgePath>,
}

/// Where a node is.
#[derive(Clone, Debug, Default)]
pub(super) struct NodeBox {
    /// The left side.
    pub(super) x: f64,
    /// The top.
    pub(super) y: f64,
    pub(super) width: f64,
    pub(super) height: f64,
    /// Where each scope the node holds starts, from the node's top left.
    pub(super) children: Vec<(f64, f64)>,
}

/// How an edge is drawn.
#[derive(Clone, Debug, Default)]
pub(super) struct EdgePath {
    /// Where it starts.
    pub(super) start: (f64, f64),
    /// The segments that follow.
    pub(super) segments: Vec<Segment>,
    /// The center of its label, when it has one.
    pub(super) label: Option<(f64, f64)>,
}

impl EdgePath {
    /// Moves the path right by `shift`.
    fn shift(&mut self, shift: f64) {
        self.start.0 += shift;
        if let Some(label) = &mut self.label {
            label.0 += shift;
        }
        for segment in &mut self.segments {
            match segment {
                Segment::Line(to) => to.0 += shift,
                Segment::Curve(c1, c2, to) => {
                    c1.0 += shift;
                    c2.0 += shift;
                    to.0 += shift;
                }
            }
        }
    }
}

/// A piece of an edge's path.
#[derive(Clone, Copy, Debug)]
pub(super) enum Segment {
    /// A straight line to a point.
    Line((f64, f64)),
    /// A cubic Bézier curve: two control points and its end.
    Curve((f64, f64), (f64, f64), (f64, f64)),
}

/// Lays out every scope, innermost first.
pub(super) fn layout(scopes: &[ScopeGraph]) -> Layout {
    let mut done: Vec<ScopeLayout> = vec![ScopeLayout::default(); scopes.len()];
    let mut budget = VIRTUAL_BUDGET;
    // Nested scopes come after the scope holding them.
    for index in (0..scopes.len()).rev() {
        let laid = layout_scope(&scopes[index], index == 0, &done, &mut budget);
        done[index] = laid;
    }
    Layout { scopes: done }
}

/// The size of a node, and where the scopes it holds go in it.
fn node_size(node: &Node, done: &[ScopeLayout]) -> (f64, f64, Vec<(f64, f64)>) {
    let state = match node {
        Node::Start | Node::End => return (TERMINAL_SIZE.0, TERMINAL_SIZE.1, Vec::new()),
        Node::State(state) => state,
    };
    let name = label::shorten(&state.name, NAME_CHARACTERS);
    let detail = label::shorten(&state.detail, DETAIL_CHARACTERS);
    let text = label::text_width(&name, NAME_SIZE).max(label::text_width(&detail, DETAIL_SIZE));
    let mut width = (text + 28.0).max(96.0);
    if state.state_type == crate::model::StateType::Choice {
        width += 2.0 * CHOICE_POINT;
    }
    if state.children.is_empty() {
        return (width, STATE_HEIGHT, Vec::new());
    }
    let sizes: Vec<(f64, f64)> = state
        .children
        .iter()
        .map(|&child| (done[child].width, done[child].height))
        .collect();
    let inner: f64 =
        sizes.iter().map(|size| size.0).sum::<f64>() + CHILD_GAP * (sizes.len() - 1) as f64;
    let tallest = sizes.iter().map(|size| size.1).fold(0.0, f64::max);
    let width = width.max(inner + 2.0 * CHILD_PADDING);
    let mut x = (width - inner) / 2.0;
    let mut offsets = Vec::with_capacity(sizes.len());
    for size in &sizes {
        offsets.push((x, STATE_HEIGHT));
        x += size.0 + CHILD_GAP;
    }
    (width, STATE_HEIGHT + tallest + CHILD_PADDING, offsets)
}

/// How an edge goes through the ranks.
enum Route {
    /// Through these layered nodes, one per rank, the first and last its
    /// own ends.
    Chain(Vec<usize>),
    /// Around the side, in this lane.
    Side(usize),
}

fn layout_scope(
    scope: &ScopeGraph,
    root: bool,
    done: &[ScopeLayout],
    budget: &mut usize,
) -> ScopeLayout {
    let n = scope.nodes.len();
    let mut boxes: Vec<NodeBox> = scope
        .nodes
        .iter()
        .map(|node| {
            let (width, height, children) = node_size(node, done);
            NodeBox {
                x: 0.0,
                y: 0.0,
                width,
                height,
                children,
            }
        })
        .collect();

    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (index, edge) in scope.edges.iter().enumerate() {
        outgoing[edge.from].push(index);
    }
    let search = search(scope, &outgoing);

    // Ranks by longest path over the forward edges, in topological order.
    let mut rank = vec![0usize; n];
    for &node in search.postorder.iter().rev() {
        for &edge in &outgoing[node] {
            if !search.back[edge] {
                let to = scope.edges[edge].to;
                rank[to] = rank[to].max(rank[node] + 1);
            }
        }
    }
    let deepest = (0..n)
        .filter(|&node| node != END)
        .map(|node| rank[node])
        .max();
    rank[END] = deepest.map_or(1, |deepest| deepest + 1);
    let ranks = rank[END] + 1;

    // Layered nodes: the real ones, then the virtual ones of long edges.
    let mut layer_of: Vec<usize> = rank.clone();
    let mut key: Vec<f64> = search.preorder.iter().map(|&p| p as f64).collect();
    let mut routes = Vec::with_capacity(scope.edges.len());
    let mut lanes = 0usize;
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); n];
    // Long edges of one kind (catch or not) to one node share their
    // virtual nodes from the rank where they meet on, as one trunk: many
    // catchers of one error state cost one virtual node per rank, not one
    // per catcher and rank.
    let mut trunks: FxHashMap<(usize, bool, usize), usize> = FxHashMap::default();
    for (index, edge) in scope.edges.iter().enumerate() {
        let (from, to) = (edge.from, edge.to);
        let forward = !search.back[index] && rank[to] > rank[from];
        let span = rank[to].saturating_sub(rank[from]);
        if !(forward && span - 1 <= *budget) {
            routes.push(Route::Side(lanes.min(MAX_LANES)));
            lanes += 1;
            continue;
        }
        let catch = edge.kind == EdgeKind::Catch;
        let mut chain = Vec::with_capacity(span + 1);
        chain.push(from);
        let mut joined = false;
        for step in 1..span {
            let layer = rank[from] + step;
            let previous = chain[chain.len() - 1];
            let (node, shared) = match trunks.get(&(to, catch, layer)) {
                Some(&node) => (node, true),
                None => {
                    *budget -= 1;
                    layer_of.push(layer);
                    key.push(search.preorder[from] as f64 + 0.5);
                    up.push(Vec::new());
                    down.push(Vec::new());
                    let node = layer_of.len() - 1;
                    trunks.insert((to, catch, layer), node);
                    (node, false)
                }
            };
            // Along a trunk the links are there already.
            if !joined {
                down[previous].push(node);
                up[node].push(previous);
            }
            joined = shared;
            chain.push(node);
        }
        if !joined {
            let previous = chain[chain.len() - 1];
            down[previous].push(to);
            up[to].push(previous);
        }
        chain.push(to);
        routes.push(Route::Chain(chain));
    }
    let total = layer_of.len();
    let width_of = |node: usize| if node < n { boxes[node].width } else { 0.0 };

    // Order within ranks.
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); ranks];
    for (node, &layer) in layer_of.iter().enumerate() {
        layers[layer].push(node);
    }
    for layer in &mut layers {
        layer.sort_by(|&a, &b| key[a].total_cmp(&key[b]).then(a.cmp(&b)));
    }
    let mut position = vec![0usize; total];
    let set_positions = |layers: &[Vec<usize>], position: &mut [usize]| {
        for layer in layers {
            for (at, &node) in layer.iter().enumerate() {
                position[node] = at;
            }
        }
    };
    set_positions(&layers, &mut position);
    for _ in 0..ORDER_SWEEPS {
        for layer in layers.iter_mut().skip(1) {
            reorder(layer, &up, &mut position);
        }
        for layer in layers.iter_mut().rev().skip(1) {
            reorder(layer, &down, &mut position);
        }
    }

    // Positions within ranks (centers).
    let mut center = vec![0.0f64; total];
    for layer in &layers {
        let separations = separations(layer, n, &width_of);
        let last = separations.iter().sum::<f64>();
        let mut x = -last / 2.0;
        for (at, &node) in layer.iter().enumerate() {
            x += separations[at];
            center[node] = x;
        }
    }
    for sweep in 0..=POSITION_SWEEPS {
        for layer in layers.iter().skip(1) {
            align(layer, &up, n, &width_of, &mut center);
        }
        if sweep < POSITION_SWEEPS {
            for layer in layers.iter().rev().skip(1) {
                align(layer, &down, n, &width_of, &mut center);
            }
        }
    }
    let margin_x = if root { MARGIN } else { NESTED_MARGIN };
    let left = (0..total)
        .map(|node| center[node] - width_of(node) / 2.0)
        .fold(f64::INFINITY, f64::min);
    for value in &mut center {
        *value += margin_x - left;
    }
    let content_right = (0..total)
        .map(|node| center[node] + width_of(node) / 2.0)
        .fold(margin_x, f64::max);

    // Bands: each rank's top and height, and the gap below it.
    let mut labelled = vec![0usize; n];
    for edge in &scope.edges {
        if edge.label.is_some() {
            labelled[edge.from] += 1;
        }
    }
    let mut band_top = vec![0.0f64; ranks];
    let mut band_height = vec![0.0f64; ranks];
    let mut gap_below = vec![RANK_GAP; ranks];
    let mut y = if root { MARGIN } else { NESTED_TITLE };
    for (layer, nodes) in layers.iter().enumerate() {
        band_top[layer] = y;
        let real = nodes.iter().filter(|&&node| node < n);
        band_height[layer] = real
            .clone()
            .map(|&node| boxes[node].height)
            .fold(0.0, f64::max);
        let rows = real.map(|&node| labelled[node]).max().unwrap_or(0);
        gap_below[layer] = RANK_GAP + LABEL_ROW * rows as f64;
        y += band_height[layer] + gap_below[layer];
    }
    let bottom = band_top[ranks - 1] + band_height[ranks - 1];
    for node in 0..n {
        boxes[node].x = center[node] - boxes[node].width / 2.0;
        boxes[node].y = band_top[rank[node]];
    }

    // Ports: where each edge leaves and enters its boxes.
    let toward = |index: usize, first: bool| -> f64 {
        match &routes[index] {
            Route::Chain(chain) => {
                let node = if first {
                    chain[1]
                } else {
                    chain[chain.len() - 2]
                };
                center[node]
            }
            // Around the side: to the right of everything.
            Route::Side(lane) => 1.0e12 + *lane as f64,
        }
    };
    let mut out_port = vec![0.0f64; scope.edges.len()];
    let mut in_port = vec![0.0f64; scope.edges.len()];
    let mut slot = vec![(0usize, 0usize); scope.edges.len()];
    let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (index, edge) in scope.edges.iter().enumerate() {
        incoming[edge.to].push(index);
    }
    for node in 0..n {
        let mut leaving = outgoing[node].clone();
        leaving.sort_by(|&a, &b| toward(a, true).total_cmp(&toward(b, true)).then(a.cmp(&b)));
        spread(
            &leaving,
            &boxes[node],
            scope.nodes[node].is_choice(),
            |_, _| false,
            &mut out_port,
        );
        let with_labels: Vec<usize> = leaving
            .iter()
            .copied()
            .filter(|&edge| scope.edges[edge].label.is_some())
            .collect();
        for (at, &edge) in with_labels.iter().enumerate() {
            slot[edge] = (at, with_labels.len());
        }
        let mut entering = incoming[node].clone();
        entering.sort_by(|&a, &b| {
            toward(a, false)
                .total_cmp(&toward(b, false))
                .then(a.cmp(&b))
        });
        // Edges arriving along one trunk arrive at one port.
        let last_virtual = |edge: usize| match &routes[edge] {
            Route::Chain(chain) => Some(chain[chain.len() - 2]).filter(|&node| node >= n),
            Route::Side(_) => None,
        };
        spread(
            &entering,
            &boxes[node],
            scope.nodes[node].is_choice(),
            |a, b| last_virtual(a).is_some() && last_virtual(a) == last_virtual(b),
            &mut in_port,
        );
    }

    // The lanes start right of the boxes and of the labels of the edges
    // drawn in them.
    let lanes_from = scope
        .edges
        .iter()
        .enumerate()
        .filter(|(index, _)| matches!(routes[*index], Route::Side(_)))
        .filter_map(|(index, edge)| {
            let text = edge.label.as_deref()?;
            Some(out_port[index] + 12.0 + label::text_width(text, LABEL_SIZE))
        })
        .fold(content_right, f64::max);
    let lane_x = |lane: usize| lanes_from + LANE_START + LANE_GAP * lane as f64;

    // Paths.
    let mut edges = Vec::with_capacity(scope.edges.len());
    for (index, edge) in scope.edges.iter().enumerate() {
        let source = &boxes[edge.from];
        let target = &boxes[edge.to];
        let start = (out_port[index], source.y + source.height);
        let source_band = band_top[rank[edge.from]] + band_height[rank[edge.from]];
        let (at, of) = slot[index];
        let fraction = (at + 1) as f64 / (of + 1) as f64;
        let mut segments = Vec::new();
        let mut label = None;
        match &routes[index] {
            Route::Chain(chain) => {
                let mut point = start;
                if source_band > point.1 {
                    point = (point.0, source_band);
                    segments.push(Segment::Line(point));
                }
                for (step, &node) in chain.iter().enumerate().skip(1) {
                    let layer = layer_of[node];
                    let x = if node < n {
                        in_port[index]
                    } else {
                        center[node]
                    };
                    let end = (x, band_top[layer]);
                    let middle = (point.1 + end.1) / 2.0;
                    let (c1, c2) = ((point.0, middle), (end.0, middle));
                    if step == 1 && edge.label.is_some() {
                        label = Some(bezier(point, c1, c2, end, fraction));
                    }
                    segments.push(Segment::Curve(c1, c2, end));
                    point = end;
                    if node >= n {
                        point = (x, band_top[layer] + band_height[layer]);
                        segments.push(Segment::Line(point));
                    }
                }
            }
            Route::Side(lane) => {
                let lane_x = lane_x(*lane);
                let offset = 8.0 + 4.0 * (*lane % 4) as f64;
                let below = match edge.label {
                    Some(_) => source_band + gap_below[rank[edge.from]] * fraction,
                    None => source_band + offset,
                };
                let above = target.y - offset;
                segments.push(Segment::Line((start.0, below)));
                segments.push(Segment::Line((lane_x, below)));
                segments.push(Segment::Line((lane_x, above)));
                segments.push(Segment::Line((in_port[index], above)));
                segments.push(Segment::Line((in_port[index], target.y)));
                if let Some(text) = &edge.label {
                    let half = label::text_width(text, LABEL_SIZE) / 2.0;
                    label = Some((start.0 + 8.0 + half, below));
                }
            }
        }
        edges.push(EdgePath {
            start,
            segments: simplify(start, segments),
            label,
        });
    }

    let used_lanes = lanes.min(MAX_LANES + 1);
    let mut width = content_right + margin_x;
    if used_lanes > 0 {
        width = width.max(lane_x(used_lanes - 1) + margin_x);
    }
    // Labels may reach past the boxes, on either side.
    let mut left = margin_x;
    for (path, edge) in edges.iter().zip(&scope.edges) {
        if let (Some((x, _)), Some(text)) = (path.label, &edge.label) {
            let half = label::text_width(text, LABEL_SIZE) / 2.0 + 6.0;
            width = width.max(x + half + margin_x / 2.0);
            left = left.min(x - half);
        }
    }
    if left < margin_x {
        let shift = margin_x - left;
        width += shift;
        for node in &mut boxes {
            node.x += shift;
        }
        for path in &mut edges {
            path.shift(shift);
        }
    }
    let height = bottom + if root { MARGIN } else { NESTED_MARGIN };
    ScopeLayout {
        width,
        height,
        nodes: boxes,
        edges,
    }
}

/// `segments` from `start` with curves that go straight down drawn as
/// lines, and lines that go on in the same direction merged: a long edge
/// through many ranks is a few segments, not several per rank.
fn simplify(start: (f64, f64), segments: Vec<Segment>) -> Vec<Segment> {
    const CLOSE: f64 = 0.05;
    let same = |a: f64, b: f64| (a - b).abs() < CLOSE;
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    // Where the last segment kept starts, and where it ends.
    let mut from = start;
    let mut at = start;
    for segment in segments {
        let segment = match segment {
            Segment::Curve(c1, c2, to)
                if same(c1.0, at.0) && same(c2.0, at.0) && same(to.0, at.0) =>
            {
                Segment::Line(to)
            }
            other => other,
        };
        if let (Segment::Line(to), Some(Segment::Line(last))) = (segment, out.last_mut()) {
            let vertical = same(from.0, last.0) && same(last.0, to.0);
            let horizontal = same(from.1, last.1) && same(last.1, to.1);
            if vertical || horizontal {
                *last = to;
                at = to;
                continue;
            }
        }
        from = at;
        at = match segment {
            Segment::Line(to) | Segment::Curve(_, _, to) => to,
        };
        out.push(segment);
    }
    out
}

/// What the depth-first search found.
struct Search {
    /// Whether each edge goes back to a node on the search's path.
    back: Vec<bool>,
    /// Each node's place in the order the search first reached them.
    preorder: Vec<usize>,
    /// The nodes in the order the search finished them.
    postorder: Vec<usize>,
}

/// A depth-first search from Start, then from every node not reached yet
/// (End last), with a stack of its own.
fn search(scope: &ScopeGraph, outgoing: &[Vec<usize>]) -> Search {
    let n = scope.nodes.len();
    // 0: not reached; 1: on the path; 2: finished.
    let mut state = vec![0u8; n];
    let mut back = vec![false; scope.edges.len()];
    let mut preorder = vec![0usize; n];
    let mut postorder = Vec::with_capacity(n);
    let mut reached = 0;
    let roots = std::iter::once(START)
        .chain(2..n)
        .chain(std::iter::once(END));
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in roots {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        preorder[root] = reached;
        reached += 1;
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let (node, next) = *top;
            if let Some(&edge) = outgoing[node].get(next) {
                top.1 += 1;
                let to = scope.edges[edge].to;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        preorder[to] = reached;
                        reached += 1;
                        stack.push((to, 0));
                    }
                    1 => back[edge] = true,
                    _ => {}
                }
            } else {
                state[node] = 2;
                postorder.push(node);
                stack.pop();
            }
        }
    }
    Search {
        back,
        preorder,
        postorder,
    }
}

/// Sorts a rank by the mean position of each node's neighbours in the
/// rank `neighbours` lead to; a node with none keeps its place.
fn reorder(layer: &mut [usize], neighbours: &[Vec<usize>], position: &mut [usize]) {
    let weight = |node: usize| -> f64 {
        let around = &neighbours[node];
        if around.is_empty() {
            position[node] as f64
        } else {
            around
                .iter()
                .map(|&other| position[other] as f64)
                .sum::<f64>()
                / around.len() as f64
        }
    };
    let mut keyed: Vec<(f64, usize, usize)> = layer
        .iter()
        .map(|&node| (weight(node), position[node], node))
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for (at, (_, _, node)) in keyed.into_iter().enumerate() {
        layer[at] = node;
        position[node] = at;
    }
}

/// The distance between each node's center and the previous one's (0 for
/// the first).
fn separations(layer: &[usize], real: usize, width_of: &impl Fn(usize) -> f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(layer.len());
    for (at, &node) in layer.iter().enumerate() {
        if at == 0 {
            out.push(0.0);
            continue;
        }
        let before = layer[at - 1];
        let gap = if node < real && before < real {
            NODE_GAP
        } else {
            VIRTUAL_GAP
        };
        out.push((width_of(before) + width_of(node)) / 2.0 + gap);
    }
    out
}

/// Places a rank's nodes, in order and apart by their separations, as near
/// as can be (least squares) to the mean center of their neighbours.
fn align(
    layer: &[usize],
    neighbours: &[Vec<usize>],
    real: usize,
    width_of: &impl Fn(usize) -> f64,
    center: &mut [f64],
) {
    if layer.is_empty() {
        return;
    }
    let separations = separations(layer, real, width_of);
    // With `offset[i]` the sum of the separations up to node i, the
    // constraints say that `center[i] - offset[i]` does not decrease: an
    // isotonic regression, solved by pooling adjacent violators.
    let mut offset = 0.0;
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    let mut offsets = Vec::with_capacity(layer.len());
    for (at, &node) in layer.iter().enumerate() {
        offset += separations[at];
        offsets.push(offset);
        let around = &neighbours[node];
        // A virtual node follows the virtual nodes next to it, so that a
        // long edge, or a trunk of them, runs straight.
        let virtual_around = around.iter().filter(|&&other| other >= real);
        let (sum, count) = if node >= real {
            virtual_around.fold((0.0, 0usize), |(sum, count), &other| {
                (sum + center[other], count + 1)
            })
        } else {
            (0.0, 0)
        };
        let wanted = if count > 0 {
            sum / count as f64
        } else if around.is_empty() {
            center[node]
        } else {
            around.iter().map(|&other| center[other]).sum::<f64>() / around.len() as f64
        };
        blocks.push((wanted - offset, 1));
        while blocks.len() >= 2 {
            let (sum, count) = blocks[blocks.len() - 1];
            let (before_sum, before_count) = blocks[blocks.len() - 2];
            if before_sum / before_count as f64 > sum / count as f64 {
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (before_sum + sum, before_count + count);
            } else {
                break;
            }
        }
    }
    let mut at = 0;
    for (sum, count) in blocks {
        let value = sum / count as f64;
        for _ in 0..count {
            center[layer[at]] = value + offsets[at];
            at += 1;
        }
    }
}

/// Spreads the ports of `edges` (in order, left to right) along a box's
/// side.
fn spread(
    edges: &[usize],
    node: &NodeBox,
    choice: bool,
    shared: impl Fn(usize, usize) -> bool,
    ports: &mut [f64],
) {
    let middle = node.x + node.width / 2.0;
    // Neighbouring edges that share a port count once.
    let mut group = Vec::with_capacity(edges.len());
    for (at, &edge) in edges.iter().enumerate() {
        let same = at > 0 && shared(edges[at - 1], edge);
        let previous = group.last().copied().unwrap_or(0);
        group.push(if at == 0 || same {
            previous
        } else {
            previous + 1
        });
    }
    let groups = group.last().map_or(0, |last| last + 1);
    if groups <= 1 {
        for &edge in edges {
            ports[edge] = middle;
        }
        return;
    }
    let usable = if choice {
        node.width - 2.0 * CHOICE_POINT
    } else {
        node.width
    } * 0.7;
    let step = (usable / (groups - 1) as f64).min(24.0);
    let first = middle - step * (groups - 1) as f64 / 2.0;
    for (&edge, &at) in edges.iter().zip(&group) {
        ports[edge] = first + step * at as f64;
    }
}

/// The point at `t` along a cubic Bézier curve.
fn bezier(p0: (f64, f64), p1: (f64, f64), p2: (f64, f64), p3: (f64, f64), t: f64) -> (f64, f64) {
    let u = 1.0 - t;
    let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    (
        a * p0.0 + b * p1.0 + c * p2.0 + d * p3.0,
        a * p0.1 + b * p1.1 + c * p2.1 + d * p3.1,
    )
}

impl Node {
    fn is_choice(&self) -> bool {
        matches!(self, Node::State(state) if state.state_type == crate::model::StateType::Choice)
    }
}
