//! The JSON encoding of DSL values used by the golden vectors (see `golden/README.md`):
//! numbers, booleans, lists for tuples, `{"set": [...]}` for sets, `{"fn": name}` for a
//! primitive and `{"fn": name, "args": [...]}` for what a higher-order primitive returned.
//! Decoding is here; [`Value::canon_text`] writes the same encoding.

use crate::func::Ctx;
use crate::table::Prim;
use crate::value::Value;
use serde_json::Value as J;

/// Decodes one value; the error says what is wrong and where (a path of indices).
pub fn from_json(j: &J) -> Result<Value, String> {
    decode(j, &mut String::from("$"))
}

fn decode(j: &J, path: &mut String) -> Result<Value, String> {
    let here = |msg: &str, path: &str| format!("{path}: {msg}");
    match j {
        J::Bool(b) => Ok(Value::Bool(*b)),
        J::Number(n) => {
            let x = n.as_i64().ok_or_else(|| here("not an integer", path))?;
            Value::int(x).map_err(|e| here(&e.to_string(), path))
        }
        J::Array(xs) => {
            let items = decode_all(xs, path)?;
            Value::tuple(items).map_err(|e| here(&e.to_string(), path))
        }
        J::Object(m) => {
            if let Some(J::Array(xs)) = m.get("set") {
                let items = decode_all(xs, path)?;
                return Value::set(items).map_err(|e| here(&e.to_string(), path));
            }
            let name = m.get("fn").and_then(J::as_str).ok_or_else(|| here("expected {\"set\"} or {\"fn\"}", path))?;
            let p = Prim::by_name(name).ok_or_else(|| here(&format!("unknown primitive {name}"), path))?;
            match m.get("args") {
                None => Ok(Value::prim(p)),
                Some(J::Array(xs)) => {
                    let args = decode_all(xs, path)?;
                    Ctx::default().apply(p, &args).map_err(|e| here(&format!("{name}: {e}"), path))
                }
                Some(_) => Err(here("\"args\" must be a list", path)),
            }
        }
        J::Null => Err(here("null is not a DSL value", path)),
        J::String(_) => Err(here("a string is not a DSL value", path)),
    }
}

fn decode_all(xs: &[J], path: &mut String) -> Result<Vec<Value>, String> {
    let mut out = Vec::with_capacity(xs.len());
    for (k, x) in xs.iter().enumerate() {
        let len = path.len();
        path.push_str(&format!("[{k}]"));
        out.push(decode(x, path)?);
        path.truncate(len);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rt(s: &str) -> String {
        from_json(&serde_json::from_str(s).unwrap()).unwrap().canon_text()
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(rt("[1, 2]"), "[1,2]");
        assert!(matches!(from_json(&serde_json::json!([1, 2])).unwrap(), Value::Pair(1, 2)));
        assert!(matches!(from_json(&serde_json::json!([[1, 2], [3, 4]])).unwrap(), Value::Grid(_)));
        assert!(matches!(from_json(&serde_json::json!([3, [1, 2]])).unwrap(), Value::Cell(_)));
        assert!(matches!(from_json(&serde_json::json!({"set": []})).unwrap(), Value::Set(_)));
        // sets are put into canonical (text) order whatever order they come in
        assert_eq!(rt(r#"{"set": [[2, 1], [10, 0], [1, 5]]}"#), r#"{"set":[[1,5],[10,0],[2,1]]}"#);
        assert_eq!(rt(r#"{"set": [10, 2, -1, 2]}"#), r#"{"set":[-1,10,2]}"#);
        // booleans inside containers are integers
        assert_eq!(rt("[true, false]"), "[1,0]");
        assert_eq!(rt(r#"{"fn": "rot90"}"#), r#"{"fn":"rot90"}"#);
        assert_eq!(rt(r#"{"fn": "power", "args": [{"fn": "rot90"}, 1]}"#), r#"{"fn":"rot90"}"#);
        assert_eq!(
            rt(r#"{"fn": "compose", "args": [{"fn": "size"}, {"fn": "first"}]}"#),
            r#"{"args":[{"fn":"size"},{"fn":"first"}],"fn":"compose"}"#
        );
    }

    #[test]
    fn long_tuples_of_pairs_stay_tuples() {
        // 300 pairs cannot be a grid (more than 255 rows): still a valid tuple
        let pairs: Vec<Value> = (0..300).map(|k| Value::Pair(k, k)).collect();
        let t = Value::tuple(pairs).unwrap();
        assert!(matches!(t, Value::Tuple(_)));
        assert_eq!(t.len().unwrap(), 300);
        let small: Vec<Value> = (0..3).map(|k| Value::Pair(k, k)).collect();
        assert!(matches!(Value::tuple(small).unwrap(), Value::Grid(_)));
    }

    #[test]
    fn bad_values_are_reported_with_their_path() {
        let e = from_json(&serde_json::json!([1, [2, "x"]])).unwrap_err();
        assert!(e.contains("$[1][1]"), "{e}");
        let e = from_json(&serde_json::json!({"fn": "nope"})).unwrap_err();
        assert!(e.contains("unknown primitive nope"), "{e}");
    }
}
