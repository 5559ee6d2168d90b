//! The Amazon States Language for sfini.
//!
//! sfini-core knows the whole language as AWS Step Functions accepts it
//! (both query languages, JSONPath and JSONata, and workflow variables) and
//! holds no I/O, no async and no AWS client:
//!
//! - [`model`]: typed Rust for every part of a state machine, with builders;
//! - [`json`]: canonical JSON writing and strict reading, every problem located;
//! - [`validate`]: the rules AWS applies to a definition, all reported at once;
//! - [`path`]: JSONPath and reference paths, evaluated on `serde_json` values;
//! - [`intrinsic`]: the `States.*` intrinsic functions, parsed and evaluated;
//! - [`payload`]: payload templates (`"key.$": "$.path"`), compiled and evaluated;
//! - [`jsonata`]: JSONata expressions (`"{% ... %}"`) as Step Functions runs
//!   them, compiled, analysed and evaluated within bounds;
//! - [`dataflow`]: a state's input and output processing, Choice rules,
//!   waits, retries and catchers, as pure functions with AWS's error names;
//! - [`variables`]: workflow variables, as paths and expressions read them;
//! - [`limits`] and [`budget`]: how large and deep data may grow, and what
//!   one evaluation of a path, template or function may spend;
//! - [`location`] and [`diagnostic`]: where a problem is and what it is;
//! - [`graph`]: pictures of a machine, as Mermaid, Graphviz or SVG.

pub mod budget;
mod cursor;
pub mod dataflow;
pub mod diagnostic;
pub mod error_name;
pub mod graph;
pub mod intrinsic;
pub mod json;
pub mod jsonata;
pub mod limits;
pub mod location;
mod location_trail;
pub mod model;
pub mod path;
pub mod payload;
pub mod resource_name;
pub mod suggest;
pub mod timestamp;
pub mod validate;
mod value;
pub mod variables;

pub use diagnostic::{Code, Diagnostic, Diagnostics, Severity};
pub use location::Location;
pub use model::StateMachine;
