//! activity (being built).
