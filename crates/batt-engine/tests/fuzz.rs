//! Seeded mutation fuzzing: thousands of mutated task files and solver files pushed through the
//! task loader, the parser and checker, the printer, the interpreter, a battery run, the
//! predictions and the library, asserting that nothing panics and nothing escapes its step and
//! memory budgets. One fixed seed, so a failure reproduces; it runs in seconds.
//! `FUZZ_CASES=N` (cases of each kind, default 5000) and `FUZZ_SEED=S` run others.
//!
//! For long runs, `fuzz/` holds `cargo fuzz` targets of the same pipelines (see the README).

mod common;

use batt_dsl::task::{self, Task};
use batt_dsl::{Grid, Prim};
use batt_engine::Library;
use common::cases;
use common::Rng;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn env_or(key: &str, default: u64) -> u64 {
    std::env::var(key).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[rustfmt::skip]
const JSON_TOKENS: &[&[u8]] = &[
    b"[", b"]", b"{", b"}", b",", b":", b"\"", b"0", b"9", b"10", b"-1", b"1.5", b"1e999", b"null", b"true",
    b"\"train\"", b"\"test\"", b"\"input\"", b"\"output\"", b"[[1]]", b"[]", b"{}", b"\xff", b"\\u0000",
    b"\n", b"[[0, 1], [2]]", b"\"../x\"", b"\"\"", b"[[[", b"]]]",
];

#[rustfmt::skip]
const PY_TOKENS: &[&[u8]] = &[
    b"(", b")", b",", b" = ", b"\n", b"    ", b"def solve_", b"return ", b"# ", b"I", b"S", b"x1", b"x2",
    b"O", b"T", b"F", b"ZERO", b"TEN", b"NEG_ONE", b"DOWN", b"-1", b"99999999999999999999", b"(1, 2)",
    b"(-1, 0)", b"\xe9", b"\xef\xbb\xbf", b"\t", b"lambda", b"\"s\"", b"()", b"def solve_t(S, I):\n",
    b"    O = I\n    return O\n",
];

/// Mutates `seed`: a few byte flips, insertions, deletions, duplicated spans, tokens of the
/// format (and primitive names, for programs), or a splice with another seed.
fn mutate(rng: &mut Rng, seed: &[u8], tokens: &[&[u8]], prims: bool, others: &[Vec<u8>]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(b.len() as u64 + 1) as usize;
        let span = (1 + rng.below(24) as usize).min(b.len() - at);
        match rng.below(8) {
            0 if at < b.len() => b[at] ^= 1 << rng.below(8),
            1 => b.insert(at, rng.next() as u8),
            2 => {
                b.drain(at..at + span);
            }
            3 => {
                let copy = b[at..at + span].to_vec();
                let to = rng.below(b.len() as u64 + 1) as usize;
                b.splice(to..to, copy);
            }
            4 | 5 => {
                let t: Vec<u8> = if prims && rng.below(3) == 0 {
                    rng.pick(&Prim::all().collect::<Vec<_>>()).info().name.as_bytes().to_vec()
                } else {
                    rng.pick(tokens).to_vec()
                };
                let end = if rng.below(2) == 0 { at } else { at + span };
                b.splice(at..end, t);
            }
            6 => {
                let other = rng.pick(others);
                let from = rng.below(other.len() as u64 + 1) as usize;
                b.truncate(at);
                b.extend_from_slice(&other[from..]);
            }
            _ => {
                // a digit changed: colours and sizes out of range
                if let Some(i) = (at..b.len()).find(|&i| b[i].is_ascii_digit()) {
                    b[i] = b"0123456789"[rng.below(10) as usize];
                    if rng.below(4) == 0 {
                        b.insert(i, b'1');
                    }
                }
            }
        }
    }
    b
}

/// Mutates a JSON value where it stands: a number changed, an element removed or repeated, a
/// key renamed or dropped (valid JSON, wrong in what it says).
fn mutate_json(rng: &mut Rng, v: &mut serde_json::Value) {
    use serde_json::{json, Value as J};
    // down to some value
    if rng.below(4) != 0 {
        let n = match v {
            J::Array(a) => a.len(),
            J::Object(m) => m.len(),
            _ => 0,
        };
        if n > 0 {
            let i = rng.below(n as u64) as usize;
            let child = match v {
                J::Array(a) => &mut a[i],
                J::Object(m) => m.values_mut().nth(i).unwrap(),
                _ => unreachable!(),
            };
            return mutate_json(rng, child);
        }
    }
    let at = v;
    match at {
        J::Number(_) => {
            *at = rng.pick(&[json!(0), json!(9), json!(10), json!(-1), json!(1.5), json!(255), json!(1e20)]).clone()
        }
        J::Array(a) if !a.is_empty() => {
            let i = rng.below(a.len() as u64) as usize;
            match rng.below(4) {
                0 => {
                    a.remove(i);
                }
                1 => {
                    let e = a[i].clone();
                    a.insert(i, e);
                }
                2 => a.truncate(i),
                _ => a[i] = rng.pick(&[json!(null), json!([]), json!({}), json!("x"), json!([[1]])]).clone(),
            }
        }
        J::Object(m) if !m.is_empty() => {
            let key = m.keys().nth(rng.below(m.len() as u64) as usize).unwrap().clone();
            let val = m.remove(&key).unwrap();
            if rng.below(2) == 0 {
                let renamed = rng.pick(&["trian", "test", "train", "input", "output", "", "../x", "a b", "00576224"]);
                m.insert(renamed.to_string(), val);
            }
        }
        _ => *at = json!([]),
    }
}

