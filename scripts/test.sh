#!/usr/bin/env bash
# The whole test suite: formatting, lints, every test and doc test, and the
# documentation build with its links checked. Needs the Rust toolchain (cargo, rustfmt, clippy) and,
# for the differential tests against moto, Python 3.9+ with pip (see
# scripts/test-env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
bash scripts/test-env.sh
bash scripts/browser-env.sh
bash scripts/jsonata-env.sh
bash scripts/asl-validator-env.sh
# The examples' binaries, which tests/examples.rs runs against a served engine.
cargo build --workspace --examples --locked
cargo test --workspace --all-targets --locked
cargo test --workspace --doc --locked
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked
# Links of the facade's pages that rustdoc left as text (it warns about
# them only where they are written, not where they are shown again).
python3 scripts/check-doc-links.py
