use std::collections::HashSet;

use serde_json::{Value, json};

use super::*;

fn parse(text: &str) -> IntrinsicCall {
    IntrinsicCall::parse(text).unwrap_or_else(|error| panic!("{error}"))
}

fn eval(text: &str, data: Value) -> Value {
    parse(text)
        .evaluate(&data, &json!({"Execution": {"Name": "run-1"}}))
        .unwrap_or_else(|error| panic!("{text}: {error}"))
}

fn eval_error(text: &str, data: Value) -> IntrinsicError {
    match parse(text).evaluate(&data, &Value::Null) {
        Ok(value) => panic!("`{text}` gave {value}"),
        Err(error) => error,
    }
}

/// The run-time failure message, checking that it is a failure.
fn failure(text: &str, data: Value) -> String {
    let error = eval_error(text, data);
    assert_eq!(error.error_name(), "States.Runtime", "{error}");
    error.to_string()
}

fn syntax_error(text: &str) -> IntrinsicSyntaxError {
    match IntrinsicCall::parse(text) {
        Ok(call) => panic!("`{text}` parsed as {call:?}"),
        Err(error) => error,
    }
}

/// Checks that `text` fails to parse at the first occurrence of `at` with a
/// message containing `message`.
fn assert_syntax_error(text: &str, at: &str, message: &str) {
    let error = syntax_error(text);
    let byte = text
        .find(at)
        .unwrap_or_else(|| panic!("`{at}` not in `{text}`"));
    assert_eq!(
        error.offset,
        text[..byte].chars().count(),
        "offset for `{text}`: {error}"
    );
    assert!(
        error.message.contains(message),
        "`{text}`: expected a message containing {message:?}, got {:?}",
        error.message
    );
    assert_eq!(error.text, text);
}

// ----- the catalogue -----

#[test]
fn every_function_has_a_distinct_name_that_maps_back() {
    let names: HashSet<_> = Function::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(names.len(), 18);
    for function in Function::ALL {
        assert!(function.name().starts_with("States."));
        assert_eq!(Function::from_name(function.name()), Some(function));
        assert_eq!(function.to_string(), function.name());
    }
    assert_eq!(Function::from_name("States.Format"), Some(Function::Format));
    assert_eq!(Function::from_name("States.UUID"), Some(Function::Uuid));
    assert_eq!(Function::from_name("States.Uuid"), None);
    assert_eq!(Function::from_name("Format"), None);
}

#[test]
fn arities_and_signatures() {
    let arity = |f: Function| f.arity().to_string();
    assert_eq!(arity(Function::MathAdd), "2 arguments");
    assert_eq!(arity(Function::MathRandom), "2 or 3 arguments");
    assert_eq!(arity(Function::Format), "at least 1 argument");
    assert_eq!(arity(Function::Array), "any number of arguments");
    assert_eq!(arity(Function::Uuid), "no arguments");
    assert_eq!(arity(Function::ArrayLength), "1 argument");
    assert!(Function::MathRandom.arity().accepts(3));
    assert!(!Function::MathRandom.arity().accepts(4));
    assert!(Function::Array.arity().accepts(0));
    assert!(Function::Format.arity().accepts(20));
    assert!(!Function::Format.arity().accepts(0));

    assert_eq!(
        Function::MathRandom.signature(),
        "States.MathRandom(start, end[, seed])"
    );
    assert_eq!(
        Function::Format.signature(),
        "States.Format(template, value...)"
    );
    assert_eq!(Function::Array.signature(), "States.Array(value...)");
    assert_eq!(Function::Uuid.signature(), "States.UUID()");
    assert_eq!(
        Function::JsonMerge.signature(),
        "States.JsonMerge(first, second, deep)"
    );
}

// ----- parsing -----

#[test]
fn parses_every_kind_of_argument() {
    let call = parse(
        "States.Array('a b', -1.5e2, 7, true, false, null, $.x[0], $$.Execution.Name, States.UUID())",
    );
    assert_eq!(call.function(), Function::Array);
    let arguments = call.arguments();
    assert_eq!(arguments.len(), 9);
    assert_eq!(arguments[0], Argument::Literal(json!("a b")));
    assert_eq!(arguments[1], Argument::Literal(json!(-150.0)));
    assert_eq!(arguments[2], Argument::Literal(json!(7)));
    assert_eq!(arguments[3], Argument::Literal(json!(true)));
    assert_eq!(arguments[4], Argument::Literal(json!(false)));
    assert_eq!(arguments[5], Argument::Literal(json!(null)));
    assert_eq!(
        arguments[6],
        Argument::Path(crate::path::Path::parse("$.x[0]").unwrap())
    );
    assert_eq!(
        arguments[7],
        Argument::Path(crate::path::Path::parse("$$.Execution.Name").unwrap())
    );
    match &arguments[8] {
        Argument::Call(inner) => {
            assert_eq!(inner.function(), Function::Uuid);
            assert_eq!(inner.as_str(), "States.UUID()");
            assert!(inner.arguments().is_empty());
        }
        other => panic!("expected a call, found {other:?}"),
    }
}

#[test]
fn whitespace_is_allowed_around_arguments_but_not_around_the_call() {
    let call = parse("States.MathAdd(  $.a ,\n\t2  )");
    assert_eq!(call.arguments().len(), 2);
    assert_eq!(call.as_str(), "States.MathAdd(  $.a ,\n\t2  )");
    let leading = IntrinsicCall::parse("  States.UUID()").unwrap_err();
    assert_eq!(
        (leading.offset, leading.message.contains("remove the space")),
        (0, true)
    );
    let trailing = IntrinsicCall::parse("States.UUID() ").unwrap_err();
    assert_eq!(
        (trailing.offset, trailing.message.contains("remove it")),
        (13, true)
    );
    assert_eq!(eval("States.MathAdd( $.a , 2 )", json!({"a": 1})), json!(3));
    assert_eq!(eval("States.Array( )", json!({})), json!([]));
}

#[test]
fn paths_end_at_commas_and_parentheses_outside_brackets() {
    let data = json!({"a,b": {"c)": 1}, "list": [{"v": 1}, {"v": 5}], "x": 2});
    assert_eq!(
        eval("States.Array($['a,b']['c)'], $.x)", data.clone()),
        json!([1, 2])
    );
    assert_eq!(
        eval("States.Array($.list[?(@.v > 2)].v,$.x)", data.clone()),
        json!([[5], 2])
    );
    assert_eq!(eval("States.Array($)", json!(3)), json!([3]));
    assert_eq!(eval("States.Array($.x )", data), json!([2]));
}

