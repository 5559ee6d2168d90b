//! The functions Step Functions adds to JSONata, and the one it takes away.
//!
//! | Function | Signature | Result |
//! |---|---|---|
//! | `$partition(array, size)` | `<an:a>` | the array cut into arrays of `size` items, the last one shorter if need be: `$partition([1,2,3,4,5], 2)` is `[[1,2],[3,4],[5]]`; `[]` for an empty array |
//! | `$range(start, end, step)` | `<nnn:a<n>>` | `start`, `start + step`, ... up to `end` included when it falls on a step, as a JSONata sequence: `$range(0, 10, 2)` is `[0,2,4,6,8,10]`, `$range(1, 9, 9)` is `1` (a sequence of one value is that value, as AWS answers), and an empty range is undefined |
//! | `$hash(data, algorithm)` | `<ss:s>` | the hexadecimal digest of the UTF-8 text `data` by `MD5`, `SHA-1`, `SHA-256`, `SHA-384` or `SHA-512` |
//! | `$random([seed])` | `<n?:n>` | a number in \[0, 1); the same seed always gives the same number; without a seed, the evaluation's [`seed`](super::Environment::seed) drives the draws, so that a run can be reproduced |
//! | `$uuid()` | `<:s>` | a version 4 UUID, drawn like `$random()` |
//! | `$parse(text)` | `<s:x>` | the JSON value `text` holds, read within sfini's depth bound ([`MAX_DEPTH`]) |
//!
//! None of them reads the context value (the engine is told they do not).
//! Their errors have codes of their own:
//!
//! | Code | Raised by |
//! |---|---|
//! | `SF0101` | `$partition` with a size that is not a whole number of at least 1 |
//! | `SF0201` | `$range` with a step of 0, or a bound or step that is not finite |
//! | `SF0202` | `$range` of more items than an evaluation may build (an [`EvaluationError`](super::EvaluationError) with `exhausted` set) |
//! | `SF0301` | `$hash` with an algorithm it does not know |
//! | `SF0601` | `$parse` of text that is not JSON, or nests deeper than [`MAX_DEPTH`] |
//! | `SF0901` | `$eval`, which Step Functions does not offer |
//! | `SF1001` | `$pad` with a width that is not a whole number, where padding is needed |
//!
//! One built-in function is replaced, to answer as jsonata-js 2.0.6 (the
//! version Step Functions runs) does where the engine follows JSONata 2.2:
//! `$pad(str, width[, char])` fails (`SF1001`, where jsonata-js fails with
//! the JavaScript error "Invalid array length") when `width` is not a whole
//! number and the string is shorter than its absolute value, rather than
//! rounding the width; and a padded string longer than
//! [`Limits::string_bytes`](super::Limits::string_bytes) is an exhausted
//! limit (`U1001`).
//!
//! What the AWS documentation leaves open (the result of `$partition` of
//! an empty array, of an empty `$range`, fractional steps, the generator
//! behind `$random`) follows the shapes AWS's answers take where they are
//! known and JSONata's own rules elsewhere.
//!
//! [`MAX_DEPTH`]: crate::limits::MAX_DEPTH

use std::cell::Cell;
use std::sync::OnceLock;

use jlens_core::{Bindings, Error, HostFunction};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use sha2::Digest;

use crate::limits::{MAX_DEPTH, parse_json};

/// The names of the functions Step Functions adds, without the `$`.
pub const STEP_FUNCTIONS: [&str; 6] = ["partition", "range", "hash", "random", "uuid", "parse"];

/// The signatures of the functions Step Functions adds, in the order of
/// [`STEP_FUNCTIONS`].
const SIGNATURES: [(&str, &str); 6] = [
    ("partition", "<an:a>"),
    ("range", "<nnn:a<n>>"),
    ("hash", "<ss:s>"),
    ("random", "<n?:n>"),
    ("uuid", "<:s>"),
    ("parse", "<s:x>"),
];

/// The name of the function Step Functions takes away.
pub(crate) const EVAL: &str = "eval";

/// The algorithms of `$hash`, by the names it takes.
const ALGORITHMS: [&str; 5] = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

