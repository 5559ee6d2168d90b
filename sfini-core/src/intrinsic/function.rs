//! The catalogue of intrinsic functions: their names, their parameters and
//! what they return.

use std::fmt;

use serde_json::Value;

use super::args;

/// One of the intrinsic functions of the Amazon States Language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Function {
    /// `States.Format(template, value...)`: fills each `{}` of the template
    /// with the next value.
    Format,
    /// `States.StringToJson(text)`: parses a string holding JSON.
    StringToJson,
    /// `States.JsonToString(value)`: writes a value as compact JSON text.
    JsonToString,
    /// `States.Array(value...)`: an array of its arguments.
    Array,
    /// `States.ArrayPartition(array, size)`: splits an array into chunks.
    ArrayPartition,
    /// `States.ArrayContains(array, value)`: whether an array holds a value.
    ArrayContains,
    /// `States.ArrayRange(start, end, step)`: integers from start to end.
    ArrayRange,
    /// `States.ArrayGetItem(array, index)`: one element of an array.
    ArrayGetItem,
    /// `States.ArrayLength(array)`: the number of elements of an array.
    ArrayLength,
    /// `States.ArrayUnique(array)`: an array without its duplicates.
    ArrayUnique,
    /// `States.Base64Encode(text)`: Base64 of a string's UTF-8 bytes.
    Base64Encode,
    /// `States.Base64Decode(base64)`: the string a Base64 text encodes.
    Base64Decode,
    /// `States.Hash(data, algorithm)`: a hex digest.
    Hash,
    /// `States.JsonMerge(first, second, deep)`: a shallow merge of two objects.
    JsonMerge,
    /// `States.MathRandom(start, end[, seed])`: a random integer.
    MathRandom,
    /// `States.MathAdd(first, second)`: the sum of two integers.
    MathAdd,
    /// `States.StringSplit(text, delimiters)`: splits a string.
    StringSplit,
    /// `States.UUID()`: a random version 4 UUID.
    Uuid,
}

/// How many arguments a function takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Arity {
    /// The fewest arguments accepted.
    pub min: usize,
    /// The most arguments accepted; `None` when there is no limit.
    pub max: Option<usize>,
}

impl Arity {
    /// True when a call with `count` arguments has the right number.
    pub fn accepts(self, count: usize) -> bool {
        count >= self.min && self.max.is_none_or(|max| count <= max)
    }
}

impl fmt::Display for Arity {
    /// Writes the count as a phrase: `2 arguments`, `2 or 3 arguments`,
    /// `at least 1 argument`, `no arguments`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = |n: usize| if n == 1 { "argument" } else { "arguments" };
        match self.max {
            Some(0) => f.write_str("no arguments"),
            Some(max) if max == self.min => write!(f, "{max} {}", noun(max)),
            Some(max) if max == self.min + 1 => {
                write!(f, "{} or {max} {}", self.min, noun(max))
            }
            Some(max) => write!(f, "{} to {max} arguments", self.min),
            None if self.min == 0 => f.write_str("any number of arguments"),
            None => write!(f, "at least {} {}", self.min, noun(self.min)),
        }
    }
}

/// What a parameter accepts. Each kind knows how to check a value, so the
/// parser can reject a bad literal and evaluation can reject a bad value
/// with the same words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Param {
    /// Any JSON value.
    Any,
    /// Any string.
    Text,
    /// A string of at most 10,000 characters (the Base64 functions).
    LimitedText,
    /// A non-empty string of delimiter characters.
    Delimiters,
    /// Anything whose text (a string, or the JSON of any other value) has
    /// at most 10,000 characters.
    HashData,
    /// One of the hash algorithm names.
    Algorithm,
    /// A value given by a path or a call, never by a literal.
    Reference,
    /// An array.
    Array,
    /// An array whose JSON text is at most 256 KiB.
    LimitedArray,
    /// An object.
    Object,
    /// An integer; other numbers are rounded.
    Integer,
    /// An integer other than 0; other numbers are rounded.
    Step,
    /// An integer of at least 1; other numbers are rounded.
    Size,
    /// A whole number of at least 0.
    Index,
    /// An integer within the 32-bit signed range; other numbers are rounded.
    Int32,
    /// The boolean `false` (only shallow merges exist).
    False,
}

/// The type of value a function returns, for checking nested calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Returns {
    String,
    Integer,
    Boolean,
    Array,
    Object,
    /// Depends on the data.
    Any,
}

impl Returns {
    pub(super) fn describe(self) -> &'static str {
        match self {
            Returns::String => "a string",
            Returns::Integer => "an integer",
            Returns::Boolean => "a boolean",
            Returns::Array => "an array",
            Returns::Object => "an object",
            Returns::Any => "any value",
        }
    }
}