#[test]
fn calls_display_and_compare_as_written() {
    let call = parse("States.MathAdd($.a, States.ArrayLength($.b))");
    assert_eq!(
        call.to_string(),
        "States.MathAdd($.a, States.ArrayLength($.b))"
    );
    let Argument::Call(inner) = &call.arguments()[1] else {
        panic!("expected a nested call");
    };
    assert_eq!(inner.to_string(), "States.ArrayLength($.b)");
    assert_eq!(
        call,
        "States.MathAdd($.a, States.ArrayLength($.b))"
            .parse()
            .unwrap()
    );
    assert_ne!(call, parse("States.MathAdd($.a,States.ArrayLength($.b))"));
}

#[test]
fn collects_paths_at_every_depth() {
    let call =
        parse("States.Format('{} {} {}', $.a, States.ArrayGetItem($$.Map.Item.Value, 0), $.b)");
    let paths: Vec<_> = call.paths().iter().map(|p| p.as_str()).collect();
    assert_eq!(paths, ["$.a", "$$.Map.Item.Value", "$.b"]);
    assert!(parse("States.UUID()").paths().is_empty());
}

#[test]
fn tells_calls_from_other_text() {
    assert!(looks_like_call("States.UUID()"));
    assert!(looks_like_call("  States.Format('x')"));
    assert!(looks_like_call("Custom_Fn.v2(1)"));
    assert!(looks_like_call("States.Nope("));
    assert!(!looks_like_call("$.a"));
    assert!(!looks_like_call("$$.Execution.Id"));
    assert!(!looks_like_call("States.UUID"));
    assert!(!looks_like_call("States.UUID ()"));
    assert!(!looks_like_call("(1)"));
    assert!(!looks_like_call("1x(2)"));
    assert!(!looks_like_call(""));
    assert!(!looks_like_call("hello"));
}

#[test]
fn string_escapes() {
    // The ASL text is: States.Format('a \{\} \'q\' {}', $.x)
    assert_eq!(
        eval(
            "States.Format('a \\{\\} \\'q\\' {}', $.x)",
            json!({"x": "X"})
        ),
        json!("a {} 'q' X")
    );
    // A backslash is written `\\`.
    assert_eq!(
        eval(
            "States.Format('C:\\\\dir\\\\{}', $.f)",
            json!({"f": "a.txt"})
        ),
        json!("C:\\dir\\a.txt")
    );
    assert_eq!(
        parse("States.Array('it\\'s', '\\{\\}')").arguments(),
        [
            Argument::Literal(json!("it's")),
            Argument::Literal(json!("{}"))
        ]
    );
    // Outside a Format template, braces are plain characters.
    assert_eq!(
        eval("States.StringSplit('a{b}c', '{}')", json!({})),
        json!(["a", "b", "c"])
    );
    // Unicode is kept as it is.
    assert_eq!(
        eval("States.Format('→ {} ✓', 'é')", json!({})),
        json!("→ é ✓")
    );
}

#[test]
fn nests_up_to_ten_calls_deep() {
    let deep = |levels: usize| format!("{}{}", "States.Array(".repeat(levels), ")".repeat(levels));
    let mut expected = json!([]);
    for _ in 1..10 {
        expected = json!([expected]);
    }
    assert_eq!(eval(&deep(10), json!({})), expected);

    let too_deep = deep(11);
    let error = syntax_error(&too_deep);
    assert_eq!(error.offset, "States.Array(".len() * 10);
    assert!(error.message.contains("at most 10 deep"), "{error}");
}

#[test]
fn nested_calls_compose() {
    // Nine calls: splits an image recipe ARN to rebuild its version number.
    let text = "States.Format('{}.{}.{}', \
        States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), \
        States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1), \
        $.build)";
    let data = json!({
        "ImageRecipe": {"Arn": "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe/1.0.5"},
        "build": 77
    });
    assert_eq!(eval(text, data), json!("1.0.77"));
}

// ----- syntax errors -----

#[test]
fn unknown_functions_get_a_suggestion() {
    assert_syntax_error(
        "States.Formt('{}', $.a)",
        "States.Formt",
        "unknown intrinsic function `States.Formt`; did you mean `States.Format`?",
    );
    assert_syntax_error("States.uuid()", "States", "did you mean `States.UUID`?");
    assert_syntax_error("Format('x')", "Format", "did you mean `States.Format`?");
    assert_syntax_error(
        "States.Array($.a, States.ArrayLenght($.b))",
        "States.ArrayLenght",
        "did you mean `States.ArrayLength`?",
    );
    assert_syntax_error(
        "My.Function(1)",
        "My",
        "intrinsic function names start with `States.`",
    );
    assert_syntax_error(
        "States.Teleport(1)",
        "States",
        "the intrinsic functions are States.Format, States.StringToJson",
    );
}

#[test]
fn argument_counts_are_checked() {
    assert_syntax_error(
        "States.MathAdd(1, 2, 3)",
        "3)",
        "States.MathAdd takes 2 arguments, found 3; write it as `States.MathAdd(first, second)`",
    );
    assert_syntax_error(
        "States.MathAdd(1)",
        ")",
        "States.MathAdd takes 2 arguments, found 1",
    );
    assert_syntax_error(
        "States.UUID(1)",
        "1",
        "States.UUID takes no arguments, found 1",
    );
    assert_syntax_error(
        "States.Format()",
        ")",
        "States.Format takes at least 1 argument, found 0",
    );
    assert_syntax_error(
        "States.MathRandom(1, 2, 3, 4)",
        "4",
        "States.MathRandom takes 2 or 3 arguments, found 4",
    );
    assert_syntax_error(
        "States.JsonMerge($.a, $.b)",
        ")",
        "States.JsonMerge takes 3 arguments, found 2",
    );
    assert_syntax_error(
        "States.Array(States.ArrayLength())",
        ")",
        "States.ArrayLength takes 1 argument, found 0",
    );
}

