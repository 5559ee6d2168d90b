//! Comparing JSON values as the language compares them: numbers by value
//! (`1` equals `1.0`), object fields in any order.

use std::fmt::Write as _;

use serde_json::{Number, Value};

/// A number reduced to a form where equal values are equal: integers
/// (including whole floats) exactly, other floats by their bits.
#[derive(PartialEq, Eq)]
enum NumberKey {
    Integer(i128),
    Float(u64),
}

fn number_key(number: &Number) -> NumberKey {
    if let Some(integer) = number.as_i64() {
        return NumberKey::Integer(integer.into());
    }
    if let Some(integer) = number.as_u64() {
        return NumberKey::Integer(integer.into());
    }
    let float = number.as_f64().unwrap_or(f64::NAN);
    // 2^64: whole floats below it in magnitude convert to i128 exactly.
    if float.fract() == 0.0 && float.abs() < 18_446_744_073_709_551_616.0 {
        NumberKey::Integer(float as i128)
    } else {
        NumberKey::Float(float.to_bits())
    }
}

/// JSON equality where numbers compare by value (`1` equals `1.0`) and
/// object fields in any order.
pub(crate) fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => number_key(a) == number_key(b),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, a)| b.get(key).is_some_and(|b| same(a, b)))
        }
        _ => a == b,
    }
}

/// A text that is the same for two values exactly when [`same`] holds.
pub(crate) fn canonical_key(value: &Value) -> String {
    let mut key = String::new();
    write_canonical(value, &mut key);
    key
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Number(number) => match number_key(number) {
            NumberKey::Integer(integer) => {
                let _ = write!(out, "{integer}");
            }
            NumberKey::Float(bits) => {
                let _ = write!(out, "f{bits:x}");
            }
        },
        Value::Array(items) => {
            out.push('[');
            for item in items {
                write_canonical(item, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Object(fields) => {
            let mut sorted: Vec<_> = fields.iter().collect();
            sorted.sort_unstable_by_key(|(key, _)| *key);
            out.push('{');
            for (key, value) in sorted {
                let _ = write!(out, "{}:", Value::String(key.clone()));
                write_canonical(value, out);
                out.push(',');
            }
            out.push('}');
        }
        // Strings, booleans and null as JSON.
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_compare_by_value() {
        assert!(same(&json!(1), &json!(1.0)));
        assert!(same(&json!({"a": [1, 2.0]}), &json!({"a": [1.0, 2]})));
        assert!(!same(&json!(1), &json!(1.5)));
        assert!(!same(&json!(1), &json!("1")));
        assert!(!same(
            &json!(9007199254740993_u64),
            &json!(9007199254740992.0)
        ));
        assert!(same(&json!(u64::MAX), &json!(u64::MAX)));
    }

    #[test]
    fn canonical_keys_agree_with_equality() {
        let values = [
            json!(1),
            json!(1.0),
            json!(-0.0),
            json!(0),
            json!(1.5),
            json!("1"),
            json!(null),
            json!([1, "a"]),
            json!([1.0, "a"]),
            json!({"a": 1, "b": [true]}),
            json!({"b": [true], "a": 1.0}),
            json!({"a,": 1}),
        ];
        for a in &values {
            for b in &values {
                assert_eq!(
                    same(a, b),
                    canonical_key(a) == canonical_key(b),
                    "{a} vs {b}"
                );
            }
        }
    }
}