impl Param {
    /// Checks a value against the parameter, saying what is wrong.
    pub(super) fn check(self, value: &Value) -> Result<(), String> {
        match self {
            Param::Any | Param::Reference => Ok(()),
            Param::Text => args::text(value).map(drop),
            Param::LimitedText => args::limited_text(value).map(drop),
            Param::Delimiters => args::delimiters(value).map(drop),
            Param::HashData => args::hash_data(value).map(drop),
            Param::Algorithm => args::algorithm(value).map(drop),
            Param::Array => args::array(value).map(drop),
            Param::LimitedArray => args::limited_array(value).map(drop),
            Param::Object => args::object(value).map(drop),
            Param::Integer => args::rounded(value).map(drop),
            Param::Step => args::step(value).map(drop),
            Param::Size => args::size(value).map(drop),
            Param::Index => args::index(value).map(drop),
            Param::Int32 => args::int32(value).map(drop),
            Param::False => args::shallow(value),
        }
    }

    /// What the parameter expects, for messages.
    pub(super) fn expected(self) -> &'static str {
        match self {
            Param::Any | Param::HashData | Param::Reference => "any value",
            Param::Text | Param::LimitedText | Param::Delimiters | Param::Algorithm => "a string",
            Param::Array | Param::LimitedArray => "an array",
            Param::Object => "an object",
            Param::Integer | Param::Step | Param::Size | Param::Index | Param::Int32 => {
                "an integer"
            }
            Param::False => "the boolean `false`",
        }
    }

    /// Whether a nested call returning `returns` can fit this parameter.
    pub(super) fn fits(self, returns: Returns) -> bool {
        match returns {
            Returns::Any => true,
            Returns::String => matches!(
                self,
                Param::Any
                    | Param::Text
                    | Param::LimitedText
                    | Param::Delimiters
                    | Param::HashData
                    | Param::Algorithm
                    | Param::Reference
            ),
            Returns::Integer => matches!(
                self,
                Param::Any
                    | Param::HashData
                    | Param::Reference
                    | Param::Integer
                    | Param::Step
                    | Param::Size
                    | Param::Index
                    | Param::Int32
            ),
            Returns::Boolean => matches!(
                self,
                Param::Any | Param::HashData | Param::Reference | Param::False
            ),
            Returns::Array => matches!(
                self,
                Param::Any
                    | Param::HashData
                    | Param::Reference
                    | Param::Array
                    | Param::LimitedArray
            ),
            Returns::Object => matches!(
                self,
                Param::Any | Param::HashData | Param::Reference | Param::Object
            ),
        }
    }
}

/// The parameters of a function: fixed ones (the last `optional` of them
/// may be left out), then maybe a repeated one.
struct Signature {
    fixed: &'static [(&'static str, Param)],
    optional: usize,
    repeated: Option<(&'static str, Param)>,
    returns: Returns,
}

impl Function {
    /// Every intrinsic function, in the order the language lists them.
    pub const ALL: [Function; 18] = [
        Function::Format,
        Function::StringToJson,
        Function::JsonToString,
        Function::Array,
        Function::ArrayPartition,
        Function::ArrayContains,
        Function::ArrayRange,
        Function::ArrayGetItem,
        Function::ArrayLength,
        Function::ArrayUnique,
        Function::Base64Encode,
        Function::Base64Decode,
        Function::Hash,
        Function::JsonMerge,
        Function::MathRandom,
        Function::MathAdd,
        Function::StringSplit,
        Function::Uuid,
    ];

