//! The Choice state and its rules.

use serde_json::{Number, Value};

use super::{DataPath, QueryLanguage, ValueOrPath, setters};

/// Goes to the `Next` of the first rule whose condition holds, or to
/// `Default`; fails with `States.NoChoiceMatched` when neither applies.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Choice {
    /// A human-readable description.
    pub comment: Option<String>,
    /// The query language, when the state names its own (`QueryLanguage`).
    pub query_language: Option<QueryLanguage>,
    /// Selects the part of the input the rules look at.
    pub input_path: DataPath,
    /// The rules, tried in order.
    pub choices: Vec<ChoiceRule>,
    /// Where to go when no rule matches.
    pub default: Option<String>,
    /// Selects the part of the data that leaves the state.
    pub output_path: DataPath,
    /// JSONata: the state's output (`Output`), a value in which
    /// `{% ... %}` strings are expressions.
    pub output: Option<Value>,
    /// Workflow variables to assign (`Assign`): names and the values,
    /// templates or expressions that give them.
    pub assign: Option<Value>,
}

impl Choice {
    /// A Choice state with no rules yet.
    pub fn new() -> Choice {
        Choice::default()
    }

    /// Adds a rule: when `condition` holds, go to `next`.
    #[must_use]
    pub fn when(mut self, condition: Condition, next: impl Into<String>) -> Self {
        self.choices.push(ChoiceRule::new(condition, next));
        self
    }

    /// Adds a rule (with its own `Assign` or `Output`).
    #[must_use]
    pub fn rule(mut self, rule: ChoiceRule) -> Self {
        self.choices.push(rule);
        self
    }

    /// Sets where to go when no rule matches.
    #[must_use]
    pub fn otherwise(mut self, default: impl Into<String>) -> Self {
        self.default = Some(default.into());
        self
    }

    setters! {
        /// Sets the description.
        comment(comment: String) as Some;
        /// Sets InputPath.
        input_path(input_path: DataPath);
        /// Sets OutputPath.
        output_path(output_path: DataPath);
        /// Sets the state's own query language.
        query_language(query_language = QueryLanguage) as Some;
        /// Sets Output (JSONata).
        output(output: Value) as Some;
        /// Sets Assign: the workflow variables the state assigns.
        assign(assign: Value) as Some;
    }
}

/// A top-level rule of a Choice state: a condition and where it leads.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceRule {
    /// What must hold (its comment is the rule's comment).
    pub condition: Condition,
    /// The state to go to when it holds.
    pub next: String,
    /// Workflow variables to assign when the rule matches (`Assign`).
    pub assign: Option<Value>,
    /// JSONata: the state's output when the rule matches (`Output`).
    pub output: Option<Value>,
}

impl ChoiceRule {
    /// A rule that goes to `next` when `condition` holds.
    pub fn new(condition: Condition, next: impl Into<String>) -> ChoiceRule {
        ChoiceRule {
            condition,
            next: next.into(),
            assign: None,
            output: None,
        }
    }

    setters! {
        /// Sets Assign: the variables assigned when the rule matches.
        assign(assign: Value) as Some;
        /// Sets Output (JSONata): the state's output when the rule matches.
        output(output: Value) as Some;
    }
}

/// A boolean expression over the state's data: a comparison of one value,
/// or `And`, `Or`, `Not` of nested conditions.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// A human-readable description.
    pub comment: Option<String>,
    /// The expression.
    pub kind: ConditionKind,
}

/// The forms a [`Condition`] takes.
#[derive(Clone, Debug, PartialEq)]
pub enum ConditionKind {
    /// Every nested condition holds.
    And(Vec<Condition>),
    /// At least one nested condition holds.
    Or(Vec<Condition>),
    /// The nested condition does not hold.
    Not(Box<Condition>),
    /// JSONata: `Condition`, a value that must be `true` or `false` (a
    /// boolean, or a `{% ... %}` expression giving one); only at the top of
    /// a rule.
    Jsonata(Value),
    /// A comparison of the value at `variable`.
    Test {
        /// The path of the value to test (`Variable`).
        variable: String,
        /// The comparison.
        comparison: Comparison,
    },
}