#[test]
fn literals_of_the_wrong_kind_are_rejected() {
    let cases = [
        (
            "States.MathAdd('1', 2)",
            "'1'",
            "States.MathAdd: argument 1 (`first`) must be an integer, found a string",
        ),
        (
            "States.JsonMerge($.a, $.b, true)",
            "true",
            "argument 3 (`deep`) must be `false`: only a shallow merge is supported",
        ),
        (
            "States.JsonMerge($.a, $.b, 'false')",
            "'false'",
            "must be the boolean `false`, found a string",
        ),
        (
            "States.Hash($.a, 'SHA-999')",
            "'SHA-999'",
            "argument 2 (`algorithm`) must be one of MD5, SHA-1, SHA-256, SHA-384 or SHA-512, found `SHA-999`",
        ),
        ("States.Hash($.a, 'sha-256')", "'sha", "must be one of MD5"),
        (
            "States.ArrayLength('abc')",
            "'abc'",
            "argument 1 (`array`) must be an array, found a string; pass a path such as `$.items`",
        ),
        (
            "States.ArrayPartition(null, 2)",
            "null",
            "must be an array, found null",
        ),
        (
            "States.JsonMerge(1, $.b, false)",
            "1,",
            "argument 1 (`first`) must be an object, found a number",
        ),
        (
            "States.JsonToString('x')",
            "'x'",
            "States.JsonToString: argument 1 (`value`) must be a path such as `$.value` (or a call), not a literal",
        ),
        (
            "States.Format(5)",
            "5",
            "argument 1 (`template`) must be a string, found a number",
        ),
        (
            "States.StringToJson(true)",
            "true",
            "must be a string, found a boolean",
        ),
        (
            "States.StringSplit($.a, 1)",
            "1",
            "argument 2 (`delimiters`) must be a string, found a number",
        ),
        (
            "States.StringSplit($.a, '')",
            "''",
            "must hold at least one delimiter character",
        ),
        (
            "States.ArrayPartition($.a, 0)",
            "0",
            "argument 2 (`size`) must be a positive integer, found 0",
        ),
        (
            "States.ArrayPartition($.a, 0.4)",
            "0.4",
            "must be a positive integer, found 0.4 (rounds to 0)",
        ),
        (
            "States.ArrayGetItem($.a, -1)",
            "-1",
            "argument 2 (`index`) must not be negative, found -1",
        ),
        (
            "States.ArrayGetItem($.a, 1.5)",
            "1.5",
            "must be a whole number, found 1.5",
        ),
        (
            "States.ArrayRange($.a, 10, 0)",
            "0)",
            "argument 3 (`step`) must not be 0",
        ),
        (
            "States.ArrayRange($.a, 10, 0.2)",
            "0.2",
            "must not be 0, found 0.2",
        ),
        (
            "States.MathAdd($.a, 2147483648)",
            "2147483648",
            "argument 2 (`second`) must be between -2147483648 and 2147483647",
        ),
        (
            "States.MathRandom($.a, 'ten')",
            "'ten'",
            "argument 2 (`end`) must be an integer, found a string",
        ),
        (
            "States.MathRandom(1, $.b, 9223372036854775808)",
            "9223372036854775808",
            "which is too large",
        ),
    ];
    for (text, at, message) in cases {
        assert_syntax_error(text, at, message);
    }
    let long = format!("States.Base64Encode('{}')", "x".repeat(10_001));
    assert_syntax_error(
        &long,
        "'",
        "argument 1 (`text`) is too long: 10001 characters, more than the limit of 10,000",
    );
    let long = format!("States.Hash('{}', $.alg)", "x".repeat(10_001));
    assert_syntax_error(&long, "'", "is too long");
}

#[test]
fn nested_calls_must_return_the_right_kind() {
    assert_syntax_error(
        "States.ArrayLength(States.Format('x'))",
        "States.Format",
        "States.ArrayLength: argument 1 (`array`) must be an array, but States.Format returns a string",
    );
    assert_syntax_error(
        "States.MathAdd(States.UUID(), 1)",
        "States.UUID",
        "must be an integer, but States.UUID returns a string",
    );
    // States.Format writes arrays and objects too.
    assert_eq!(
        eval("States.Format('{}', States.Array(1, 'a'))", json!({})),
        json!("[1, a]")
    );
    // Calls whose result depends on the data are not second-guessed.
    parse("States.MathAdd(States.ArrayGetItem($.a, 0), States.ArrayLength($.b))");
    parse("States.ArrayLength(States.StringToJson($.text))");
}

#[test]
fn format_templates_are_checked() {
    assert_syntax_error(
        "States.Format('{} and {}', $.a)",
        "'{}",
        "the template has 2 placeholders `{}` but 1 value follows it",
    );
    assert_syntax_error(
        "States.Format('none', $.a, $.b)",
        "'none'",
        "the template has 0 placeholders `{}` but 2 values follow it",
    );
    assert_syntax_error(
        "States.Format('a {b}', $.a)",
        "{b",
        "a lone `{` in the template; write `{}` for a placeholder, or `\\{` for the character itself",
    );
    assert_syntax_error("States.Format('a } {}', $.a)", "}", "a lone `}`");
    // Escaped braces are no placeholders.
    assert_syntax_error(
        "States.Format('\\{\\}', $.a)",
        "'",
        "the template has 0 placeholders",
    );
    // A template from the data is checked when the call runs.
    parse("States.Format($.template, $.a)");
}

#[test]
fn calls_on_fixed_arguments_that_always_fail_are_rejected() {
    assert_syntax_error(
        "States.MathRandom(10, 1)",
        "States",
        "States.MathRandom: the start (argument 1) must be less than the end (argument 2), which is excluded; found 10 and 1; the arguments are fixed, so this always fails",
    );
    assert_syntax_error(
        "States.ArrayRange(1, 5000, 1)",
        "States",
        "from 1 to 5000 in steps of 1 gives 5000 items, more than the limit of 1000",
    );
    assert_syntax_error(
        "States.Base64Decode('not base64!')",
        "States",
        "argument 1 (`base64`) is not valid Base64",
    );
    assert_syntax_error(
        "States.Array(1, States.ArrayGetItem(States.Array(1, 2), 5))",
        "States.ArrayGetItem",
        "argument 2 (`index`) is 5, but the array has 2 items (indexes 0 to 1)",
    );
    assert_syntax_error(
        "States.StringToJson('{oops')",
        "States",
        "argument 1 (`text`) must hold JSON text",
    );
    assert_syntax_error(
        "States.MathRandom(3, 3, 7)",
        "States",
        "must be less than the end",
    );
    // A random argument may or may not break a limit, unless it is seeded.
    parse("States.MathAdd(States.MathRandom(0, 3000000000), 1)");
    assert_syntax_error(
        "States.MathAdd(States.MathRandom(3000000000, 3000000001, 1), 1)",
        "States.MathAdd",
        "argument 1 (`first`) must be between",
    );
    parse("States.MathRandom(1, 10)");
    parse("States.Format('{}', States.UUID())");
}