/// Mutates a solver line by line: a name in a call replaced (by a primitive, a variable, a
/// constant, a number), a line deleted, repeated or moved (mostly still a program, often one
/// that does something else or fails).
fn mutate_program(rng: &mut Rng, src: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(src);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let body: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].contains(" = ")).collect();
    if body.is_empty() {
        return src.to_vec();
    }
    let i = *rng.pick(&body);
    match rng.below(6) {
        0..=2 => {
            let (lhs, rhs) = lines[i].split_once(" = ").unwrap();
            let words: Vec<&str> =
                rhs.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).collect();
            let old = *rng.pick(&words);
            let prims: Vec<&str> = Prim::all().map(|p| p.info().name).collect();
            let new = match rng.below(4) {
                0 => rng.pick(&prims).to_string(),
                1 => format!("x{}", rng.below(12)),
                2 => rng.pick(&["I", "S", "T", "F", "ZERO", "TEN", "NEG_ONE", "ORIGIN", "UNITY", "DOWN"]).to_string(),
                _ => rng.pick(&["0", "1", "-1", "30", "255", "100000"]).to_string(),
            };
            lines[i] = format!("{lhs} = {}", rhs.replacen(old, &new, 1));
        }
        3 => {
            lines.remove(i);
        }
        4 => {
            let l = lines[i].clone();
            lines.insert(*rng.pick(&body), l);
        }
        _ => {
            let j = *rng.pick(&body);
            lines.swap(i, j);
        }
    }
    (lines.join("\n") + "\n").into_bytes()
}

/// The smallest shipped task files, and a Kaggle challenges map of a few of them.
fn task_seeds(tasks: &[Task]) -> Vec<Vec<u8>> {
    let dir = root().join("data/arc-agi-1/training");
    let mut files: Vec<(u64, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (std::fs::metadata(&p).unwrap().len(), p))
        .collect();
    files.sort();
    let mut seeds: Vec<Vec<u8>> = files.iter().take(16).map(|(_, p)| std::fs::read(p).unwrap()).collect();
    let kaggle: serde_json::Map<String, serde_json::Value> = files
        .iter()
        .take(3)
        .map(|(_, p)| {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            let t = tasks.iter().find(|t| t.id == id).unwrap();
            let grid = |g: &Grid| task::grid_to_json(g);
            let train: Vec<_> = t
                .train
                .iter()
                .map(|e| serde_json::json!({"input": grid(&e.input), "output": grid(&e.output)}))
                .collect();
            let test: Vec<_> = t.test.iter().map(|e| serde_json::json!({"input": grid(&e.input)})).collect();
            (id, serde_json::json!({"train": train, "test": test}))
        })
        .collect();
    seeds.push(serde_json::Value::Object(kaggle).to_string().into_bytes());
    seeds
}

/// The shipped solvers, one function each, and a few reading `S` and batt's own steps.
fn solver_seeds() -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(root().join("solvers/training.py")).unwrap();
    let mut seeds: Vec<Vec<u8>> =
        text.split("\ndef ").skip(1).map(|f| format!("def {}\n", f.trim_end()).into_bytes()).collect();
    seeds.push(b"def solve_3c9b0459(S, I):\n    x1 = a_mr(S)\n    O = rot180(I)\n    return O\n".to_vec());
    seeds.push(b"def solve_d511f180(I):\n    x1 = palette(I)\n    O = map_colours(I, x1)\n    return O\n".to_vec());
    seeds.push(
        b"def solve_a416b8f3(I):\n    x1 = split_objs(I)\n    x2 = pick(x1, 0)\n    O = hconcat(I, I)\n    return O\n"
            .to_vec(),
    );
    seeds
}

/// Runs `case` on input number `k`; a panic is reported with the input, written where it can
/// be replayed from.
fn guarded(kind: &str, k: usize, input: &[u8], case: impl FnOnce()) {
    if let Err(p) = catch_unwind(AssertUnwindSafe(case)) {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join(format!("{kind}-{k}"));
        std::fs::write(&f, input).unwrap();
        let msg = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()));
        panic!("{kind} case {k} panicked ({}); its input is in {}", msg.unwrap_or_default(), f.display());
    }
}