/// A comparison operator of a Choice rule.
///
/// With [`ValueOrPath::Path`], the other side is read from the data too:
/// the `...Path` operators, such as `NumericLessThanPath`.
#[derive(Clone, Debug, PartialEq)]
pub enum Comparison {
    /// `StringEquals`, `StringLessThan`, ... and their `...Path` forms.
    String(Operator, ValueOrPath<String>),
    /// `NumericEquals`, `NumericLessThan`, ... and their `...Path` forms.
    Numeric(Operator, ValueOrPath<Number>),
    /// `TimestampEquals`, `TimestampLessThan`, ... and their `...Path` forms.
    Timestamp(Operator, ValueOrPath<String>),
    /// `BooleanEquals` and `BooleanEqualsPath`.
    BooleanEquals(ValueOrPath<bool>),
    /// `StringMatches`: a pattern in which `*` stands for any characters
    /// (`\*` for a literal star, `\\` for a backslash).
    StringMatches(String),
    /// `IsNull`, `IsPresent`, `IsNumeric`, `IsString`, `IsBoolean`,
    /// `IsTimestamp`: whether the value has the property, compared with the flag.
    Is(TypeTest, bool),
}

/// The ordering comparisons shared by strings, numbers and timestamps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `...Equals`
    Equals,
    /// `...LessThan`
    LessThan,
    /// `...GreaterThan`
    GreaterThan,
    /// `...LessThanEquals`
    LessThanEquals,
    /// `...GreaterThanEquals`
    GreaterThanEquals,
}

impl Operator {
    /// Every operator.
    pub const ALL: [Operator; 5] = [
        Operator::Equals,
        Operator::LessThan,
        Operator::GreaterThan,
        Operator::LessThanEquals,
        Operator::GreaterThanEquals,
    ];

    /// The operator's part of a field name (`LessThan`).
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Equals => "Equals",
            Operator::LessThan => "LessThan",
            Operator::GreaterThan => "GreaterThan",
            Operator::LessThanEquals => "LessThanEquals",
            Operator::GreaterThanEquals => "GreaterThanEquals",
        }
    }

    /// Whether `ordering` (left compared with right) satisfies the operator.
    pub fn holds(self, ordering: std::cmp::Ordering) -> bool {
        match self {
            Operator::Equals => ordering.is_eq(),
            Operator::LessThan => ordering.is_lt(),
            Operator::GreaterThan => ordering.is_gt(),
            Operator::LessThanEquals => ordering.is_le(),
            Operator::GreaterThanEquals => ordering.is_ge(),
        }
    }
}

/// The type tests of a Choice rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TypeTest {
    /// `IsNull`: the value is JSON null.
    Null,
    /// `IsPresent`: the variable's path matches something.
    Present,
    /// `IsNumeric`: the value is a number.
    Numeric,
    /// `IsString`: the value is a string.
    String,
    /// `IsBoolean`: the value is a boolean.
    Boolean,
    /// `IsTimestamp`: the value is a string holding an RFC 3339 timestamp.
    Timestamp,
}

impl TypeTest {
    /// Every type test.
    pub const ALL: [TypeTest; 6] = [
        TypeTest::Null,
        TypeTest::Present,
        TypeTest::Numeric,
        TypeTest::String,
        TypeTest::Boolean,
        TypeTest::Timestamp,
    ];

    /// The operator's field name (`IsPresent`).
    pub fn as_str(self) -> &'static str {
        match self {
            TypeTest::Null => "IsNull",
            TypeTest::Present => "IsPresent",
            TypeTest::Numeric => "IsNumeric",
            TypeTest::String => "IsString",
            TypeTest::Boolean => "IsBoolean",
            TypeTest::Timestamp => "IsTimestamp",
        }
    }
}

/// The kinds of value the ordering comparisons apply to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ComparedKind {
    String,
    Numeric,
    Timestamp,
    Boolean,
}

impl ComparedKind {
    const ALL: [ComparedKind; 4] = [
        ComparedKind::String,
        ComparedKind::Numeric,
        ComparedKind::Timestamp,
        ComparedKind::Boolean,
    ];

    fn as_str(self) -> &'static str {
        match self {
            ComparedKind::String => "String",
            ComparedKind::Numeric => "Numeric",
            ComparedKind::Timestamp => "Timestamp",
            ComparedKind::Boolean => "Boolean",
        }
    }
}

/// What a comparison operator's field name says about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OperatorField {
    /// `<Kind><Operator>` or `<Kind><Operator>Path`.
    Ordering {
        kind: ComparedKind,
        operator: Operator,
        path: bool,
    },
    /// `StringMatches`.
    Matches,
    /// `Is...`.
    Is(TypeTest),
}