    /// The function's name as written in a state machine, e.g. `States.Format`.
    pub fn name(self) -> &'static str {
        match self {
            Function::Format => "States.Format",
            Function::StringToJson => "States.StringToJson",
            Function::JsonToString => "States.JsonToString",
            Function::Array => "States.Array",
            Function::ArrayPartition => "States.ArrayPartition",
            Function::ArrayContains => "States.ArrayContains",
            Function::ArrayRange => "States.ArrayRange",
            Function::ArrayGetItem => "States.ArrayGetItem",
            Function::ArrayLength => "States.ArrayLength",
            Function::ArrayUnique => "States.ArrayUnique",
            Function::Base64Encode => "States.Base64Encode",
            Function::Base64Decode => "States.Base64Decode",
            Function::Hash => "States.Hash",
            Function::JsonMerge => "States.JsonMerge",
            Function::MathRandom => "States.MathRandom",
            Function::MathAdd => "States.MathAdd",
            Function::StringSplit => "States.StringSplit",
            Function::Uuid => "States.UUID",
        }
    }

    /// The function with this exact (case-sensitive) name, if any.
    ///
    /// ```
    /// use sfini_core::intrinsic::Function;
    ///
    /// assert_eq!(Function::from_name("States.UUID"), Some(Function::Uuid));
    /// assert_eq!(Function::from_name("States.uuid"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Function> {
        Function::ALL
            .into_iter()
            .find(|function| function.name() == name)
    }

    /// How many arguments the function takes.
    pub fn arity(self) -> Arity {
        let signature = self.signature_spec();
        let fixed = signature.fixed.len();
        Arity {
            min: fixed - signature.optional,
            max: signature.repeated.is_none().then_some(fixed),
        }
    }

    /// How a call is written, with parameter names:
    /// `States.ArrayPartition(array, size)`, `States.MathRandom(start, end[, seed])`.
    pub fn signature(self) -> String {
        let signature = self.signature_spec();
        let required = signature.fixed.len() - signature.optional;
        let mut out = format!("{}(", self.name());
        for (position, (name, _)) in signature.fixed.iter().enumerate() {
            match (position, position >= required) {
                (0, true) => out.push('['),
                (0, false) => {}
                (_, true) => out.push_str("[, "),
                (_, false) => out.push_str(", "),
            }
            out.push_str(name);
        }
        out.push_str(&"]".repeat(signature.optional));
        if let Some((name, _)) = signature.repeated {
            if !signature.fixed.is_empty() {
                out.push_str(", ");
            }
            out.push_str(name);
            out.push_str("...");
        }
        out.push(')');
        out
    }

    /// The name and kind of the parameter at `index` (0-based), if the
    /// function has one there.
    pub(super) fn parameter(self, index: usize) -> Option<(&'static str, Param)> {
        let signature = self.signature_spec();
        signature.fixed.get(index).copied().or(signature.repeated)
    }

    /// How messages name the argument at `index`: ``argument 2 (`size`)``.
    pub(super) fn argument_label(self, index: usize) -> String {
        match self.parameter(index) {
            Some((name, _)) => format!("argument {} (`{name}`)", index + 1),
            None => format!("argument {}", index + 1),
        }
    }

    /// What the function returns.
    pub(super) fn returns(self) -> Returns {
        self.signature_spec().returns
    }

    /// Whether the result depends only on the arguments (no randomness).
    pub(super) fn is_pure(self, argument_count: usize) -> bool {
        match self {
            Function::Uuid => false,
            // With a seed the result is fixed.
            Function::MathRandom => argument_count == 3,
            _ => true,
        }
    }

    fn signature_spec(self) -> Signature {
        const fn fixed(params: &'static [(&'static str, Param)], returns: Returns) -> Signature {
            Signature {
                fixed: params,
                optional: 0,
                repeated: None,
                returns,
            }
        }
        match self {
            Function::Format => Signature {
                fixed: &[("template", Param::Text)],
                optional: 0,
                repeated: Some(("value", Param::Any)),
                returns: Returns::String,
            },
            Function::StringToJson => fixed(&[("text", Param::Text)], Returns::Any),
            Function::JsonToString => fixed(&[("value", Param::Reference)], Returns::String),
            Function::Array => Signature {
                fixed: &[],
                optional: 0,
                repeated: Some(("value", Param::Any)),
                returns: Returns::Array,
            },
            Function::ArrayPartition => fixed(
                &[("array", Param::LimitedArray), ("size", Param::Size)],
                Returns::Array,
            ),
            Function::ArrayContains => fixed(
                &[("array", Param::LimitedArray), ("value", Param::Any)],
                Returns::Boolean,
            ),
            Function::ArrayRange => fixed(
                &[
                    ("start", Param::Integer),
                    ("end", Param::Integer),
                    ("step", Param::Step),
                ],
                Returns::Array,
            ),
            Function::ArrayGetItem => fixed(
                &[("array", Param::Array), ("index", Param::Index)],
                Returns::Any,
            ),
            Function::ArrayLength => fixed(&[("array", Param::Array)], Returns::Integer),
            Function::ArrayUnique => fixed(&[("array", Param::Array)], Returns::Array),
            Function::Base64Encode => fixed(&[("text", Param::LimitedText)], Returns::String),
            Function::Base64Decode => fixed(&[("base64", Param::LimitedText)], Returns::String),
            Function::Hash => fixed(
                &[("data", Param::HashData), ("algorithm", Param::Algorithm)],
                Returns::String,
            ),
            Function::JsonMerge => fixed(
                &[
                    ("first", Param::Object),
                    ("second", Param::Object),
                    ("deep", Param::False),
                ],
                Returns::Object,
            ),
            Function::MathRandom => Signature {
                fixed: &[
                    ("start", Param::Integer),
                    ("end", Param::Integer),
                    ("seed", Param::Integer),
                ],
                optional: 1,
                repeated: None,
                returns: Returns::Integer,
            },
            Function::MathAdd => fixed(
                &[("first", Param::Int32), ("second", Param::Int32)],
                Returns::Integer,
            ),
            Function::StringSplit => fixed(
                &[("text", Param::Text), ("delimiters", Param::Delimiters)],
                Returns::Array,
            ),
            Function::Uuid => fixed(&[], Returns::String),
        }
    }
}

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