#[test]
fn mutated_task_and_solver_files_never_panic_nor_escape_their_budgets() {
    let seed = env_or("FUZZ_SEED", 0x0b5e_55ed_f022);
    let cases = env_or("FUZZ_CASES", 5000) as usize;
    let mut rng = Rng(seed);
    let shipped = task::load(&root().join("data/arc-agi-1/training")).tasks;
    let by_id: HashMap<&str, &Task> = shipped.iter().map(|t| (t.id.as_str(), t)).collect();

    // task files: loaded, or refused with an error naming the file
    let seeds = task_seeds(&shipped);
    let (mut loaded, mut refused) = (vec![], 0);
    for k in 0..cases {
        let from = rng.pick(&seeds).clone();
        // half the cases valid JSON saying something wrong, half bytes gone wrong
        let bytes = match serde_json::from_slice::<serde_json::Value>(&from) {
            Ok(mut v) if k % 2 == 0 => {
                for _ in 0..1 + rng.below(3) {
                    mutate_json(&mut rng, &mut v);
                }
                v.to_string().into_bytes()
            }
            _ => mutate(&mut rng, &from, JSON_TOKENS, false, &seeds),
        };
        guarded("task", k, &bytes, || {
            let (tasks, errors) = cases::task_file(&bytes);
            refused += errors;
            loaded.extend(tasks);
        });
    }
    // the mutations are neither all harmless nor all fatal
    assert!(loaded.len() > cases / 10 && refused > cases / 4, "{} tasks loaded, {refused} errors", loaded.len());

    // solver files: parsed (every problem at a line of the file), printed and parsed back to
    // the same program, run within the step budget, then merged into batteries
    let seeds = solver_seeds();
    let (mut programs, mut errors, mut runs, mut failed_runs) = (vec![], 0, 0, 0);
    // tasks besides a program's own: a shipped one and some of the mutated ones that loaded
    let mut others = shipped.iter().filter(|t| t.id == "3c9b0459").cloned().collect::<Vec<_>>();
    others.extend(loaded.iter().step_by(loaded.len() / 8 + 1).cloned());
    for k in 0..cases {
        let from = rng.pick(&seeds).clone();
        // half the cases line by line, half bytes gone wrong
        let bytes = if k % 2 == 0 {
            let mut b = from;
            for _ in 0..1 + rng.below(2) {
                b = mutate_program(&mut rng, &b);
            }
            b
        } else {
            mutate(&mut rng, &from, PY_TOKENS, true, &seeds)
        };
        guarded("solver", k, &bytes, || {
            let run_on = |p: &batt_prog::Program| -> Vec<&Task> {
                by_id.get(p.name.as_str()).copied().into_iter().chain(&others[..1]).collect()
            };
            let f = cases::solver_file(&bytes, run_on);
            errors += f.errors;
            runs += f.runs;
            failed_runs += f.failed_runs;
            programs.extend(f.programs);
        });
    }
    assert!(programs.len() > cases / 8 && errors > cases / 4, "{} programs, {errors} errors", programs.len());
    assert!(failed_runs > 0 && failed_runs < runs, "{failed_runs} of {runs} runs failed");

    // batteries of the programs that parse, over shipped and mutated tasks, with the library
    let lib_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-library");
    let _ = std::fs::remove_dir_all(&lib_dir);
    let library = Library::new(&lib_dir, 4);
    let (mut solved, mut evals) = (0, 0);
    for (k, chunk) in programs.chunks(200).enumerate() {
        guarded("battery", k, format!("{chunk:#?}").as_bytes(), || {
            let mut tasks: Vec<Task> =
                chunk.iter().filter_map(|p| by_id.get(p.name.as_str()).map(|t| (*t).clone())).collect();
            tasks.sort_by(|x, y| x.id.cmp(&y.id));
            tasks.dedup_by(|x, y| x.id == y.id);
            tasks.extend(others.iter().cloned());
            let (s, e) = cases::battery(chunk, &tasks, Some(&library));
            solved += s;
            evals += e;
        });
    }
    assert!(solved > 0 && evals > 0, "{solved} tasks solved, {evals} evaluations");
    eprintln!(
        "fuzz (seed {seed:#x}): {cases} task files ({} tasks loaded, {refused} errors), {cases} solver files ({} programs, {errors} errors), {runs} runs ({failed_runs} failed), {} batteries ({solved} tasks solved, {evals} node evaluations)",
        loaded.len(),
        programs.len(),
        programs.len().div_ceil(200)
    );
    // what the library kept reads back whole
    let kept = library.load();
    assert!(kept.errors.is_empty() && !kept.programs.is_empty(), "{:?}", kept.errors);
    // and all of it within memory: the values a battery keeps are capped, every value is bounded
    if let Some(peak) = batt_engine::peak_memory_mib() {
        assert!(peak < 1024.0, "peak memory {peak:.0} MiB");
    }
}