/// What the functions need to know of the evaluation calling them. Set for
/// the time of an evaluation on its thread (functions are called on the
/// thread that evaluates), by [`CallScope`].
#[derive(Clone, Copy)]
struct CallContext {
    /// The state of the generator of `$random()` and `$uuid()`.
    rng: u64,
    /// The most items an evaluation may build in one array.
    array_items: usize,
    /// The longest string an evaluation may build, in bytes.
    string_bytes: usize,
}

thread_local! {
    static CONTEXT: Cell<Option<CallContext>> = const { Cell::new(None) };
}

/// The context of the evaluation running on this thread, while it lives.
pub(crate) struct CallScope {
    saved: Option<CallContext>,
}

impl CallScope {
    pub(crate) fn enter(seed: u64, array_items: usize, string_bytes: usize) -> CallScope {
        let context = CallContext {
            // Never zero: see `next_random`.
            rng: splitmix64(seed) | 1,
            array_items,
            string_bytes,
        };
        CallScope {
            saved: CONTEXT.replace(Some(context)),
        }
    }
}

impl Drop for CallScope {
    fn drop(&mut self) {
        CONTEXT.set(self.saved);
    }
}

/// The bindings every evaluation starts from: the Step Functions functions
/// and `$eval` refused. Built once.
pub(crate) fn base_bindings() -> &'static Bindings {
    static BASE: OnceLock<Bindings> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut bindings = Bindings::new();
        for (name, function) in step_functions() {
            bindings = bindings.function(name, function);
        }
        if let Ok(pad) = HostFunction::with_signature("<s-ns?:s>", |args, _call| pad(args)) {
            bindings = bindings.function("pad", pad);
        }
        if let Some(replace) = super::bounded::replace_function() {
            bindings = bindings.function("replace", replace);
        }
        if let Some(split) = super::bounded::split_function() {
            bindings = bindings.function("split", split);
        }
        bindings.function(EVAL, refuse_eval())
    })
}

/// A Step Functions function's implementation: its arguments, each absent
/// when the call's argument evaluated to nothing.
type Implementation = fn(&[Option<Value>]) -> Result<Option<Value>, Error>;

/// The Step Functions functions with their names.
fn step_functions() -> Vec<(&'static str, HostFunction)> {
    let signed = |signature: &str, imp: Implementation| {
        HostFunction::with_signature(signature, move |args, _call| imp(args))
            .map(HostFunction::without_input)
    };
    let implementations: [Implementation; 6] = [partition, range, hash, random, uuid, parse];
    SIGNATURES
        .into_iter()
        .zip(implementations)
        // The signatures are constants, checked by the module's tests: a
        // function whose signature failed to read would be left out, and
        // its calls fail as calls to an unknown function.
        .filter_map(|((name, signature), imp)| {
            signed(signature, imp).ok().map(|function| (name, function))
        })
        .collect()
}

/// The signature of the Step Functions function `name` (without the `$`),
/// in JSONata's notation (`<an:a>`).
pub(crate) fn signature(name: &str) -> Option<&'static str> {
    SIGNATURES
        .into_iter()
        .find(|(function, _)| *function == name)
        .map(|(_, signature)| signature)
}

fn refuse_eval() -> HostFunction {
    HostFunction::new(2, |_args, _call| {
        Err(failure(
            "SF0901",
            "The function $eval is not available in Step Functions; use $parse to read JSON text",
        ))
    })
    .without_input()
}

/// An error of one of the functions, with its message.
fn failure(code: &str, message: impl Into<String>) -> Error {
    Error::new(code).with("message", message.into())
}

/// A number as an argument: JSONata numbers are finite.
fn number(arg: Option<&Value>) -> Option<f64> {
    arg.and_then(Value::as_f64)
}

/// A number as JSONata writes it: whole numbers as integers.
fn json_number(number: f64) -> Value {
    if number.fract() == 0.0 && number.abs() < 9_007_199_254_740_992.0 {
        Value::from(number as i64)
    } else {
        serde_json::Number::from_f64(number).map_or(Value::Null, Value::Number)
    }
}

