//! Parsing, checking, printing and running programs.

use batt_dsl::{Ctx, Fail, Grid, Value};
use batt_prog::{parse_str, print, run, Ref};

const MIXED: &str = r#"from dsl import *
from constants import *

# a good one
def solve_good0001(I):
    x1 = vmirror(I)          # mirror
    x2 = hconcat(I, x1)
    O = vconcat(x2, x2)
    return O


def solve_bad00001(I):
    x1 = objects(I, T, F)
    x2 = frobnicate(x1)
    return x2

def solve_bad00002(I):
    x1 = fill(I, x2, I)
    x2 = ofcolor(I, ONE)
    O = fill(I, TWO, THREE)
    return O

def solve_good0002(S, I):
    """reads the demo pairs"""
    x1 = a_mr(S)
    x2 = mir_rot(I, x1)
    x3 = rbind(get_nth, -1)
    x4 = o_g(x2, 5)
    x5 = x3(x4)
    O = paint(x2, x5)
    return O

def solve_bad00003(I):
    x1 = rot90(I)

def solve_bad00004(I):
    x1 = rot90(I)
    return x1
    x2 = rot180(I)

def helper(I):
    return I

def solve_bad00005(I):
    x1 = rot90(S)
    x2 = ONE(I)
    x3 = upscale(I, (1, 2), 3)
    x4 = shift(rot90(I), UP)
    return x1
"#;

fn g(rows: &[&[i8]]) -> Value {
    Value::Grid(Grid::new(rows.len(), rows[0].len(), rows.iter().flat_map(|r| r.iter().copied()).collect()).unwrap())
}

#[test]
fn good_and_bad_functions_in_one_file() {
    let f = parse_str(MIXED, "mixed.py");
    let names: Vec<&str> = f.programs.iter().map(|p| p.program.name.as_str()).collect();
    assert_eq!(names, ["good0001", "good0002"]);
    let msgs: Vec<String> = f.errors.iter().map(|e| e.to_string()).collect();
    let has = |needle: &str| assert!(msgs.iter().any(|m| m.contains(needle)), "no `{needle}` in {msgs:#?}");
    has("mixed.py:13: in solve_bad00001: `objects` takes 4 arguments, got 3");
    has("mixed.py:14: in solve_bad00001: unknown primitive `frobnicate`");
    has("mixed.py:18: in solve_bad00002: variable `x2` is used before it is defined (line 19)");
    // an integer where `fill` annotates a patch is no load error: Python checks no annotation
    assert!(!msgs.iter().any(|m| m.contains("mixed.py:20")), "{msgs:#?}");
    has("mixed.py:33: in solve_bad00003: no `return`");
    has("mixed.py:39: in solve_bad00004: code after `return`");
    has("mixed.py:41: `helper` is not a solver");
    has("mixed.py:45: in solve_bad00005: `S` is not a parameter");
    has("mixed.py:46: in solve_bad00005: `ONE` is a constant, not a function");
    has("mixed.py:47: in solve_bad00005: `upscale` takes 2 arguments, got 3");
    has("mixed.py:48: in solve_bad00005: nested call of `rot90`");
    // the good programs carry their source lines
    let p = &f.programs[0];
    assert_eq!((p.def_line, p.line_nos.clone()), (5, vec![6, 7, 8]));
}

#[test]
fn print_then_parse_is_the_same_program() {
    let f = parse_str(MIXED, "mixed.py");
    for p in &f.programs {
        let text = print(&p.program);
        let again = parse_str(&text, "printed.py");
        assert!(again.errors.is_empty(), "{text}\n{:?}", again.errors);
        assert_eq!(again.programs[0].program, p.program, "{text}");
        assert_eq!(print(&again.programs[0].program), text);
    }
    let text = print(&f.programs[1].program);
    assert_eq!(
        text,
        "def solve_good0002(S, I):\n    x1 = a_mr(S)\n    x2 = mir_rot(I, x1)\n    x3 = rbind(get_nth, NEG_ONE)\n    \
         x4 = o_g(x2, FIVE)\n    x5 = x3(x4)\n    O = paint(x2, x5)\n    return O\n"
    );
}

#[test]
fn runs_a_program() {
    let f = parse_str(MIXED, "mixed.py");
    let p = &f.programs[0].program;
    let out = run(p, &g(&[&[1, 2], &[3, 4]]), None, &mut Ctx::default()).unwrap();
    assert_eq!(out, g(&[&[1, 2, 2, 1], &[3, 4, 4, 3], &[1, 2, 2, 1], &[3, 4, 4, 3]]));
    assert_eq!(p.ret, Ref::Line(2));
}

