//! Support for the expansion of `#[activity]`.
