use crate::budget::Budget;
use serde_json::{Value, json};

use super::*;

fn store() -> Value {
    json!({
        "store": {
            "book": [
                {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
                {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
                {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
                {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
            ],
            "bicycle": {"color": "red", "price": 19.95}
        },
        "expensive": 10
    })
}

fn select(path: &str, data: &Value) -> Value {
    Path::parse(path)
        .unwrap_or_else(|e| panic!("{e}"))
        .select(data, &json!({"Execution": {"Name": "exec"}}))
        .unwrap_or_else(|e| panic!("{e}"))
        .into_value()
}

fn syntax_error(path: &str) -> PathSyntaxError {
    match Path::parse(path) {
        Ok(parsed) => panic!("`{path}` parsed as {parsed:?}"),
        Err(e) => e,
    }
}

#[test]
fn root_selects_everything() {
    let data = json!({"a": 1});
    assert_eq!(select("$", &data), data);
}

#[test]
fn dot_and_bracket_names() {
    let data = store();
    assert_eq!(select("$.store.bicycle.color", &data), json!("red"));
    assert_eq!(
        select("$['store']['bicycle']['color']", &data),
        json!("red")
    );
    assert_eq!(
        select("$[\"store\"].bicycle[\"price\"]", &data),
        json!(19.95)
    );
    assert_eq!(select("$['a b']", &json!({"a b": 1})), json!(1));
    assert_eq!(select("$[\"it's\"]", &json!({"it's": 2})), json!(2));
    assert_eq!(select("$.error-info", &json!({"error-info": 3})), json!(3));
    assert_eq!(select("$.ünïcode", &json!({"ünïcode": 4})), json!(4));
}

#[test]
fn bracketed_names_keep_their_backslashes() {
    // Recorded on AWS: `$['Test\""Name"']` selects the field `Test\""Name"`.
    // A backslash keeps the quote after it from closing the name, and both
    // stay in the name.
    let data = json!({"Test\\\"\"Name\"": "Value\"\\"});
    assert_eq!(select(r#"$['Test\""Name"']"#, &data), json!("Value\"\\"));
    assert_eq!(select(r"$['it\'s']", &json!({r"it\'s": 2})), json!(2));
    assert_eq!(select(r#"$["a\"b"]"#, &json!({r#"a\"b"#: 3})), json!(3));
    assert_eq!(select(r"$['a\\b']", &json!({r"a\\b": 4})), json!(4));
    // A union of names reads each the same way.
    assert_eq!(
        select(r"$['a\'b','c']", &json!({r"a\'b": 1, "c": 2})),
        json!([1, 2])
    );
    let error = Path::parse(r"$['a\']")
        .map(|_| ())
        .expect_err("the escaped quote leaves the name open");
    assert!(error.message.contains("unclosed"), "{error}");
}

#[test]
fn indexes_count_from_either_end() {
    let data = store();
    assert_eq!(select("$.store.book[0].author", &data), json!("Nigel Rees"));
    assert_eq!(
        select("$.store.book[-1].author", &data),
        json!("J. R. R. Tolkien")
    );
    assert_eq!(select("$.store.book[-4].price", &data), json!(8.95));
}

#[test]
fn definite_paths_report_the_failing_step() {
    let data = json!({"a": {"b": [1, 2, 3]}});
    let path = Path::parse("$.a.b[3].c").unwrap();
    let err = path.select(&data, &Value::Null).unwrap_err();
    assert_eq!(err.path, "$.a.b[3].c");
    assert_eq!(
        err.reason,
        "index 3 is out of range for `$.a.b`, an array of 3 elements"
    );

    let err = Path::parse("$.a.x")
        .unwrap()
        .select(&data, &Value::Null)
        .unwrap_err();
    assert_eq!(err.reason, "`$.a` has no field `x`");

    let err = Path::parse("$.a.b.c")
        .unwrap()
        .select(&data, &Value::Null)
        .unwrap_err();
    assert_eq!(
        err.reason,
        "`$.a.b` is an array, not an object with a field `c`"
    );

    let err = Path::parse("$['a']['b'][0][1]")
        .unwrap()
        .select(&data, &Value::Null)
        .unwrap_err();
    assert_eq!(
        err.reason,
        "`$.a.b[0]` is a number, not an array to take element 1 of"
    );
    assert_eq!(
        err.to_string(),
        "the path `$['a']['b'][0][1]` matches nothing: `$.a.b[0]` is a number, not an array to take element 1 of"
    );
}

#[test]
fn wildcards_collect_children_in_order() {
    let data = store();
    assert_eq!(
        select("$.store.book[*].author", &data),
        json!([
            "Nigel Rees",
            "Evelyn Waugh",
            "Herman Melville",
            "J. R. R. Tolkien"
        ])
    );
    assert_eq!(select("$.store.bicycle.*", &data), json!(["red", 19.95]));
    assert_eq!(
        select("$.store.book[*].isbn", &data),
        json!(["0-553-21311-3", "0-395-19395-8"])
    );
    assert_eq!(select("$.missing[*]", &data), json!([]));
}

#[test]
fn deep_scan_visits_parents_before_children() {
    let data = store();
    assert_eq!(
        select("$..author", &data),
        json!([
            "Nigel Rees",
            "Evelyn Waugh",
            "Herman Melville",
            "J. R. R. Tolkien"
        ])
    );
    assert_eq!(
        select("$.store..price", &data),
        json!([8.95, 12.99, 8.99, 22.99, 19.95])
    );
    assert_eq!(select("$..book[2].title", &data), json!(["Moby Dick"]));
    assert_eq!(
        select("$..book[-1:].title", &data),
        json!(["The Lord of the Rings"])
    );
    let nested = json!({"a": {"a": {"a": 1}}});
    assert_eq!(
        select("$..a", &nested),
        json!([{"a": {"a": 1}}, {"a": 1}, 1])
    );
    assert_eq!(select("$..*", &json!({"x": [1]})), json!([[1], 1]));
}

#[test]
fn unions_and_slices() {
    let data = json!({"n": [0, 1, 2, 3, 4, 5], "o": {"a": 1, "b": 2, "c": 3}});
    assert_eq!(select("$.n[0,2,-1]", &data), json!([0, 2, 5]));
    assert_eq!(select("$.o['c','a']", &data), json!([3, 1]));
    assert_eq!(select("$.n[1:3]", &data), json!([1, 2]));
    assert_eq!(select("$.n[:2]", &data), json!([0, 1]));
    assert_eq!(select("$.n[-2:]", &data), json!([4, 5]));
    assert_eq!(select("$.n[4:100]", &data), json!([4, 5]));
    assert_eq!(select("$.n[::2]", &data), json!([0, 2, 4]));
    assert_eq!(select("$.n[::-2]", &data), json!([5, 3, 1]));
    assert_eq!(select("$.n[3:0:-1]", &data), json!([3, 2, 1]));
    assert_eq!(select("$.n[ 1 : 2 ]", &data), json!([1]));
    assert_eq!(select("$.o[1:2]", &data), json!([]));
    assert_eq!(select("$.n[1::9223372036854775807]", &data), json!([1]));
    assert_eq!(select("$.n[-1::-9223372036854775808]", &data), json!([5]));
    assert_eq!(select("$.n[-9223372036854775808:2]", &data), json!([0, 1]));
}

#[test]
fn filters_compare_numbers_strings_and_paths() {
    let data = store();
    assert_eq!(
        select("$.store.book[?(@.price < 10)].title", &data),
        json!(["Sayings of the Century", "Moby Dick"])
    );
    assert_eq!(
        select("$.store.book[?(@.price > $.expensive)].price", &data),
        json!([12.99, 22.99])
    );
    assert_eq!(
        select("$..book[?(@.isbn)].title", &data),
        json!(["Moby Dick", "The Lord of the Rings"])
    );
    assert_eq!(
        select("$..book[?(!@.isbn)].title", &data),
        json!(["Sayings of the Century", "Sword of Honour"])
    );
    assert_eq!(
        select(
            "$..book[?(@.category == 'fiction' && @.price <= 12.99)].author",
            &data
        ),
        json!(["Evelyn Waugh", "Herman Melville"])
    );
    assert_eq!(
        select(
            "$..book[?(@.author == \"Nigel Rees\" || (@.price >= 22))].price",
            &data
        ),
        json!([8.95, 22.99])
    );
    assert_eq!(
        select("$..book[?(@.category != 'fiction')].price", &data),
        json!([8.95])
    );
}

#[test]
fn filter_list_operators() {
    let data = json!({"items": [
        {"id": 1, "tags": ["a", "b"], "name": "x"},
        {"id": 2, "tags": [], "name": "yy"},
        {"id": 3, "tags": ["c"], "name": ""}
    ]});
    assert_eq!(
        select("$.items[?(@.id in [1, 3])].id", &data),
        json!([1, 3])
    );
    assert_eq!(select("$.items[?(@.id nin [1, 3])].id", &data), json!([2]));
    assert_eq!(
        select("$.items[?(@.tags subsetof ['a','b','c'])].id", &data),
        json!([1, 2, 3])
    );
    assert_eq!(
        select("$.items[?(@.tags anyof ['b','c'])].id", &data),
        json!([1, 3])
    );
    assert_eq!(
        select("$.items[?(@.tags noneof ['b','c'])].id", &data),
        json!([2])
    );
    assert_eq!(select("$.items[?(@.name size 2)].id", &data), json!([2]));
    assert_eq!(
        select("$.items[?(@.tags empty true)].id", &data),
        json!([2])
    );
    assert_eq!(
        select("$.items[?(@.name empty false)].id", &data),
        json!([1, 2])
    );
}

#[test]
fn filter_on_an_object_tests_the_object() {
    let data = json!({"shop": {"open": true, "name": "s"}});
    assert_eq!(
        select("$.shop[?(@.open == true)].name", &data),
        json!(["s"])
    );
    assert_eq!(select("$.shop[?(@.open == false)]", &data), json!([]));
}

#[test]
fn numbers_compare_by_value() {
    let data = json!({"n": [1, 1.0, 2, "1"]});
    assert_eq!(select("$.n[?(@ == 1)]", &data), json!([1, 1.0]));
    assert_eq!(select("$.n[?(@ >= 1.5)]", &data), json!([2]));
}

#[test]
fn context_paths_read_the_context_object() {
    let path = Path::parse("$$.Execution.Name").unwrap();
    assert_eq!(path.root(), Root::Context);
    assert_eq!(select("$$.Execution.Name", &json!({})), json!("exec"));
    assert_eq!(
        select("$$", &json!({})),
        json!({"Execution": {"Name": "exec"}})
    );
}

#[test]
fn definiteness() {
    for definite in ["$", "$$", "$.a", "$['a'][0]", "$.a[-1]"] {
        assert!(Path::parse(definite).unwrap().is_definite(), "{definite}");
    }
    for indefinite in [
        "$.a[*]",
        "$.a.*",
        "$..a",
        "$[0,1]",
        "$[0:1]",
        "$[?(@.a)]",
        "$['a','b']",
    ] {
        assert!(
            !Path::parse(indefinite).unwrap().is_definite(),
            "{indefinite}"
        );
    }
}

#[test]
fn syntax_errors_say_where_and_what() {
    let e = syntax_error("");
    assert_eq!(
        e.message,
        "a path cannot be empty; `$` selects all the data"
    );
    let e = syntax_error("a.b");
    assert_eq!(e.offset, 0);
    assert!(e.message.contains("starts with `$`"), "{e}");
    let e = syntax_error("$.a[");
    assert_eq!(e.offset, 4);
    let e = syntax_error("$.a b");
    assert_eq!(e.offset, 3);
    assert!(e.message.contains("['my field']"), "{e}");
    let e = syntax_error("$.");
    assert_eq!(e.message, "expected a field name after `.`");
    let e = syntax_error("$[1:2:0]");
    assert_eq!(e.message, "a slice step cannot be 0");
    let e = syntax_error("$.a.length()");
    assert!(e.message.contains("States.ArrayLength"), "{e}");
    let e = syntax_error("$[?(@.a =~ /x/)]");
    assert!(e.message.contains("not supported"), "{e}");
    let e = syntax_error("$[?(@.a = 1)]");
    assert_eq!(e.message, "`=` is not a comparison; write `==`");
    let e = syntax_error("$['a");
    assert!(e.message.contains("unclosed string"), "{e}");
    let e = syntax_error("$.a]");
    assert_eq!(e.offset, 3);
    assert_eq!(
        e.to_string(),
        "invalid path `$.a]`: unexpected `]`; a path continues with `.name`, `['name']`, `[index]`, `[*]` or `..name` (at character 3)"
    );
    let e = syntax_error("$[99999999999999999999]");
    assert_eq!(e.message, "index out of range");
}

#[test]
fn prefix_parsing_stops_where_the_path_ends() {
    let (path, used) = Path::parse_prefix("$.a['x,y'][0], 'rest')").unwrap();
    assert_eq!(path.as_str(), "$.a['x,y'][0]");
    assert_eq!(used, 13);
    let (path, used) = Path::parse_prefix("$$.Map.Item.Value)").unwrap();
    assert_eq!(path.as_str(), "$$.Map.Item.Value");
    assert_eq!(used, 17);
    let (path, _) = Path::parse_prefix("$[?(@.a, 1)]")
        .map(|(p, u)| (p.to_string(), u))
        .unwrap_or_else(|e| (e.to_string(), 0));
    assert!(path.contains("invalid path"), "{path}");
}

#[test]
fn paths_display_and_compare_as_written() {
    let a = Path::parse("$['a']").unwrap();
    let b = Path::parse("$.a").unwrap();
    assert_eq!(a.to_string(), "$['a']");
    assert_ne!(a, b);
    assert_eq!(a, "$['a']".parse::<Path>().unwrap());
}

#[test]
fn reference_paths_allow_names_and_indexes_only() {
    let path = ReferencePath::parse("$.a['b c'][2]").unwrap();
    assert_eq!(
        path.steps().collect::<Vec<_>>(),
        vec![
            ReferenceStep::Name("a"),
            ReferenceStep::Name("b c"),
            ReferenceStep::Index(2)
        ]
    );
    for (text, what, offset) in [
        ("$.a[*]", "a wildcard `*`", 3),
        ("$.a..b", "a deep scan `..`", 3),
        ("$.a[-1]", "a negative index", 3),
        ("$.a[0,1]", "a union", 3),
        ("$.a[0:1]", "a slice", 3),
        ("$.a[?(@.b)]", "a filter", 3),
    ] {
        let err = ReferencePath::parse(text).unwrap_err();
        assert!(
            err.message.ends_with(&format!("not {what}")),
            "{text}: {err}"
        );
        assert_eq!(err.offset, offset, "{text}");
    }
    let converted = ReferencePath::try_from(Path::parse("$.x").unwrap()).unwrap();
    assert_eq!(converted.as_str(), "$.x");
}

#[test]
fn reference_paths_read() {
    let data = json!({"a": [{"b": true}]});
    let path = ReferencePath::parse("$.a[0].b").unwrap();
    assert_eq!(path.get(&data, &Value::Null).unwrap(), &json!(true));
    let missing = ReferencePath::parse("$.a[1]").unwrap();
    assert!(missing.get(&data, &Value::Null).is_err());
}

#[test]
fn reference_paths_write_creating_objects() {
    let mut data = json!({"a": 1});
    ReferencePath::parse("$.b.c")
        .unwrap()
        .write(&mut data, json!(2))
        .unwrap();
    assert_eq!(data, json!({"a": 1, "b": {"c": 2}}));
    ReferencePath::parse("$.a")
        .unwrap()
        .write(&mut data, json!("x"))
        .unwrap();
    assert_eq!(data, json!({"a": "x", "b": {"c": 2}}));
    ReferencePath::parse("$")
        .unwrap()
        .write(&mut data, json!([1]))
        .unwrap();
    assert_eq!(data, json!([1]));
    ReferencePath::parse("$[0]")
        .unwrap()
        .write(&mut data, json!({"k": 1}))
        .unwrap();
    assert_eq!(data, json!([{"k": 1}]));
    ReferencePath::parse("$[0].k")
        .unwrap()
        .write(&mut data, json!(5))
        .unwrap();
    assert_eq!(data, json!([{"k": 5}]));
}

#[test]
fn reference_paths_refuse_to_write_through_non_objects() {
    let mut data = json!({"a": 1, "list": [1]});
    let err = ReferencePath::parse("$.a.b")
        .unwrap()
        .write(&mut data, json!(2))
        .unwrap_err();
    assert_eq!(
        err.reason,
        "`$.a` is a number, not an object that can hold a field `b`"
    );
    let err = ReferencePath::parse("$.list[3]")
        .unwrap()
        .write(&mut data, json!(2))
        .unwrap_err();
    assert_eq!(
        err.reason,
        "index 3 is out of range for `$.list`, an array of 1 elements"
    );
    let err = ReferencePath::parse("$$.x")
        .unwrap()
        .write(&mut data, json!(2))
        .unwrap_err();
    assert_eq!(err.reason, "the context object cannot be written");
    let mut scalar = json!("text");
    let err = ReferencePath::parse("$.x")
        .unwrap()
        .write(&mut scalar, json!(2))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot write at `$.x`: `$` is a string, not an object that can hold a field `x`"
    );
    let err = ReferencePath::parse("$.new.deeper[0]")
        .unwrap()
        .write(&mut data, json!(2))
        .unwrap_err();
    assert_eq!(
        err.reason,
        "`$.new.deeper` does not exist, so it has no element 0"
    );
    assert_eq!(
        data,
        json!({"a": 1, "list": [1]}),
        "failed writes change nothing"
    );
}

#[test]
fn deeply_nested_filters_are_refused_not_overflowing() {
    for text in [
        format!("$[?({}@.a)]", "!".repeat(20_000)),
        format!("$[?({}@.a{})]", "(".repeat(20_000), ")".repeat(20_000)),
        format!("$[?(@.a in {}1{})]", "[".repeat(20_000), "]".repeat(20_000)),
        format!("$[?(@{})]", "[?(@".repeat(20_000)),
    ] {
        let error = Path::parse(&text).unwrap_err();
        assert!(
            error.message.contains("nests more than 64 levels"),
            "{}",
            error.message
        );
        assert!(Path::check(&text).is_err());
    }
    let fine = format!("$[?({}@.a)]", "!".repeat(63));
    assert!(Path::parse(&fine).is_ok());
}

#[test]
fn checking_agrees_with_parsing() {
    for text in [
        "$",
        "$$",
        "$.a.b[3].c",
        "$['x y'][-1]",
        "$..a[*]",
        "$.a[?(@.b > 1 && !@.c)]",
        "$.a[1:2:3]",
        "$.a[",
        "a",
        "$.a b",
        "$[?(@.a =~ /x/)]",
        "$.a.length()",
        "",
        "$['unclosed",
    ] {
        let parsed = Path::parse(text).map(|path| path.root());
        assert_eq!(Path::check(text), parsed, "{text}");
        let reference = ReferencePath::parse(text).map(|path| path.root());
        assert_eq!(ReferencePath::check(text), reference, "{text}");
    }
}

#[test]
fn paths_start_from_variables() {
    use crate::path::Roots;
    use crate::variables::NoVariables;

    let path = Path::parse("$order.lines[0].sku").unwrap();
    assert_eq!(path.root(), Root::Variable);
    assert_eq!(path.variable(), Some("order"));
    let mut variables = serde_json::Map::new();
    variables.insert(
        "order".to_string(),
        json!({"lines": [{"sku": "A-1"}, {"sku": "B-2"}]}),
    );
    let data = json!({"order": "not this one"});
    let roots = Roots::new(&data, &Value::Null).with_variables(&variables);
    let budget = Budget::default();
    assert_eq!(
        path.select_in(roots, &budget).unwrap().into_value(),
        json!("A-1")
    );
    // `$` alone and `$.x` still read the data; names may hold letters
    // beyond ASCII and digits after the first character.
    assert_eq!(Path::parse("$").unwrap().root(), Root::Data);
    assert_eq!(Path::parse("$.order").unwrap().root(), Root::Data);
    assert_eq!(Path::parse("$état_2").unwrap().variable(), Some("état_2"));
    let all = Path::parse("$order.lines[*].sku").unwrap();
    assert_eq!(
        all.select_in(roots, &budget).unwrap().into_value(),
        json!(["A-1", "B-2"])
    );
    // A variable that is not assigned matches nothing, and says so.
    let missing = Path::parse("$total").unwrap();
    let no_variables = Roots::new(&data, &Value::Null).with_variables(&NoVariables);
    assert_eq!(
        missing.select_in(no_variables, &budget).unwrap_err().reason,
        "the variable `$total` is not assigned"
    );
    let deep = Path::parse("$order.lines[5]").unwrap();
    assert_eq!(
        deep.select_in(roots, &budget).unwrap_err().reason,
        "index 5 is out of range for `$order.lines`, an array of 2 elements"
    );
    // A variable cannot be written through a path.
    let written = ReferencePath::parse("$order.x").unwrap();
    assert_eq!(
        written.write(&mut json!({}), json!(1)).unwrap_err().reason,
        "a variable cannot be written by a path; assign it with `Assign`"
    );
}
