//! Support for the expansion of `workflow!`.
