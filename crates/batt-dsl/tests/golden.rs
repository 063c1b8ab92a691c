//! Conformance: every recorded call of the reference arc-dsl primitives (golden/
//! arc-dsl-calls.jsonl, and golden/arc-dsl-shapes.jsonl on every shape of argument that
//! arc-dsl programs pass), of batt's extensions (golden/extensions.jsonl) and of its
//! whole-image steps (golden/image.jsonl) must give exactly the recorded result (compared as
//! Python's `==`: `True == 1`); `"out": {"fail": true}` records a call that must fail (any
//! `Fail`, never a panic). `GOLDEN_FN=name,name` narrows the run to some primitives while
//! developing; the full run must pass every line.

use batt_dsl::json::from_json;
use batt_dsl::value::py_eq;
use batt_dsl::{Ctx, Prim, Value};
use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;

/// Recorded calls whose result depends on CPython's iteration order of a frozenset argument,
/// which the recorder meant to drop (golden/README.md) but could not detect: re-recording
/// under other insertion orders leaves CPython's slot layout unchanged when no hashes collide.
/// arc-dsl-calls.jsonl line 3136 is `order(objects, size)` with two objects of 17 cells; the
/// recorded tuple puts the colour-3 object first because CPython's table does. No
/// deterministic set order reproduces every such tie (the layout depends on how each set was
/// built), so these lines are checked for what `order` means: the same elements, sorted by
/// the same keys, and only equal keys in another order.
const ORDER_DEPENDENT: &[(&str, usize)] = &[("arc-dsl-calls.jsonl", 3136)];

/// Whether `got` and `want` are the same `order(container, size)` result up to the order of
/// elements with equal keys.
fn same_up_to_ties(got: &Value, want: &Value) -> bool {
    let (Ok(g), Ok(w)) = (got.items(), want.items()) else { return false };
    let g: Vec<Value> = g.collect();
    let w: Vec<Value> = w.collect();
    let keys = |v: &[Value]| -> Vec<usize> { v.iter().map(|x| x.len().unwrap_or(usize::MAX)).collect() };
    let as_set = |v: &[Value]| Value::set(v.to_vec()).ok();
    g.len() == w.len() && keys(&g) == keys(&w) && as_set(&g) == as_set(&w)
}

/// Whether a recorded output is `{"fail": true}`: the call must fail.
fn is_fail(out: &serde_json::Value) -> bool {
    out.get("fail") == Some(&serde_json::Value::Bool(true))
}

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../golden").join(name)
}

/// Runs every line of one golden file; returns (lines run, failures as messages per primitive).
fn run_file(name: &str) -> (usize, BTreeMap<String, Vec<String>>) {
    let only: Option<Vec<String>> =
        std::env::var("GOLDEN_FN").ok().map(|s| s.split(',').map(|x| x.trim().to_string()).collect());
    let text = std::fs::read_to_string(golden_path(name)).expect("golden file is readable");
    let mut fails: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut n = 0;
    for (lineno, line) in text.lines().enumerate() {
        let rec: serde_json::Value = serde_json::from_str(line).expect("golden line is JSON");
        let f = rec["fn"].as_str().expect("fn name").to_string();
        if only.as_ref().is_some_and(|o| !o.contains(&f)) {
            continue;
        }
        n += 1;
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| -> Result<(), String> {
            let p = Prim::by_name(&f).ok_or("unknown primitive")?;
            let args: Vec<Value> = rec["args"]
                .as_array()
                .ok_or("args")?
                .iter()
                .map(from_json)
                .collect::<Result<_, _>>()
                .map_err(|e| format!("decoding args: {e}"))?;
            if is_fail(&rec["out"]) {
                return match Ctx::default().apply(p, &args) {
                    Err(_) => Ok(()),
                    Ok(got) => Err(format!("got {:?}, want a failure", got.canon_text())),
                };
            }
            let want = from_json(&rec["out"]).map_err(|e| format!("decoding out: {e}"))?;
            let got = Ctx::default().apply(p, &args).map_err(|e| format!("failed: {e}"))?;
            if ORDER_DEPENDENT.contains(&(name, lineno + 1)) {
                return if same_up_to_ties(&got, &want) {
                    Ok(())
                } else {
                    Err(format!("not even equal up to ties: got {:?}", got.canon_text()))
                };
            }
            if !py_eq(&got, &want) {
                return Err(format!("got {:?}\n      want {:?}", got.canon_text(), want.canon_text()));
            }
            Ok(())
        }));
        let msg = match outcome {
            Ok(Ok(())) => continue,
            Ok(Err(e)) => e,
            Err(p) => format!(
                "panicked: {}",
                p.downcast_ref::<String>()
                    .cloned()
                    .or(p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            ),
        };
        let short: String = line.chars().take(300).collect();
        fails.entry(f).or_default().push(format!("{name}:{} {msg}\n      call {short}", lineno + 1));
    }
    (n, fails)
}

fn check(name: &str) {
    let (n, fails) = run_file(name);
    let bad: usize = fails.values().map(Vec::len).sum();
    for (f, msgs) in &fails {
        eprintln!("{f}: {} failing", msgs.len());
        for m in msgs.iter().take(3) {
            eprintln!("    {m}");
        }
    }
    let loose = ORDER_DEPENDENT.iter().filter(|(f, _)| *f == name).count();
    eprintln!("{name}: {} of {n} calls agree ({loose} order-dependent, up to ties)", n - bad);
    assert!(bad == 0, "{bad} of {n} golden calls disagree ({} primitives)", fails.len());
}

#[test]
fn arc_dsl_calls() {
    check("arc-dsl-calls.jsonl");
}

#[test]
fn arc_dsl_shapes() {
    check("arc-dsl-shapes.jsonl");
}

#[test]
fn extension_calls() {
    check("extensions.jsonl");
}

#[test]
fn image_calls() {
    check("image.jsonl");
}

/// The recorded outputs list set elements in canonical order; re-encoding a decoded value
/// must reproduce that order exactly (this pins batt's canonical set order to the golden one).
#[test]
fn canonical_order_matches_the_encoding() {
    for name in ["arc-dsl-calls.jsonl", "arc-dsl-shapes.jsonl", "extensions.jsonl", "image.jsonl"] {
        let text = std::fs::read_to_string(golden_path(name)).unwrap();
        for (lineno, line) in text.lines().enumerate() {
            let rec: serde_json::Value = serde_json::from_str(line).unwrap();
            let out = &rec["out"];
            if is_fail(out) {
                continue;
            }
            let compact = serde_json::to_string(out).unwrap();
            // booleans inside containers are stored as integers, and function values were
            // recorded by the call that made them: skip those lines
            if compact.contains("true") || compact.contains("false") || compact.contains("\"fn\"") {
                continue;
            }
            let v = from_json(out).unwrap_or_else(|e| panic!("{name}:{}: {e}", lineno + 1));
            assert_eq!(v.canon_text(), compact, "{name}:{}", lineno + 1);
        }
    }
}