#[test]
fn malformed_text_is_reported_where_it_goes_wrong() {
    let cases = [
        (
            "States.Format('abc",
            "'abc",
            "unterminated string: it has no closing quote `'`",
        ),
        ("States.Format('abc\\'", "'abc", "unterminated string"),
        (
            "States.Format('abc\\",
            "\\",
            "dangling `\\` at the end of the text",
        ),
        ("States.Format('a\\nb')", "\\n", "`\\n` is not an escape"),
        (
            "States.UUID() x",
            "x",
            "unexpected `x` after the end of the call",
        ),
        (
            "States.UUID()States.Array()",
            "States.Array",
            "after the end of the call",
        ),
        (
            "States.UUID",
            "",
            "expected `(` after the function name `States.UUID`",
        ),
        (
            "States.UUID ()",
            " ",
            "expected `(` right after `States.UUID`, without a space",
        ),
        ("States.Array(1,)", ")", "expected an argument after `,`"),
        (
            "States.Array(1 2)",
            "2",
            "expected `,` or `)` after argument 1 of States.Array, found `2`",
        ),
        ("States.Array(1", "", "unclosed call to States.Array"),
        ("States.Array(\"a\")", "\"", "written in single quotes"),
        ("States.Array(1e)", "1e", "`1e` is not a valid number"),
        ("States.Array(-)", "-", "`-` is not a valid number"),
        ("States.Array(1e999)", "1e999", "not a valid number"),
        (
            "States.Array(yes)",
            "yes",
            "unexpected `yes`; strings are written in single quotes ('yes')",
        ),
        (
            "States.Array(States.UUID)",
            "States.UUID",
            "`States.UUID` is a function; call it with parentheses",
        ),
        ("States.Array(#)", "#", "expected an argument"),
        (
            "States.Array($.a[)",
            ")",
            "invalid path: unexpected `)` in brackets",
        ),
        (
            "States.Array($.)",
            ")",
            "invalid path: expected a field name after `.`",
        ),
        ("", "", "expected an intrinsic function call"),
        ("   ", "", "expected an intrinsic function call"),
        ("$.a", "$", "expected the name of an intrinsic function"),
        ("'text'", "'", "expected the name of an intrinsic function"),
    ];
    for (text, at, message) in cases {
        if at.is_empty() {
            let error = syntax_error(text);
            assert_eq!(error.offset, text.chars().count(), "{error}");
            assert!(error.message.contains(message), "{error}");
        } else {
            assert_syntax_error(text, at, message);
        }
    }
}

#[test]
fn syntax_errors_display_the_text_and_offset() {
    let error = syntax_error("States.MathAdd(1)");
    assert_eq!(
        error.to_string(),
        "invalid intrinsic function call `States.MathAdd(1)`: States.MathAdd takes 2 \
         arguments, found 1; write it as `States.MathAdd(first, second)` (at character 16)"
    );
    // Offsets count characters, not bytes.
    let error = syntax_error("States.Format('é {}')");
    assert_eq!(error.offset, 14);
}

// ----- the functions -----

#[test]
fn format() {
    assert_eq!(
        eval(
            "States.Format('Hello, my name is {}.', $.name)",
            json!({"name": "Arnav"})
        ),
        json!("Hello, my name is Arnav.")
    );
    assert_eq!(
        eval(
            "States.Format('{} {} {} {} {}', $.s, $.i, $.f, $.b, $.n)",
            json!({"s": "text", "i": 42, "f": 1.5, "b": true, "n": null})
        ),
        json!("text 42 1.5 true null")
    );
    assert_eq!(
        eval("States.Format('no placeholders')", json!({})),
        json!("no placeholders")
    );
    assert_eq!(
        eval("States.Format('{}{}', 1, 'a')", json!({})),
        json!("1a")
    );
    // A template from the data: `{}` are placeholders, nothing is escaped.
    assert_eq!(
        eval("States.Format($.t, $.v)", json!({"t": "\\{ {} }", "v": 3})),
        json!("\\{ 3 }")
    );
}

#[test]
fn format_failures() {
    assert_eq!(
        failure("States.Format($.t, $.v)", json!({"t": "{} {}", "v": 1})),
        "States.Format: the template has 2 placeholders `{}` but 1 value follows it; \
         each `{}` takes exactly one value"
    );
    assert!(
        failure("States.Format($.t)", json!({"t": 5}))
            .contains("argument 1 (`template`) must be a string, found a number")
    );
}

#[test]
fn format_writes_objects_and_arrays_as_aws_does() {
    // Recorded on AWS: an object argument gives `{Arg1=1, Arg2=[]}`.
    assert_eq!(
        eval(
            "States.Format('{}', $.v)",
            json!({"v": {"Arg1": 1, "Arg2": []}})
        ),
        json!("{Arg1=1, Arg2=[]}")
    );
    assert_eq!(
        eval(
            "States.Format('x {} y', $.v)",
            json!({"v": [1, "a", null, true, {"k": [2.5]}]})
        ),
        json!("x [1, a, null, true, {k=[2.5]}] y")
    );
    assert_eq!(
        eval("States.Format('{}', $.v)", json!({"v": {}})),
        json!("{}")
    );
}

#[test]
fn string_to_json_and_back() {
    assert_eq!(
        eval(
            "States.StringToJson($.someString)",
            json!({"someString": "{\"number\": 20}"})
        ),
        json!({"number": 20})
    );
    assert_eq!(
        eval("States.StringToJson('[1, \"a\"]')", json!({})),
        json!([1, "a"])
    );
    assert_eq!(eval("States.StringToJson('  7 ')", json!({})), json!(7));
    assert_eq!(
        eval(
            "States.JsonToString($.someJson)",
            json!({"someJson": {"name": "Foo", "year": 2020}})
        ),
        json!("{\"name\":\"Foo\",\"year\":2020}")
    );
    assert_eq!(
        eval("States.JsonToString($.s)", json!({"s": "x"})),
        json!("\"x\"")
    );
    assert_eq!(
        eval(
            "States.StringToJson(States.JsonToString($))",
            json!({"b": 1, "a": [true, null]})
        ),
        json!({"b": 1, "a": [true, null]})
    );
    assert!(
        failure("States.StringToJson($.s)", json!({"s": "{bad"}))
            .starts_with("States.StringToJson: argument 1 (`text`) must hold JSON text:")
    );
    // Recorded on AWS: empty text and white space are null, `-0` is 0.
    assert_eq!(
        eval("States.StringToJson($.s)", json!({"s": ""})),
        json!(null)
    );
    assert_eq!(
        eval("States.StringToJson($.s)", json!({"s": " "})),
        json!(null)
    );
    assert_eq!(
        eval("States.StringToJson($.s)", json!({"s": "-0"})),
        json!(0)
    );
    assert_eq!(
        eval(
            "States.JsonToString(States.StringToJson($.s))",
            json!({"s": "-0"})
        ),
        json!("0")
    );
    assert!(
        failure("States.StringToJson($.s)", json!({"s": {"a": 1}}))
            .contains("must be a string, found an object")
    );
}

#[test]
fn array() {
    assert_eq!(
        eval(
            "States.Array('Foo', 2020, $.someJson, null)",
            json!({"someJson": {"random": "abcdefg"}})
        ),
        json!(["Foo", 2020, {"random": "abcdefg"}, null])
    );
    assert_eq!(eval("States.Array()", json!({})), json!([]));
    assert_eq!(
        eval(
            "States.Array($.items[*].id)",
            json!({"items": [{"id": 1}, {"id": 2}]})
        ),
        json!([[1, 2]])
    );
}