impl OperatorField {
    /// Reads a comparison operator's field name.
    pub(crate) fn from_name(name: &str) -> Option<OperatorField> {
        if name == "StringMatches" {
            return Some(OperatorField::Matches);
        }
        if let Some(test) = TypeTest::ALL.into_iter().find(|t| t.as_str() == name) {
            return Some(OperatorField::Is(test));
        }
        let (base, path) = match name.strip_suffix("Path") {
            Some(base) => (base, true),
            None => (name, false),
        };
        ComparedKind::ALL.into_iter().find_map(|kind| {
            let rest = base.strip_prefix(kind.as_str())?;
            let operator = Operator::ALL.into_iter().find(|op| op.as_str() == rest)?;
            (kind != ComparedKind::Boolean || operator == Operator::Equals).then_some(
                OperatorField::Ordering {
                    kind,
                    operator,
                    path,
                },
            )
        })
    }

    /// Every comparison operator's field name.
    pub(crate) const ALL_NAMES: [&'static str; 39] = [
        "StringEquals",
        "StringEqualsPath",
        "StringLessThan",
        "StringLessThanPath",
        "StringGreaterThan",
        "StringGreaterThanPath",
        "StringLessThanEquals",
        "StringLessThanEqualsPath",
        "StringGreaterThanEquals",
        "StringGreaterThanEqualsPath",
        "NumericEquals",
        "NumericEqualsPath",
        "NumericLessThan",
        "NumericLessThanPath",
        "NumericGreaterThan",
        "NumericGreaterThanPath",
        "NumericLessThanEquals",
        "NumericLessThanEqualsPath",
        "NumericGreaterThanEquals",
        "NumericGreaterThanEqualsPath",
        "TimestampEquals",
        "TimestampEqualsPath",
        "TimestampLessThan",
        "TimestampLessThanPath",
        "TimestampGreaterThan",
        "TimestampGreaterThanPath",
        "TimestampLessThanEquals",
        "TimestampLessThanEqualsPath",
        "TimestampGreaterThanEquals",
        "TimestampGreaterThanEqualsPath",
        "BooleanEquals",
        "BooleanEqualsPath",
        "StringMatches",
        "IsNull",
        "IsPresent",
        "IsNumeric",
        "IsString",
        "IsBoolean",
        "IsTimestamp",
    ];

    /// The field name of an operator.
    pub(crate) fn name(self) -> &'static str {
        // `ALL_NAMES` lists, for String, Numeric and Timestamp in turn, each
        // operator in declaration order without and with `Path`; then the
        // two Boolean names, StringMatches and the type tests, also in
        // declaration order.
        let index = match self {
            OperatorField::Ordering {
                kind: ComparedKind::Boolean,
                path,
                ..
            } => 30 + usize::from(path),
            OperatorField::Ordering {
                kind,
                operator,
                path,
            } => kind as usize * 10 + operator as usize * 2 + usize::from(path),
            OperatorField::Matches => 32,
            OperatorField::Is(test) => 33 + test as usize,
        };
        Self::ALL_NAMES[index]
    }
}

impl Comparison {
    /// The operator's field name in a definition (`NumericLessThanPath`).
    pub fn operator_name(&self) -> &'static str {
        let (kind, operator, path) = match self {
            Comparison::String(op, operand) => {
                (ComparedKind::String, *op, operand.path().is_some())
            }
            Comparison::Numeric(op, operand) => {
                (ComparedKind::Numeric, *op, operand.path().is_some())
            }
            Comparison::Timestamp(op, operand) => {
                (ComparedKind::Timestamp, *op, operand.path().is_some())
            }
            Comparison::BooleanEquals(operand) => (
                ComparedKind::Boolean,
                Operator::Equals,
                operand.path().is_some(),
            ),
            Comparison::StringMatches(_) => return "StringMatches",
            Comparison::Is(test, _) => return test.as_str(),
        };
        OperatorField::Ordering {
            kind,
            operator,
            path,
        }
        .name()
    }

    /// The path on the other side of a `...Path` operator, if any.
    pub fn operand_path(&self) -> Option<&str> {
        match self {
            Comparison::String(_, operand) | Comparison::Timestamp(_, operand) => operand.path(),
            Comparison::Numeric(_, operand) => operand.path(),
            Comparison::BooleanEquals(operand) => operand.path(),
            Comparison::StringMatches(_) | Comparison::Is(..) => None,
        }
    }
}

/// A Rust number usable as a JSON number in a comparison.
pub trait IntoNumber {
    /// The JSON number.
    fn into_number(self) -> Number;
}