fn partition(args: &[Option<Value>]) -> Result<Option<Value>, Error> {
    let (Some(array), Some(size)) = (args.first().and_then(Option::as_ref), args.get(1)) else {
        return Ok(None);
    };
    let items: &[Value] = match array {
        Value::Array(items) => items,
        // The signature wraps any other value in an array.
        other => std::slice::from_ref(other),
    };
    let size = number(size.as_ref())
        .filter(|size| size.fract() == 0.0 && *size >= 1.0)
        .ok_or_else(|| {
            failure(
                "SF0101",
                format!(
                    "The size of the chunks of $partition must be a whole number of at least 1; found {}",
                    describe(size.as_ref())
                ),
            )
        })?;
    // Saturates: a size above the number of items gives one chunk.
    let size = size as usize;
    Ok(Some(Value::Array(
        items
            .chunks(size)
            .map(|chunk| Value::Array(chunk.to_vec()))
            .collect(),
    )))
}

fn range(args: &[Option<Value>]) -> Result<Option<Value>, Error> {
    let numbers: Vec<Option<f64>> = (0..3)
        .map(|i| number(args.get(i).and_then(Option::as_ref)))
        .collect();
    let (Some(start), Some(end), Some(step)) = (numbers[0], numbers[1], numbers[2]) else {
        return Ok(None);
    };
    if step == 0.0 || !(start.is_finite() && end.is_finite() && step.is_finite()) {
        return Err(failure(
            "SF0201",
            format!("The step of $range must be a number other than 0; found {step}"),
        ));
    }
    let last = ((end - start) / step).floor();
    if last < 0.0 {
        return Ok(None);
    }
    let limit = CONTEXT
        .get()
        .map_or(usize::MAX, |context| context.array_items);
    if last + 1.0 > limit as f64 {
        return Err(failure(
            "SF0202",
            format!(
                "$range({start}, {end}, {step}) would build more than the limit of {limit} items"
            ),
        ));
    }
    let count = last as usize + 1;
    let mut items: Vec<Value> = (0..count)
        .map(|i| json_number(start + i as f64 * step))
        .collect();
    // A sequence of one value is that value.
    Ok(Some(if items.len() == 1 {
        items.swap_remove(0)
    } else {
        Value::Array(items)
    }))
}

fn hash(args: &[Option<Value>]) -> Result<Option<Value>, Error> {
    let (Some(Some(Value::String(data))), Some(Some(Value::String(algorithm)))) =
        (args.first(), args.get(1))
    else {
        return Ok(None);
    };
    let bytes = data.as_bytes();
    let digest = match algorithm.as_str() {
        "MD5" => md5::Md5::digest(bytes).to_vec(),
        "SHA-1" => sha1::Sha1::digest(bytes).to_vec(),
        "SHA-256" => sha2::Sha256::digest(bytes).to_vec(),
        "SHA-384" => sha2::Sha384::digest(bytes).to_vec(),
        "SHA-512" => sha2::Sha512::digest(bytes).to_vec(),
        other => {
            return Err(failure(
                "SF0301",
                format!(
                    "The algorithm of $hash must be one of {}; found {}",
                    ALGORITHMS.join(", "),
                    Value::from(other)
                ),
            ));
        }
    };
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(digest.len() * 2);
    for byte in digest {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    Ok(Some(Value::String(hex)))
}

fn random(args: &[Option<Value>]) -> Result<Option<Value>, Error> {
    let draw = match number(args.first().and_then(Option::as_ref)) {
        Some(seed) => {
            // Whole seeds as integers (so that 3 and 3.0 agree), others by
            // their bits.
            let seed = if seed.fract() == 0.0 && seed.abs() < 9.2e18 {
                seed as i64 as u64
            } else {
                seed.to_bits()
            };
            StdRng::seed_from_u64(seed).random::<f64>()
        }
        None => unit_interval(next_random()),
    };
    Ok(Some(json_number(draw)))
}

fn uuid(_args: &[Option<Value>]) -> Result<Option<Value>, Error> {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&next_random().to_le_bytes());
    bytes[8..].copy_from_slice(&next_random().to_le_bytes());
    let uuid = uuid::Builder::from_random_bytes(bytes).into_uuid();
    Ok(Some(Value::String(uuid.to_string())))
}