#[test]
fn array_partition() {
    assert_eq!(
        eval(
            "States.ArrayPartition($.a, 4)",
            json!({"a": [1, 2, 3, 4, 5, 6, 7]})
        ),
        json!([[1, 2, 3, 4], [5, 6, 7]])
    );
    assert_eq!(
        eval("States.ArrayPartition($.a, 2)", json!({"a": [1, 2, 3, 4]})),
        json!([[1, 2], [3, 4]])
    );
    assert_eq!(
        eval("States.ArrayPartition($.a, 3)", json!({"a": []})),
        json!([])
    );
    // A fraction is rounded: 2.5 gives chunks of 3.
    assert_eq!(
        eval(
            "States.ArrayPartition($.a, $.n)",
            json!({"a": [1, 2, 3, 4], "n": 2.5})
        ),
        json!([[1, 2, 3], [4]])
    );
    assert_eq!(
        failure("States.ArrayPartition($.a, $.n)", json!({"a": [1], "n": 0})),
        "States.ArrayPartition: argument 2 (`size`) must be a positive integer, found 0"
    );
    assert!(
        failure(
            "States.ArrayPartition($.a, $.n)",
            json!({"a": [1], "n": -3})
        )
        .contains("must be a positive integer, found -3")
    );
    assert!(
        failure("States.ArrayPartition($.a, 2)", json!({"a": "x"}))
            .contains("argument 1 (`array`) must be an array, found a string")
    );
    let big = json!({"a": vec!["x".repeat(1000); 300]});
    assert!(
        failure("States.ArrayPartition($.a, 2)", big)
            .contains("is too large: its JSON text is over the limit of 256 KiB")
    );
}

#[test]
fn array_contains() {
    let data = json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "lookingFor": 5});
    assert_eq!(
        eval("States.ArrayContains($.inputArray, $.lookingFor)", data),
        json!(true)
    );
    assert_eq!(
        eval("States.ArrayContains($.a, 10)", json!({"a": [1, 2]})),
        json!(false)
    );
    assert_eq!(
        eval("States.ArrayContains($.a, 2)", json!({"a": [1, 2.0]})),
        json!(true)
    );
    assert_eq!(
        eval("States.ArrayContains($.a, '2')", json!({"a": [1, 2]})),
        json!(false)
    );
    assert_eq!(
        eval(
            "States.ArrayContains($.a, $.o)",
            json!({"a": [{"x": 1, "y": [2]}], "o": {"y": [2], "x": 1}})
        ),
        json!(true)
    );
    assert_eq!(
        eval("States.ArrayContains($.a, null)", json!({"a": [null]})),
        json!(true)
    );
    assert!(
        failure("States.ArrayContains($.a, 1)", json!({"a": {"k": 1}}))
            .contains("must be an array, found an object")
    );
}

#[test]
fn array_range() {
    assert_eq!(
        eval("States.ArrayRange(1, 9, 2)", json!({})),
        json!([1, 3, 5, 7, 9])
    );
    assert_eq!(
        eval("States.ArrayRange(1, 10, 2)", json!({})),
        json!([1, 3, 5, 7, 9])
    );
    assert_eq!(eval("States.ArrayRange(0, 0, 1)", json!({})), json!([0]));
    assert_eq!(
        eval("States.ArrayRange(9, 1, -4)", json!({})),
        json!([9, 5, 1])
    );
    assert_eq!(eval("States.ArrayRange(5, 1, 1)", json!({})), json!([]));
    assert_eq!(
        eval("States.ArrayRange(1.4, 2.6, 1)", json!({})),
        json!([1, 2, 3])
    );
    assert_eq!(
        eval("States.ArrayRange($.s, $.e, 1)", json!({"s": -2, "e": 1})),
        json!([-2, -1, 0, 1])
    );
    let thousand = eval("States.ArrayRange(1, 1000, 1)", json!({}));
    assert_eq!(thousand.as_array().map(Vec::len), Some(1000));
    assert_eq!(
        eval(
            "States.ArrayLength(States.ArrayRange($.s, $.e, $.step))",
            json!({"s": i64::MIN, "e": i64::MAX, "step": i64::MAX})
        ),
        json!(3)
    );
    assert_eq!(
        failure("States.ArrayRange(1, $.e, 1)", json!({"e": 1001})),
        "States.ArrayRange: from 1 to 1001 in steps of 1 gives 1001 items, more than the limit of 1000"
    );
    assert!(
        failure("States.ArrayRange(1, 2, $.step)", json!({"step": 0}))
            .contains("argument 3 (`step`) must not be 0")
    );
    assert!(
        failure("States.ArrayRange($.s, 2, 1)", json!({"s": "1"}))
            .contains("argument 1 (`start`) must be an integer, found a string")
    );
    assert!(
        failure("States.ArrayRange($.s, 2, 1)", json!({"s": 1e300})).contains("which is too large")
    );
}

#[test]
fn array_get_item() {
    let data = json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "index": 5});
    assert_eq!(
        eval("States.ArrayGetItem($.inputArray, $.index)", data),
        json!(6)
    );
    assert_eq!(
        eval(
            "States.ArrayGetItem($.a, 1.0)",
            json!({"a": ["x", {"y": 1}]})
        ),
        json!({"y": 1})
    );
    assert_eq!(
        failure("States.ArrayGetItem($.a, 3)", json!({"a": [1, 2, 3]})),
        "States.ArrayGetItem: argument 2 (`index`) is 3, but the array has 3 items (indexes 0 to 2)"
    );
    assert!(
        failure("States.ArrayGetItem($.a, 0)", json!({"a": []}))
            .contains("is 0, but the array is empty")
    );
    assert!(
        failure("States.ArrayGetItem($.a, 1)", json!({"a": [7]}))
            .contains("is 1, but the array has 1 item (index 0)")
    );
    assert!(
        failure("States.ArrayGetItem($.a, $.i)", json!({"a": [1], "i": -1}))
            .contains("must not be negative, found -1")
    );
    assert!(
        failure("States.ArrayGetItem($.a, $.i)", json!({"a": [1], "i": 0.5}))
            .contains("must be a whole number, found 0.5")
    );
    assert!(
        failure("States.ArrayGetItem($.a, $.i)", json!({"a": [1], "i": "0"}))
            .contains("must be an integer, found a string")
    );
}

#[test]
fn array_length_and_unique() {
    assert_eq!(
        eval(
            "States.ArrayLength($.inputArray)",
            json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9]})
        ),
        json!(9)
    );
    assert_eq!(eval("States.ArrayLength($.a)", json!({"a": []})), json!(0));
    assert!(
        failure("States.ArrayLength($.a)", json!({"a": null}))
            .contains("States.ArrayLength: argument 1 (`array`) must be an array, found null")
    );
    assert_eq!(
        eval(
            "States.ArrayUnique($.inputArray)",
            json!({"inputArray": [1, 2, 3, 3, 3, 3, 3, 3, 4]})
        ),
        json!([1, 2, 3, 4])
    );
    assert_eq!(
        eval(
            "States.ArrayUnique($.a)",
            json!({"a": [3, "3", 1, 3.0, {"a": 1, "b": 2}, {"b": 2, "a": 1}, [1], [1], null, null]})
        ),
        json!([3, "3", 1, {"a": 1, "b": 2}, [1], null])
    );
    assert!(failure("States.ArrayUnique($.a)", json!({"a": "x"})).contains("must be an array"));
}