macro_rules! integer_into_number {
    ($($t:ty),*) => {
        $(impl IntoNumber for $t {
            fn into_number(self) -> Number {
                Number::from(self)
            }
        })*
    };
}
integer_into_number!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl IntoNumber for f64 {
    fn into_number(self) -> Number {
        match Number::from_f64(self) {
            Some(number) => number,
            None => panic!("{self} cannot be compared: JSON numbers are finite"),
        }
    }
}

impl IntoNumber for f32 {
    fn into_number(self) -> Number {
        f64::from(self).into_number()
    }
}

impl IntoNumber for Number {
    fn into_number(self) -> Number {
        self
    }
}

impl Condition {
    /// A condition of the given form, without a comment.
    pub fn new(kind: ConditionKind) -> Condition {
        Condition {
            comment: None,
            kind,
        }
    }

    /// Compares the value at `variable`.
    pub fn test(variable: impl Into<String>, comparison: Comparison) -> Condition {
        Condition::new(ConditionKind::Test {
            variable: variable.into(),
            comparison,
        })
    }

    /// Compares the number at `variable` with `value`.
    ///
    /// # Panics
    ///
    /// When `value` is a float that is not finite: JSON has no such number.
    pub fn numeric(
        variable: impl Into<String>,
        operator: Operator,
        value: impl IntoNumber,
    ) -> Condition {
        Condition::test(
            variable,
            Comparison::Numeric(operator, ValueOrPath::Value(value.into_number())),
        )
    }

    /// Compares the string at `variable` with `value`.
    pub fn string(
        variable: impl Into<String>,
        operator: Operator,
        value: impl Into<String>,
    ) -> Condition {
        Condition::test(
            variable,
            Comparison::String(operator, ValueOrPath::Value(value.into())),
        )
    }

    /// Compares the timestamp at `variable` with an RFC 3339 timestamp.
    pub fn timestamp(
        variable: impl Into<String>,
        operator: Operator,
        value: impl Into<String>,
    ) -> Condition {
        Condition::test(
            variable,
            Comparison::Timestamp(operator, ValueOrPath::Value(value.into())),
        )
    }

    /// Tests whether the boolean at `variable` equals `value`.
    pub fn boolean(variable: impl Into<String>, value: bool) -> Condition {
        Condition::test(
            variable,
            Comparison::BooleanEquals(ValueOrPath::Value(value)),
        )
    }

    /// Tests the string at `variable` against a `*` pattern.
    pub fn matches(variable: impl Into<String>, pattern: impl Into<String>) -> Condition {
        Condition::test(variable, Comparison::StringMatches(pattern.into()))
    }

    /// Tests whether the value at `variable` has a property (`IsPresent`, ...).
    pub fn is(variable: impl Into<String>, test: TypeTest, expected: bool) -> Condition {
        Condition::test(variable, Comparison::Is(test, expected))
    }

    /// All of the conditions hold.
    pub fn and(conditions: impl IntoIterator<Item = Condition>) -> Condition {
        Condition::new(ConditionKind::And(conditions.into_iter().collect()))
    }

    /// Any of the conditions holds.
    pub fn or(conditions: impl IntoIterator<Item = Condition>) -> Condition {
        Condition::new(ConditionKind::Or(conditions.into_iter().collect()))
    }

    /// JSONata: the rule's `Condition`, as written: `true`, `false` or a
    /// `{% ... %}` expression giving one of them.
    ///
    /// ```
    /// use sfini_core::model::Condition;
    ///
    /// let big = Condition::jsonata("{% $states.input.total > 100 %}");
    /// ```
    pub fn jsonata(condition: impl Into<Value>) -> Condition {
        Condition::new(ConditionKind::Jsonata(condition.into()))
    }

    /// The condition does not hold.
    #[allow(clippy::should_implement_trait)]
    pub fn not(condition: Condition) -> Condition {
        Condition::new(ConditionKind::Not(Box::new(condition)))
    }

    /// Sets the description.
    #[must_use]
    pub fn with_comment(mut self, comment: impl Into<String>) -> Condition {
        self.comment = Some(comment.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_names_round_trip() {
        for name in OperatorField::ALL_NAMES {
            let field = OperatorField::from_name(name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(field.name(), name);
        }
        assert_eq!(OperatorField::from_name("BooleanLessThan"), None);
        assert_eq!(OperatorField::from_name("NumericEqual"), None);
        let comparison =
            Comparison::Numeric(Operator::LessThanEquals, ValueOrPath::Path("$.x".into()));
        assert_eq!(comparison.operator_name(), "NumericLessThanEqualsPath");
        assert_eq!(
            Comparison::Is(TypeTest::Present, false).operator_name(),
            "IsPresent"
        );
    }
}