#[test]
fn failures_name_the_line_and_budgets_stop_runaway_programs() {
    let src = "def solve_x(I):\n    x1 = objects(I, T, F, T)\n    x2 = sizefilter(x1, 100)\n    O = first(x2)\n    return O\n";
    let p = &parse_str(src, "x.py").programs[0].program;
    let e = run(p, &g(&[&[1, 0], &[0, 1]]), None, &mut Ctx::default()).unwrap_err();
    assert_eq!(e.line, Some(2));

    let src = "def solve_y(I):\n    x1 = power(rot90, 1000000000)\n    O = x1(I)\n    return O\n";
    let p = &parse_str(src, "y.py").programs[0].program;
    let e = run(p, &g(&[&[1, 2]]), None, &mut Ctx::new(10_000)).unwrap_err();
    assert_eq!((e.line, e.fail), (Some(1), Fail::Budget));

    // a value past the size limits fails the run, it does not exhaust memory
    let src = "def solve_z(I):\n    x1 = upscale(I, 30)\n    O = upscale(x1, 30)\n    return O\n";
    let p = &parse_str(src, "z.py").programs[0].program;
    let e = run(p, &g(&[&[1, 2], &[3, 4]]), None, &mut Ctx::default()).unwrap_err();
    assert!(matches!(e.fail, Fail::Limit(_)), "{e}");
}

#[test]
fn the_interpreter_is_the_battery_evaluator_on_one_program() {
    let input = g(&[&[1, 0], &[0, 1]]);
    // identical lines are one node; a failure is named at the first line of its node
    let src = "def solve_m(I):\n    x1 = rot90(I)\n    x2 = rot90(I)\n    x3 = objects(x2, T, F, T)\n    x4 = sizefilter(x3, 100)\n    O = first(x4)\n    return O\n";
    let p = &parse_str(src, "m.py").programs[0].program;
    let e = run(p, &input, None, &mut Ctx::default()).unwrap_err();
    assert_eq!(e.line, Some(4), "{e}");

    // every line runs, as in arc-dsl: a failing line fails the run though nothing reads it
    let src = "def solve_u(I):\n    x1 = objects(I, T, F, T)\n    x2 = sizefilter(x1, 100)\n    x3 = first(x2)\n    O = rot90(I)\n    return O\n";
    let p = &parse_str(src, "u.py").programs[0].program;
    assert_eq!(run(p, &input, None, &mut Ctx::default()).unwrap_err().line, Some(2));

    // one budget for the whole run: the steps of all lines together
    let src = "def solve_b(I):\n    x1 = rot90(I)\n    x2 = rot90(x1)\n    O = rot90(x2)\n    return O\n";
    let p = &parse_str(src, "b.py").programs[0].program;
    let mut ctx = Ctx::default();
    run(p, &input, None, &mut ctx).unwrap();
    let used = Ctx::default().steps_left() - ctx.steps_left();
    assert!(run(p, &input, None, &mut Ctx::new(used)).is_ok());
    let e = run(p, &input, None, &mut Ctx::new(used - 1)).unwrap_err();
    assert_eq!((e.line, e.fail), (Some(2), Fail::Budget));

    // a program that reads S needs the demo pairs; one may return its input
    let src = "def solve_s(S, I):\n    x1 = size(S)\n    O = rot90(I)\n    return O\n";
    let p = &parse_str(src, "s.py").programs[0].program;
    assert_eq!(run(p, &input, None, &mut Ctx::default()).unwrap_err().line, None);
    let src = "def solve_i(I):\n    x1 = rot90(I)\n    return I\n";
    let f = parse_str(src, "i.py");
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    assert_eq!(run(&f.programs[0].program, &input, None, &mut Ctx::default()).unwrap(), input);
}

