//! The kinds inferred for a call's result ([`check::result_kinds`]) hold for every recorded
//! reference call: the recorded result's kind is among those inferred from its arguments'
//! kinds (what the mutator and the loader rely on).

use batt_dsl::json::from_json;
use batt_dsl::{Prim, Value};
use batt_prog::check::{self, kinds::*};
use std::path::PathBuf;

#[test]
fn result_kinds_hold_for_every_recorded_call() {
    let mut checked = 0;
    let mut bad = vec![];
    for name in ["arc-dsl-calls.jsonl", "arc-dsl-shapes.jsonl", "extensions.jsonl"] {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../golden").join(name);
        let text = std::fs::read_to_string(path).expect("golden file is readable");
        for (lineno, line) in text.lines().enumerate() {
            let rec: serde_json::Value = serde_json::from_str(line).expect("golden line is JSON");
            let p = Prim::by_name(rec["fn"].as_str().unwrap()).unwrap();
            let args: Vec<Value> = rec["args"].as_array().unwrap().iter().map(|a| from_json(a).unwrap()).collect();
            let out = from_json(&rec["out"]).unwrap();
            let ks: Vec<u32> = args.iter().map(check::kind).collect();
            let inferred = check::result_kinds(p, &ks);
            // degenerate empty results (`()` from `crop` outside the grid) are not counted
            if check::kind(&out) & !(inferred | EMPTY) != 0 {
                bad.push(format!(
                    "{name}:{} {}({ks:x?}) gave {:#x}, inferred {inferred:#x}",
                    lineno + 1,
                    p.name(),
                    check::kind(&out)
                ));
            }
            checked += 1;
        }
    }
    assert!(bad.is_empty(), "{} of {checked} calls:\n{}", bad.len(), bad[..bad.len().min(30)].join("\n"));
    assert!(checked > 7000);
}
