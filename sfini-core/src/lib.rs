//! The Amazon States Language for sfini.
//!
//! sfini-core knows the whole language as AWS Step Functions accepts it
//! (JSONPath query language) and holds no I/O, no async and no AWS client:
//!
//! - [`path`]: JSONPath and reference paths, evaluated on `serde_json` values;
//! - [`intrinsic`]: the `States.*` intrinsic functions, parsed and evaluated;
//! - [`payload`]: payload templates (`"key.$": "$.path"`), compiled and evaluated;
//! - [`location`]: where in a definition something is.

pub mod intrinsic;
pub mod location;
pub mod path;
pub mod payload;

pub use location::Location;