#[test]
fn a_bad_byte_loses_only_its_line_and_a_bom_loses_nothing() {
    // a UTF-8 byte-order mark, then a Latin-1 byte in a comment (line 6) and one in code (line 10)
    let mut src = b"\xEF\xBB\xBFdef solve_aaaaaaa1(I):\n    O = rot90(I)\n    return O\n\n".to_vec();
    src.extend_from_slice(b"def solve_aaaaaaa2(I):\n    O = rot180(I)  # caf\xE9\n    return O\n\n");
    src.extend_from_slice(b"def solve_aaaaaaa3(I):\n    O = rot\xE970(I)\n    return O\n\n");
    src.extend_from_slice(b"def solve_aaaaaaa4(I):\n    O = rot270(I)\n    return O\n");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("prog-bytes");
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("latin1.py");
    std::fs::write(&f, &src).unwrap();
    let parsed = batt_prog::parse_file(&f);
    let names: Vec<&str> = parsed.programs.iter().map(|p| p.program.name.as_str()).collect();
    assert_eq!(names, ["aaaaaaa1", "aaaaaaa2", "aaaaaaa4"], "{:?}", parsed.errors);
    let lines: Vec<usize> = parsed.errors.iter().map(|e| e.line).collect();
    assert!(lines.contains(&6) && lines.contains(&10), "{:?}", parsed.errors);
    assert!(parsed.errors.iter().all(|e| e.line > 0));
    let shown: Vec<String> = parsed.errors.iter().map(|e| e.to_string()).collect();
    assert!(shown.iter().any(|e| e.ends_with("latin1.py:6: not UTF-8 text: byte 0xE9 at column 25")), "{shown:?}");
    // the same text without the bad bytes: a BOM alone costs nothing
    let clean = parse_str("\u{feff}def solve_b(I):\n    O = rot90(I)\n    return O\n", "bom.py");
    assert!(clean.errors.is_empty(), "{:?}", clean.errors);
    assert_eq!(clean.programs.len(), 1);
}

#[test]
fn a_bare_solve_is_a_program_for_no_task() {
    let f = parse_str("def solve(I):\n    O = vmirror(I)\n    return O\n", "bare.py");
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let p = &f.programs[0];
    assert_eq!(p.program.name, "");
    let text = print(&p.program);
    assert_eq!(text, "def solve(I):\n    O = vmirror(I)\n    return O\n");
    assert_eq!(parse_str(&text, "printed.py").programs[0].program, p.program);
    assert_eq!(run(&p.program, &g(&[&[1, 2]]), None, &mut Ctx::default()).unwrap(), g(&[&[2, 1]]));
    // verify cannot tell which task it is for, and says so
    let task = batt_dsl::task::parse_task(
        &serde_json::json!({"train": [{"input": [[1, 2]], "output": [[2, 1]]}], "test": [{"input": [[3]]}]}),
        "t1",
    )
    .unwrap();
    let report = batt_prog::verify::verify(&f.programs, &[task], 1000);
    assert!(report.solvers.is_empty());
    assert_eq!(report.errors, ["bare.py:1: `solve` names no task: call it solve_<task id>"]);
    // `solve_` alone is no name
    let f = parse_str("def solve_(I):\n    return I\n", "empty.py");
    assert!(f.errors[0].to_string().contains("is not a solver"), "{:?}", f.errors);
}

#[test]
fn grid_literals_are_python_tuples_of_rows() {
    // a classifier's answer: one of two constant grids, chosen by a test of the input
    let src = "def solve_sym(I):\n    x1 = vmirror(I)\n    x2 = equality(I, x1)\n    \
               O = branch(x2, ((1,),), ((7, 0), (0, 7),))\n    return O\n";
    let f = parse_str(src, "sym.py");
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let p = &f.programs[0].program;
    let run_on = |rows: &[&[i8]]| run(p, &g(rows), None, &mut Ctx::default()).unwrap();
    assert_eq!(run_on(&[&[2, 0, 2]]), g(&[&[1]]));
    assert_eq!(run_on(&[&[2, 0, 0]]), g(&[&[7, 0], &[0, 7]]));
    // printed as Python writes them (a one-item tuple keeps its comma), and read back
    let text = print(p);
    assert!(text.contains("O = branch(x2, ((1,),), ((7, 0), (0, 7)))"), "{text}");
    assert_eq!(parse_str(&text, "again.py").programs[0].program, *p);

    let bad = |lit: &str, needle: &str| {
        let src = format!("def solve_bad(I):\n    O = branch(T, I, {lit})\n    return O\n");
        let msgs: Vec<String> = parse_str(&src, "bad.py").errors.iter().map(|e| e.to_string()).collect();
        assert!(msgs.iter().any(|m| m.contains("bad.py:2") && m.contains(needle)), "{lit}: {msgs:?}");
    };
    bad("((1, 2), (3,))", "grid row 2 has 1 cells, row 1 has 2");
    bad("((1, 12),)", "grid cell 12 is not a colour");
    bad("((1, 2), (3, 4)", "missing `)`");
    bad("((1, 2) (3, 4))", "expected `,` or `)` in a tuple");
}
