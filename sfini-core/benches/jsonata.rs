//! Benchmarks of sfini_core::jsonata (written below).
fn main() {}
