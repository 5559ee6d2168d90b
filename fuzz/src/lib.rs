//! What sfini's cargo-fuzz targets share: the invariants and strategies of
//! the test suites (included from `sfini-core/tests/support` and
//! `sfini-runtime/tests/support`, so that the property tests and the fuzz
//! targets check the same things), the allocator that measures each
//! evaluation's heap, and [`generate`], which turns the fuzzer's bytes into
//! a value of a proptest strategy.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

#[path = "../../sfini-core/tests/support/alloc_meter.rs"]
pub mod alloc_meter;
#[path = "../../sfini-runtime/tests/support/engine_check.rs"]
pub mod engine_check;
#[path = "../../sfini-core/tests/support/invariants.rs"]
pub mod invariants;
#[path = "../../sfini-runtime/tests/support/machines.rs"]
pub mod machines;
#[path = "../../sfini-core/tests/support/strategies.rs"]
pub mod strategies;

#[global_allocator]
static METER: alloc_meter::Meter = alloc_meter::Meter;

/// The value `strategy` generates from a random generator seeded with
/// `bytes`; `None` when the strategy gives up (a filter rejecting too
/// often).
///
/// The same bytes give the same value, so a saved failure replays; but any
/// change to them gives another value, so for the generated part of an
/// input libFuzzer's coverage guidance chooses among seeds rather than
/// mutating values. (Feeding the bytes to proptest as its random numbers,
/// its pass-through generator, does not work with these strategies: each
/// `prop_flat_map` splits the bytes left in two, they soon run out, and
/// `rand` then rejects the zeros it is given forever.)
pub fn generate<S: Strategy>(bytes: &[u8], strategy: &S) -> Option<S::Value> {
    let mut state = bytes.iter().fold(0x9e37_79b9_7f4a_7c15_u64, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut seed = [0u8; 32];
    for chunk in seed.chunks_mut(8) {
        // splitmix64
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut mixed = state;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        chunk.copy_from_slice(&(mixed ^ (mixed >> 31)).to_le_bytes());
    }
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    strategy
        .new_tree(&mut runner)
        .ok()
        .map(|tree| tree.current())
}

/// Splits the fuzzer's input into a text, up to the first zero byte, and
/// the bytes after it (for [`generate`]).
pub fn text_and_rest(bytes: &[u8]) -> (String, &[u8]) {
    let end = bytes
        .iter()
        .position(|&byte| byte == 0)
        .unwrap_or(bytes.len());
    let text = String::from_utf8_lossy(&bytes[..end]).into_owned();
    (text, bytes.get(end + 1..).unwrap_or_default())
}