#[test]
fn base64_round_trip() {
    assert_eq!(
        eval(
            "States.Base64Encode($.input)",
            json!({"input": "Data to encode"})
        ),
        json!("RGF0YSB0byBlbmNvZGU=")
    );
    assert_eq!(
        eval(
            "States.Base64Decode($.base64)",
            json!({"base64": "RGF0YSB0byBlbmNvZGU="})
        ),
        json!("Data to encode")
    );
    assert_eq!(
        eval("States.Base64Encode('héllo ✓')", json!({})),
        json!("aMOpbGxvIOKckw==")
    );
    assert_eq!(eval("States.Base64Encode('a')", json!({})), json!("YQ=="));
    assert_eq!(eval("States.Base64Encode('')", json!({})), json!(""));
    assert_eq!(
        eval(
            "States.Base64Decode(States.Base64Encode($.s))",
            json!({"s": "round ✓ trip"})
        ),
        json!("round ✓ trip")
    );
    assert_eq!(
        eval(
            "States.Base64Decode($.b)",
            json!({"b": "RGF0YSB0\r\nbyBlbmNvZGU="})
        ),
        json!("Data to encode")
    );
}

#[test]
fn base64_failures() {
    let long = json!({"s": "é".repeat(10_001)});
    assert_eq!(
        failure("States.Base64Encode($.s)", long.clone()),
        "States.Base64Encode: argument 1 (`text`) is too long: 10001 characters, more than \
         the limit of 10,000"
    );
    assert!(failure("States.Base64Decode($.s)", long).contains("is too long"));
    // The limit counts characters, not bytes.
    eval("States.Base64Encode($.s)", json!({"s": "é".repeat(10_000)}));
    assert!(
        failure("States.Base64Decode($.b)", json!({"b": "RGF0YQ"}))
            .contains("argument 1 (`base64`) is not valid Base64")
    );
    assert!(
        failure("States.Base64Decode($.b)", json!({"b": "/w=="}))
            .contains("decodes to bytes that are not UTF-8 text")
    );
    assert!(failure("States.Base64Encode($.b)", json!({"b": 1})).contains("must be a string"));
}

#[test]
fn hash() {
    // Expected digests computed independently (Python's hashlib).
    let digests = [
        ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
        ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
        (
            "SHA-256",
            "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3",
        ),
        (
            "SHA-384",
            "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562",
        ),
        (
            "SHA-512",
            "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4",
        ),
    ];
    for (algorithm, digest) in digests {
        assert_eq!(
            eval(
                "States.Hash($.Data, $.Algorithm)",
                json!({"Data": "input data", "Algorithm": algorithm})
            ),
            json!(digest),
            "{algorithm}"
        );
    }
    assert_eq!(
        eval("States.Hash('input data', 'SHA-384')", json!({})),
        json!(digests[3].1)
    );
    // Non-strings are hashed as their compact JSON text.
    assert_eq!(
        eval(
            "States.Hash($.v, 'SHA-256')",
            json!({"v": {"a": 1, "b": [1, 2]}})
        ),
        json!("8baa73198470c7bb4c3ce142a8fd651affc0310d878bb9bd159e37a573fb4874")
    );
    assert_eq!(
        eval("States.Hash($.v, 'MD5')", json!({"v": "héllo ✓"})),
        json!("21b1ae5bc147bb564254200a4731e337")
    );
}

#[test]
fn hash_failures() {
    assert_eq!(
        failure("States.Hash($.d, $.a)", json!({"d": "x", "a": "SHA-3"})),
        "States.Hash: argument 2 (`algorithm`) must be one of MD5, SHA-1, SHA-256, SHA-384 \
         or SHA-512, found `SHA-3`"
    );
    assert!(
        failure("States.Hash($.d, 'MD5')", json!({"d": "x".repeat(10_001)}))
            .contains("argument 1 (`data`) is too long: 10001 characters")
    );
    assert!(
        failure(
            "States.Hash($.d, 'MD5')",
            json!({"d": vec!["xxxxxxxx"; 1200]})
        )
        .contains("is too long: its JSON text has 13201 characters")
    );
    assert!(
        failure("States.Hash($.d, $.a)", json!({"d": "x", "a": 256}))
            .contains("must be a string, found a number")
    );
}