fn parse(args: &[Option<Value>]) -> Result<Option<Value>, Error> {
    let Some(Some(Value::String(text))) = args.first() else {
        return Ok(None);
    };
    parse_json(text, MAX_DEPTH).map(Some).map_err(|error| {
        failure(
            "SF0601",
            format!("The argument of $parse is not JSON text: {error}"),
        )
    })
}

/// `$pad` as jsonata-js 2.0.6 computes it: the string padded with `char`
/// (a space when missing or empty), repeated and cut, to the absolute value
/// of `width` characters, on the right for a positive width and on the
/// left for a negative one.
fn pad(args: &[Option<Value>]) -> Result<Option<Value>, Error> {
    let Some(Some(Value::String(text))) = args.first() else {
        return Ok(None);
    };
    let fill = match args.get(2) {
        Some(Some(Value::String(fill))) if !fill.is_empty() => fill.as_str(),
        _ => " ",
    };
    let width = number(args.get(1).and_then(Option::as_ref)).unwrap_or(0.0);
    let length = text.chars().count() as f64;
    let missing = width.abs() - length;
    if missing <= 0.0 {
        return Ok(Some(Value::String(text.clone())));
    }
    if width.fract() != 0.0 {
        return Err(failure(
            "SF1001",
            format!(
                "The width of $pad must be a whole number when the string needs padding; found {width} \
                 (jsonata-js fails with \"Invalid array length\")"
            ),
        ));
    }
    let limit = CONTEXT
        .get()
        .map_or(usize::MAX, |context| context.string_bytes);
    let fill_bytes = fill.chars().map(char::len_utf8).max().unwrap_or(1);
    if missing * fill_bytes as f64 + text.len() as f64 > limit as f64 {
        return Err(failure(
            "U1001",
            format!("$pad would build a string longer than the limit of {limit} bytes"),
        ));
    }
    let padding: String = fill.chars().cycle().take(missing as usize).collect();
    Ok(Some(Value::String(if width > 0.0 {
        format!("{text}{padding}")
    } else {
        format!("{padding}{text}")
    })))
}

/// The most items of an array the evaluation running on this thread may
/// build.
pub(crate) fn array_limit() -> usize {
    CONTEXT
        .get()
        .map_or(usize::MAX, |context| context.array_items)
}

/// The longest string the evaluation running on this thread may build, in
/// bytes.
pub(crate) fn string_limit() -> usize {
    CONTEXT
        .get()
        .map_or(usize::MAX, |context| context.string_bytes)
}

/// The next draw of the evaluation's generator (xorshift64*), or of one
/// seeded from the clock outside an evaluation.
fn next_random() -> u64 {
    let mut context = CONTEXT.get().unwrap_or_else(|| CallContext {
        rng: splitmix64(clock_seed()) | 1,
        array_items: usize::MAX,
        string_bytes: usize::MAX,
    });
    let mut x = context.rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    context.rng = x;
    if CONTEXT.get().is_some() {
        CONTEXT.set(Some(context));
    }
    x.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos() as u64)
}

/// A number in [0, 1) from the 53 high bits of `bits`.
fn unit_interval(bits: u64) -> f64 {
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// Spreads a seed over all 64 bits, so that nearby seeds start far apart.
fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A value as an error message shows it.
fn describe(value: Option<&Value>) -> String {
    match value {
        None => "nothing".to_owned(),
        Some(value) => {
            let text = value.to_string();
            if text.len() > 60 {
                let mut end = 57;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                format!("{}...", &text[..end])
            } else {
                text
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_functions_signature_reads() {
        assert_eq!(step_functions().len(), STEP_FUNCTIONS.len());
        let named: Vec<&str> = SIGNATURES.iter().map(|(name, _)| *name).collect();
        assert_eq!(named, STEP_FUNCTIONS);
    }
}