#[test]
fn json_merge() {
    let data = json!({
        "json1": {"a": {"a1": 1, "a2": 2}, "b": 2},
        "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}
    });
    assert_eq!(
        eval("States.JsonMerge($.json1, $.json2, false)", data),
        json!({"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3})
    );
    // The first object's key order is kept; new keys follow.
    let merged = eval(
        "States.JsonMerge($.x, $.y, false)",
        json!({"x": {"z": 1, "a": 2}, "y": {"a": 3, "m": 4}}),
    );
    let keys: Vec<_> = merged
        .as_object()
        .into_iter()
        .flat_map(|o| o.keys())
        .collect();
    assert_eq!(keys, ["z", "a", "m"]);
    assert!(
        failure(
            "States.JsonMerge($.x, $.y, false)",
            json!({"x": {}, "y": [1]})
        )
        .contains("argument 2 (`second`) must be an object, found an array")
    );
    assert!(
        failure(
            "States.JsonMerge($.x, $.y, $.deep)",
            json!({"x": {}, "y": {}, "deep": true})
        )
        .contains("only a shallow merge is supported")
    );
}

#[test]
fn math_add() {
    assert_eq!(
        eval(
            "States.MathAdd($.value1, $.step)",
            json!({"value1": 111, "step": -1})
        ),
        json!(110)
    );
    assert_eq!(eval("States.MathAdd(1.5, 1.4)", json!({})), json!(3));
    // Halves round up, as AWS rounds them (recorded on AWS: -1.5 gives -1).
    assert_eq!(eval("States.MathAdd(-1.5, 0)", json!({})), json!(-1));
    assert_eq!(eval("States.MathAdd(-2.5, 0)", json!({})), json!(-2));
    assert_eq!(eval("States.MathAdd(2.5, 0)", json!({})), json!(3));
    assert_eq!(eval("States.MathAdd(-2.6, 0)", json!({})), json!(-3));
    // The sum is a 32-bit integer too: one that does not fit fails.
    assert_eq!(
        eval("States.MathAdd(2147483646, 1)", json!({})),
        json!(2_147_483_647)
    );
    assert_eq!(
        eval("States.MathAdd(-2147483647, -1)", json!({})),
        json!(-2_147_483_648_i64)
    );
    assert_eq!(
        failure("States.MathAdd(2147483647, $.b)", json!({"b": 1})),
        "States.MathAdd: the sum of 2147483647 and 1 is not a 32-bit integer"
    );
    assert_eq!(
        eval_error("States.MathAdd(-2147483648, $.b)", json!({"b": -1})).cause(),
        "Invalid arguments in States.MathAdd"
    );
    assert_eq!(
        failure("States.MathAdd($.a, 1)", json!({"a": 2147483648_i64})),
        "States.MathAdd: argument 1 (`first`) must be between -2147483648 and 2147483647 \
         (a 32-bit integer), found 2147483648"
    );
    assert!(
        failure("States.MathAdd($.a, 1)", json!({"a": "1"}))
            .contains("argument 1 (`first`) must be an integer, found a string")
    );
    assert!(
        failure("States.MathAdd(1, $.b)", json!({"b": 2147483647.6}))
            .contains("argument 2 (`second`) must be between")
    );
}

#[test]
fn math_random() {
    for _ in 0..200 {
        let value = eval(
            "States.MathRandom($.start, $.end)",
            json!({"start": 1, "end": 4}),
        );
        let number = value.as_i64().unwrap_or_default();
        assert!((1..4).contains(&number), "{value}");
    }
    let seen: HashSet<_> = (0..200)
        .map(|_| eval("States.MathRandom(0, 3)", json!({})).to_string())
        .collect();
    assert_eq!(seen.len(), 3, "{seen:?}");
    // Only one value in the range.
    assert_eq!(eval("States.MathRandom(-5, -4)", json!({})), json!(-5));

    let seeded = |seed: i64| {
        eval(
            "States.MathRandom(0, 1000000, $.seed)",
            json!({"seed": seed}),
        )
    };
    assert_eq!(seeded(42), seeded(42));
    let distinct: HashSet<_> = (0..20).map(|seed| seeded(seed).to_string()).collect();
    assert!(distinct.len() > 1);

    assert_eq!(
        failure("States.MathRandom($.s, $.e)", json!({"s": 5, "e": 5})),
        "States.MathRandom: the start (argument 1) must be less than the end (argument 2), \
         which is excluded; found 5 and 5"
    );
    assert!(
        failure("States.MathRandom($.s, 10)", json!({"s": "1"}))
            .contains("argument 1 (`start`) must be an integer")
    );
    assert!(
        failure("States.MathRandom(1, 10, $.seed)", json!({"seed": []}))
            .contains("argument 3 (`seed`) must be an integer, found an array")
    );
}

#[test]
fn string_split() {
    assert_eq!(
        eval(
            "States.StringSplit($.inputString, $.splitter)",
            json!({"inputString": "1,2,3,4,5", "splitter": ","})
        ),
        json!(["1", "2", "3", "4", "5"])
    );
    assert_eq!(
        eval(
            "States.StringSplit($.inputString, $.splitter)",
            json!({"inputString": "This.is+a,test=string", "splitter": ".+,="})
        ),
        json!(["This", "is", "a", "test", "string"])
    );
    // Empty pieces are left out.
    assert_eq!(
        eval("States.StringSplit(',a,,b,', ',')", json!({})),
        json!(["a", "b"])
    );
    assert_eq!(eval("States.StringSplit('', ',')", json!({})), json!([]));
    assert_eq!(
        eval("States.StringSplit('abc', ',')", json!({})),
        json!(["abc"])
    );
    assert_eq!(
        eval("States.StringSplit('a→b→c', '→')", json!({})),
        json!(["a", "b", "c"])
    );
    assert!(
        failure("States.StringSplit($.s, ',')", json!({"s": 5}))
            .contains("argument 1 (`text`) must be a string, found a number")
    );
    assert!(
        failure("States.StringSplit('a', $.d)", json!({"d": ""}))
            .contains("argument 2 (`delimiters`) must hold at least one delimiter character")
    );
}

#[test]
fn uuid_is_random_version_4() {
    let mut seen = HashSet::new();
    for _ in 0..50 {
        let value = eval("States.UUID()", json!({}));
        let text = value.as_str().unwrap_or_default().to_string();
        assert_eq!(text.len(), 36, "{text}");
        let groups: Vec<_> = text.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "{text}");
        assert!(
            text.chars()
                .all(|c| c == '-' || matches!(c, '0'..='9' | 'a'..='f'))
        );
        assert_eq!(&text[14..15], "4", "version nibble of {text}");
        assert!(
            matches!(&text[19..20], "8" | "9" | "a" | "b"),
            "variant of {text}"
        );
        seen.insert(text);
    }
    assert_eq!(seen.len(), 50);
}

// ----- run-time errors -----

#[test]
fn missing_paths_are_runtime_errors() {
    let error = eval_error("States.MathAdd($.a, $.missing)", json!({"a": 1}));
    assert_eq!(error.error_name(), "States.Runtime");
    assert_eq!(error.function(), "States.MathAdd");
    match &error {
        IntrinsicError::PathNotFound { function, no_match } => {
            assert_eq!(*function, "States.MathAdd");
            assert_eq!(no_match.path, "$.missing");
        }
        other => panic!("expected PathNotFound, got {other:?}"),
    }
    assert_eq!(
        error.cause(),
        "States.MathAdd: the path `$.missing` matches nothing: `$` has no field `missing`"
    );
    // Inside a nested call, the innermost function is named.
    let error = eval_error(
        "States.Format('{}', States.ArrayLength($.x.y))",
        json!({"x": {}}),
    );
    assert_eq!(error.function(), "States.ArrayLength");
    // The context object is read with `$$`.
    assert_eq!(
        eval("States.Format('run {}', $$.Execution.Name)", json!({})),
        json!("run run-1")
    );
    let error = eval_error("States.Format('{}', $$.Task.Token)", json!({}));
    assert_eq!(error.error_name(), "States.Runtime");
}

#[test]
fn indefinite_paths_give_arrays() {
    assert_eq!(
        eval(
            "States.ArrayLength($.items[*].id)",
            json!({"items": [{"id": 1}, {"x": 2}, {"id": 3}]})
        ),
        json!(2)
    );
    assert_eq!(
        eval("States.ArrayLength($..nothing)", json!({"a": 1})),
        json!(0)
    );
}

#[test]
fn failures_name_the_function_and_argument() {
    let error = eval_error("States.ArrayLength($.a)", json!({"a": 1}));
    assert_eq!(
        error,
        IntrinsicError::Failure {
            function: "States.ArrayLength",
            message: "argument 1 (`array`) must be an array, found a number".to_string(),
        }
    );
    assert_eq!(error.error_name(), "States.Runtime");
    assert_eq!(
        error.to_string(),
        "States.ArrayLength: argument 1 (`array`) must be an array, found a number"
    );
    assert_eq!(error.cause(), "Invalid arguments in States.ArrayLength");
}

#[test]
fn checking_agrees_with_parsing() {
    for text in [
        "States.Format('{} and {}', $.a, States.ArrayGetItem($.list, 0))",
        "States.Format('{}', $.a, $.b)",
        "States.Format('lone { brace', $.a)",
        "States.MathAdd($.a, 1)",
        "States.MathAdd($.a, 'one')",
        "States.MathRandom(10, 1)",
        "States.ArrayRange(1, 5000, 1)",
        "States.ArrayLength(States.Array(1, 2, States.MathAdd(1, 2)))",
        "States.Hash($.data, 'SHA-999')",
        "States.JsonMerge($.a, $.b, true)",
        "States.Array($[?(@.x > 1)], $$.Execution.Name, 'it\\'s', null, true)",
        "States.Array($.a[)",
        "States.Formt('x')",
        "States.UUID(1)",
        "States.StringToJson(States.JsonToString($.x))",
        "States.ArrayGetItem(States.Array(1, 2), 5)",
        "States.Base64Decode('not base64!')",
    ] {
        let parsed = IntrinsicCall::parse(text).map(|call| call.function());
        assert_eq!(IntrinsicCall::check(text), parsed, "{text}");
    }
}

#[test]
fn arguments_read_variables() {
    use crate::budget::Budget;
    use crate::path::Roots;

    let mut variables = serde_json::Map::new();
    variables.insert("x".to_string(), json!(40));
    variables.insert("name".to_string(), json!({"first": "Ada"}));
    let data = json!({"y": 2});
    let roots = Roots::new(&data, &Value::Null).with_variables(&variables);
    let call = IntrinsicCall::parse("States.MathAdd($x, $.y)").unwrap();
    assert_eq!(call.evaluate_in(roots, &Budget::default()), Ok(json!(42)));
    let call = IntrinsicCall::parse("States.Format('Hello, {}!', $name.first)").unwrap();
    assert_eq!(
        call.evaluate_in(roots, &Budget::default()),
        Ok(json!("Hello, Ada!"))
    );
}

/// Answers AWS gave, as recorded in LocalStack's snapshot files of its
/// intrinsic function tests (`tests/aws/services/stepfunctions/v2/
/// intrinsic_functions/*.snapshot.json`); the fidelity cases under
/// `tests/fidelity/cases/intrinsic/` run the same facts through the engine.
#[test]
fn answers_as_recorded_on_aws() {
    let split = "States.StringSplit($.text, $.delimiters)";
    for (text, delimiters, pieces) in [
        (" ", ",", json!([" "])),
        (", , ,", ",", json!([" ", " "])),
        (",,,,", ",", json!([])),
        (
            "This.is+a,test=string",
            ".+,=",
            json!(["This", "is", "a", "test", "string"]),
        ),
        (
            "split on T and \nnew line",
            "T\n",
            json!(["split on ", " and ", "new line"]),
        ),
    ] {
        let data = json!({"text": text, "delimiters": delimiters});
        assert_eq!(eval(split, data), pieces, "{text:?} at {delimiters:?}");
    }
    let format = "States.Format('fst={} and snd={}.', $.fst, $.snd)";
    for (value, written) in [
        (json!(null), "null"),
        (json!(1.1), "1.1"),
        (
            json!("{\"Arg1\": 1, \"Arg2\": []}"),
            "{\"Arg1\": 1, \"Arg2\": []}",
        ),
        (json!({"Arg1": 1, "Arg2": []}), "{Arg1=1, Arg2=[]}"),
    ] {
        let data = json!({"fst": value, "snd": value});
        assert_eq!(
            eval(format, data),
            json!(format!("fst={written} and snd={written}.")),
        );
    }
    for (text, value) in [
        ("", json!(null)),
        (" ", json!(null)),
        ("null", json!(null)),
        ("-0", json!(0)),
        ("1.1", json!(1.1)),
        ("\"HelloWorld\"", json!("HelloWorld")),
    ] {
        let data = json!({"text": text});
        assert_eq!(eval("States.StringToJson($.text)", data), value, "{text:?}");
    }
    for (value, text) in [
        (json!(null), "null"),
        (json!("HelloWorld"), "\"HelloWorld\""),
        (json!({"Arg1": 1, "Arg2": []}), "{\"Arg1\":1,\"Arg2\":[]}"),
    ] {
        let data = json!({"value": value});
        assert_eq!(eval("States.JsonToString($.value)", data), json!(text));
    }
    let contains = "States.ArrayContains($.array, $.value)";
    for (array, value, found) in [
        (json!([]), json!(null), false),
        (json!([[1, 2, 3], 2]), json!(null), false),
        (json!([[1, 2, 3], 2]), json!([1, 2, 3]), true),
        (json!([{"1": 2, "2": []}]), json!([]), false),
        (json!([true, false]), json!(false), true),
    ] {
        let data = json!({"array": array, "value": value});
        assert_eq!(eval(contains, data), json!(found));
    }
    // Each operand is rounded to the nearest integer, halves up.
    let add = "States.MathAdd($.a, $.b)";
    for (a, b, sum) in [
        (1.49, 1.5, 3),
        (-1.49, -1.5, -2),
        (-1.5, -1.51, -3),
        (0.5, 0.0, 1),
        (2.5, 0.0, 3),
        (-0.5, 0.5, 1),
        (-2.5, 0.0, -2),
        (-3.5, 0.0, -3),
    ] {
        assert_eq!(eval(add, json!({"a": a, "b": b})), json!(sum), "{a} + {b}");
    }
    let range = "States.ArrayRange($.start, $.end, $.step)";
    for (start, end, step, items) in [(0, 10, 3, json!([0, 3, 6, 9])), (1, 9, 9, json!([1]))] {
        let data = json!({"start": start, "end": end, "step": step});
        assert_eq!(eval(range, data), items);
    }
    assert_eq!(
        eval(
            "States.ArrayPartition($.array, $.size)",
            json!({"array": [0, 1, 2, 3], "size": 5})
        ),
        json!([[0, 1, 2, 3]])
    );
    assert_eq!(eval("States.Array()", json!({})), json!([]));
    assert_eq!(
        eval("States.Hash($.data, 'MD5')", json!({"data": "input data"})),
        json!("812f45842bc6d66ee14572ce20db8e86")
    );
    // A string literal outside States.Format may hold unescaped braces and
    // double quotes.
    assert_eq!(
        eval(
            "States.StringToJson('{\"constant_in_literal\": \"false\"}')",
            json!({})
        ),
        json!({"constant_in_literal": "false"})
    );
}
