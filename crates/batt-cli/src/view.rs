//! `batt view`: one self-contained HTML page to look at tasks and what a run made of them.
//!
//! The page needs nothing but a browser (no network, no external scripts, styles or fonts):
//! its style and script are inline and its data is one JSON document embedded in it. Each
//! task shows its demo pairs and test inputs in the ARC colours, the two attempts of a
//! submission beside the expected outputs with wrong cells marked, and its solvers from a
//! library; the page starts with the run's figures and a filter (which the address may set:
//! `page.html#show=solved&q=00`, `show` one of `all`, `solved`, `unsolved`, `solver`,
//! `nosolver`). Grids are drawn on canvases
//! when a task scrolls into view, so a page of a few hundred tasks opens at once.
//!
//! Every text the page shows (task ids, program text, file names) travels inside the JSON and
//! is put on the page as text (`textContent`), never as markup; the JSON is embedded with `<`,
//! `>` and `&` escaped, so nothing in it can end its script element.

use crate::run::select;
use anyhow::{bail, Context, Result};
use batt_dsl::task::{self, Task};
use batt_dsl::Grid;
use batt_engine::library::{check_output, write_file_atomic};
use batt_engine::predict::TaskPrediction;
use batt_engine::submission::{outputs_right, read_submission, score};
use batt_engine::Library;
use serde_json::{json, Value as J};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

/// What to show, and where the page goes.
pub struct ViewArgs {
    pub tasks: PathBuf,
    pub ids: Vec<String>,
    pub library: Option<PathBuf>,
    pub submission: Option<PathBuf>,
    pub solutions: Option<PathBuf>,
    pub output: PathBuf,
}

/// `batt view`.
pub fn view(out: &mut impl Write, a: &ViewArgs) -> Result<()> {
    check_output(&a.output).context("cannot write the output")?;
    let mut loaded = task::load(&a.tasks);
    if let Some(s) = &a.solutions {
        task::add_solutions(&mut loaded, s);
    }
    for e in &loaded.errors {
        eprintln!("warning: {e}");
    }
    let tasks = select(loaded.tasks, &a.ids, 0, None)?;
    if tasks.is_empty() {
        bail!("no tasks loaded from {}", a.tasks.display());
    }
    let preds = match &a.submission {
        Some(f) => read_submission(f)?,
        None => vec![],
    };
    if let Some(f) = &a.submission {
        let strays: Vec<&str> =
            preds.iter().filter(|p| !tasks.iter().any(|t| t.id == p.task)).map(|p| p.task.as_str()).collect();
        if let Some(first) = strays.first() {
            eprintln!(
                "warning: {}: {} of its tasks are not among the tasks loaded (the first: {first}); they are not shown",
                f.display(),
                strays.len()
            );
        }
        for (p, t) in preds.iter().filter_map(|p| tasks.iter().find(|t| t.id == p.task).map(|t| (p, t))) {
            if p.tests.len() != t.test.len() {
                eprintln!(
                    "warning: {}: task {}: {} predictions for {} test inputs",
                    f.display(),
                    t.id,
                    p.tests.len(),
                    t.test.len()
                );
            }
        }
    }
    let mut solvers: HashMap<String, Vec<String>> = HashMap::new();
    if let Some(dir) = &a.library {
        if !dir.is_dir() {
            bail!("library {}: not a directory", dir.display());
        }
        let lib = Library::new(dir, usize::MAX);
        for t in &tasks {
            let progs = lib.solvers(&t.id);
            if !progs.is_empty() {
                solvers.insert(t.id.clone(), progs.iter().map(batt_prog::print).collect());
            }
        }
    }
    let path = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string());
    let sources = json!({
        "tasks": a.tasks.display().to_string(),
        "library": path(&a.library),
        "submission": path(&a.submission),
        "solutions": path(&a.solutions),
    });
    let data = page_data(&tasks, &preds, &solvers, sources);
    write_file_atomic(&a.output, page(&data).as_bytes()).with_context(|| format!("writing {}", a.output.display()))?;
    let f = &data["figures"];
    writeln!(
        out,
        "{} tasks ({} solved: every test output right; {} of {} test outputs right; {} with a solver in the library) written to {}",
        f["tasks"],
        f["solved"],
        f["outputs_right"],
        f["outputs"],
        f["with_solver"],
        a.output.display()
    )?;
    Ok(())
}

/// A grid as the page reads it: one string per row, one character per cell (`0`..`9`, and
/// `.` for a value that is not an ARC colour, which only a prediction can hold).
fn rows(g: &Grid) -> J {
    g.rows()
        .map(|r| {
            r.iter().map(|&c| if (0..=9).contains(&c) { (b'0' + c as u8) as char } else { '.' }).collect::<String>()
        })
        .collect()
}

/// How an attempt compares with the expected output: `right`, and the wrong cells (row-major
/// indices) when the shapes agree.
fn attempt(got: &Grid, want: Option<&Grid>) -> J {
    let mut a = json!({ "grid": rows(got) });
    if let Some(w) = want {
        a["right"] = json!(got == w);
        if got.h() == w.h() && got.w() == w.w() {
            let wrong: Vec<usize> =
                got.cells().iter().zip(w.cells()).enumerate().filter(|(_, (x, y))| x != y).map(|(k, _)| k).collect();
            a["wrong"] = json!(wrong);
        }
    }
    a
}

/// The page's data: every task with its grids, attempts and solvers, and the figures.
pub fn page_data(tasks: &[Task], preds: &[TaskPrediction], solvers: &HashMap<String, Vec<String>>, sources: J) -> J {
    let by_id: HashMap<&str, &TaskPrediction> = preds.iter().map(|p| (p.task.as_str(), p)).collect();
    let mut solved = 0;
    let list: Vec<J> = tasks
        .iter()
        .map(|t| {
            let pred = by_id.get(t.id.as_str()).copied();
            let right = pred.map_or(0, |p| outputs_right(p, t).filter(|&(_, ok)| ok).count());
            let is_solved = t.has_test_outputs() && right == t.test.len();
            solved += is_solved as usize;
            let tests: Vec<J> = t
                .test
                .iter()
                .enumerate()
                .map(|(k, x)| {
                    let attempts: Vec<J> = pred
                        .and_then(|p| p.tests.get(k))
                        .map(|a| {
                            vec![attempt(&a.attempt_1, x.output.as_ref()), attempt(&a.attempt_2, x.output.as_ref())]
                        })
                        .unwrap_or_default();
                    json!({"input": rows(&x.input), "output": x.output.as_ref().map(rows), "attempts": attempts})
                })
                .collect();
            json!({
                "id": t.id,
                "train": t.train.iter().map(|p| json!({"input": rows(&p.input), "output": rows(&p.output)})).collect::<Vec<_>>(),
                "test": tests,
                "predicted": pred.is_some(),
                "known": t.has_test_outputs(),
                "right": right,
                "solved": is_solved,
                "solvers": solvers.get(&t.id).cloned().unwrap_or_default(),
            })
        })
        .collect();
    let sc = score(preds, tasks);
    json!({
        "sources": sources,
        "figures": {
            "tasks": tasks.len(),
            "solved": solved,
            "predicted": tasks.iter().filter(|t| by_id.contains_key(t.id.as_str())).count(),
            "outputs_right": sc.as_ref().map_or(0, |s| s.outputs_right),
            "outputs": sc.as_ref().map_or(0, |s| s.outputs),
            "score": sc.as_ref().map(|s| s.score),
            "with_solver": tasks.iter().filter(|t| solvers.contains_key(&t.id)).count(),
        },
        "tasks": list,
    })
}

/// JSON that can sit inside a `<script>` element: `<`, `>` and `&` (found only inside its
/// strings) written as `\u` escapes.
fn script_json(data: &J) -> String {
    serde_json::to_string(data)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The whole page for [`page_data`]'s data.
pub fn page(data: &J) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>batt view</title>\n<script>{CATCH}</script>\n<style>{STYLE}</style>\n</head>\n<body>\n{BODY}\n\
         <script type=\"application/json\" id=\"data\">{}</script>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        script_json(data)
    )
}

/// Runs first: every error on the page is recorded in `data-errors` on the root element, where
/// a test (or a person) reads it.
const CATCH: &str = r#"
window.battErrors = [];
function battError(m) {
  window.battErrors.push(String(m));
  document.documentElement.setAttribute("data-errors", JSON.stringify(window.battErrors));
}
window.addEventListener("error", function (e) { battError(e.message || e); });
window.addEventListener("unhandledrejection", function (e) { battError(e.reason); });
(function () {
  var original = console.error;
  console.error = function () {
    battError(Array.prototype.join.call(arguments, " "));
    return original.apply(console, arguments);
  };
})();
"#;

const STYLE: &str = r#"
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f4f4f4; color: #222; }
header { position: sticky; top: 0; z-index: 1; background: #fff; border-bottom: 1px solid #ccc; padding: 8px 16px; }
h1 { font-size: 18px; margin: 0 8px 0 0; display: inline; }
#sources { color: #666; font-size: 12px; }
#figures span { margin-right: 16px; }
#figures b { font-size: 16px; }
#controls { margin-top: 6px; }
#controls input { width: 16em; }
main { padding: 8px 16px; }
section.task { background: #fff; border: 1px solid #ccc; border-left: 6px solid #bbb; margin: 0 0 10px; padding: 6px 10px; min-height: 60px; }
section.task.solved { border-left-color: #2ECC40; }
section.task.unsolved.known { border-left-color: #d33; }
.task h2 { font-size: 15px; margin: 0; font-family: monospace; display: inline-block; margin-right: 12px; }
.badge { font-size: 12px; padding: 1px 6px; border-radius: 8px; background: #eee; margin-right: 6px; }
.solved .badge.status { background: #d6f5da; }
.unsolved.known .badge.status { background: #fadada; }
.row { display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start; margin: 6px 0; }
.label { font-size: 12px; color: #666; width: 40px; }
.pair { display: flex; gap: 4px; align-items: center; padding: 4px; background: #fafafa; border: 1px solid #eee; }
.arrow { color: #999; }
figure { margin: 0; text-align: center; }
figcaption { font-size: 11px; color: #555; max-width: 170px; margin: 0 auto; }
canvas { display: block; image-rendering: pixelated; border: 2px solid transparent; }
figure.right canvas { border-color: #2ECC40; }
figure.wrong canvas { border-color: #d33; }
figure.right figcaption { color: #1a7f2b; font-weight: bold; }
figure.wrong figcaption { color: #b22; font-weight: bold; }
.missing { font-size: 12px; color: #999; padding: 20px 8px; border: 1px dashed #ccc; }
pre { background: #f7f7f7; border: 1px solid #e4e4e4; padding: 4px 8px; margin: 4px 0; font-size: 12px; overflow-x: auto; }
"#;

const BODY: &str = r#"<header>
<h1>batt view</h1><span id="sources"></span>
<div id="figures">
<span><b id="n-tasks">0</b> tasks</span>
<span><b id="n-solved">0</b> solved (every test output right)</span>
<span><b id="n-right">0</b> of <b id="n-outputs">0</b> test outputs right</span>
<span>score <b id="n-score">-</b></span>
<span><b id="n-predicted">0</b> predicted</span>
<span><b id="n-solver">0</b> with a solver in the library</span>
</div>
<div id="controls">
<input id="filter" type="search" placeholder="filter by task id" aria-label="filter by task id">
<select id="show" aria-label="which tasks">
<option value="all">all tasks</option>
<option value="solved">solved</option>
<option value="unsolved">not solved</option>
<option value="solver">with a library solver</option>
<option value="nosolver">without a library solver</option>
</select>
<span id="shown"></span>
</div>
</header>
<main id="tasks"></main>"#;

const SCRIPT: &str = r##"
"use strict";
(function () {
  var COLOURS = ["#000000", "#0074D9", "#FF4136", "#2ECC40", "#FFDC00",
                 "#AAAAAA", "#F012BE", "#FF851B", "#7FDBFF", "#870C25"];
  var data = JSON.parse(document.getElementById("data").textContent);

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function dims(rows) { return rows.length + "\u00d7" + rows[0].length; }

  // one grid on a canvas; `wrong` lists the cells (row-major) to cross out
  function grid(rows, caption, cls, wrong) {
    var fig = el("figure", cls || "");
    var h = rows.length, w = rows[0].length;
    var s = Math.max(3, Math.min(16, Math.floor(160 / Math.max(h, w))));
    var c = el("canvas");
    c.width = w * s + 1;
    c.height = h * s + 1;
    var g = c.getContext("2d");
    g.fillStyle = "#555";
    g.fillRect(0, 0, c.width, c.height);
    for (var i = 0; i < h; i++) {
      for (var j = 0; j < w; j++) {
        var k = rows[i].charCodeAt(j) - 48;
        g.fillStyle = k >= 0 && k <= 9 ? COLOURS[k] : "#ffffff";
        g.fillRect(j * s + 1, i * s + 1, s - 1, s - 1);
      }
    }
    if (wrong) {
      [[Math.max(2, s / 4), "#000"], [Math.max(1, s / 8), "#fff"]].forEach(function (pen) {
        g.lineWidth = pen[0];
        g.strokeStyle = pen[1];
        wrong.forEach(function (cell) {
          var x = (cell % w) * s + 1, y = Math.floor(cell / w) * s + 1, m = Math.max(1, s / 5);
          g.beginPath();
          g.moveTo(x + m, y + m); g.lineTo(x + s - 1 - m, y + s - 1 - m);
          g.moveTo(x + s - 1 - m, y + m); g.lineTo(x + m, y + s - 1 - m);
          g.stroke();
        });
      });
    }
    fig.appendChild(c);
    fig.appendChild(el("figcaption", "", caption));
    return fig;
  }

  function attemptFigure(a, n, expected) {
    var name = "attempt " + n + " " + dims(a.grid);
    if (a.right === undefined) return grid(a.grid, name, "attempt");
    if (a.right) return grid(a.grid, name + " \u2713 right", "attempt right");
    var why = a.wrong ? a.wrong.length + " cells wrong"
                      : "wrong shape (expected " + dims(expected) + ")";
    return grid(a.grid, name + " \u2717 " + why, "attempt wrong", a.wrong);
  }

  // the grids and solvers of a task, built when it first scrolls into view
  function fill(sec) {
    var t = data.tasks[+sec.dataset.index];
    var body = sec.querySelector(".body");
    var demo = el("div", "row");
    demo.appendChild(el("span", "label", "demo"));
    t.train.forEach(function (p, k) {
      var pair = el("div", "pair");
      pair.appendChild(grid(p.input, "in " + k + " " + dims(p.input)));
      pair.appendChild(el("span", "arrow", "\u2192"));
      pair.appendChild(grid(p.output, "out " + k + " " + dims(p.output)));
      demo.appendChild(pair);
    });
    body.appendChild(demo);
    t.test.forEach(function (x, k) {
      var row = el("div", "row");
      row.appendChild(el("span", "label", "test " + k));
      row.appendChild(grid(x.input, "input " + dims(x.input)));
      if (x.output) row.appendChild(grid(x.output, "expected " + dims(x.output), "expected"));
      else row.appendChild(el("div", "missing", "expected output unknown"));
      if (x.attempts.length) {
        x.attempts.forEach(function (a, n) { row.appendChild(attemptFigure(a, n + 1, x.output)); });
      } else {
        row.appendChild(el("div", "missing", "no prediction"));
      }
      body.appendChild(row);
    });
    t.solvers.forEach(function (s) { body.appendChild(el("pre", "solver", s)); });
    sec.dataset.filled = "1";
  }

  var main = document.getElementById("tasks");
  var sections = data.tasks.map(function (t, k) {
    var sec = el("section", "task " + (t.solved ? "solved" : "unsolved") + (t.known ? " known" : ""));
    sec.id = "task-" + t.id;
    sec.dataset.index = k;
    sec.dataset.id = t.id;
    var head = el("div", "head");
    head.appendChild(el("h2", "", t.id));
    var status = !t.predicted ? "no prediction"
      : !t.known ? "expected outputs unknown"
      : t.right + " of " + t.test.length + " test outputs right";
    head.appendChild(el("span", "badge status", status));
    head.appendChild(el("span", "badge", t.solvers.length + " library solvers"));
    head.appendChild(el("span", "badge", t.train.length + " demo pairs"));
    sec.appendChild(head);
    sec.appendChild(el("div", "body"));
    main.appendChild(sec);
    return sec;
  });

  if (window.IntersectionObserver) {
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) { io.unobserve(e.target); fill(e.target); }
      });
    }, { rootMargin: "800px" });
    sections.forEach(function (s) { io.observe(s); });
  } else {
    sections.forEach(fill);
  }

  var f = data.figures;
  function put(id, v) { document.getElementById(id).textContent = String(v); }
  put("n-tasks", f.tasks);
  put("n-solved", f.solved);
  put("n-right", f.outputs_right);
  put("n-outputs", f.outputs);
  put("n-score", f.score === null ? "-" : f.score.toFixed(4));
  put("n-predicted", f.predicted);
  put("n-solver", f.with_solver);
  var src = data.sources, parts = ["tasks " + src.tasks];
  ["library", "submission", "solutions"].forEach(function (k) { if (src[k]) parts.push(k + " " + src[k]); });
  put("sources", parts.join(" \u00b7 "));

  var filter = document.getElementById("filter"), show = document.getElementById("show");
  function apply() {
    var q = filter.value.trim().toLowerCase(), which = show.value, n = 0;
    sections.forEach(function (sec, k) {
      var t = data.tasks[k];
      var kind = { all: true, solved: t.solved, unsolved: !t.solved,
                   solver: t.solvers.length > 0, nosolver: t.solvers.length === 0 }[which];
      var ok = kind && t.id.toLowerCase().indexOf(q) >= 0;
      sec.hidden = !ok;
      n += ok ? 1 : 0;
    });
    put("shown", "showing " + n + " of " + sections.length);
  }
  // the page's address may choose the first view: page.html#show=solved&q=00
  location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
    var p = kv.split("="), v = decodeURIComponent(p[1] || "");
    if (p[0] === "q") filter.value = v;
    if (p[0] === "show" && Array.prototype.some.call(show.options, function (o) { return o.value === v; })) {
      show.value = v;
    }
  });
  filter.addEventListener("input", apply);
  show.addEventListener("change", apply);
  apply();
  document.body.setAttribute("data-ready", "1");
})();
"##;

#[cfg(test)]
mod tests {
    use super::*;
    use batt_dsl::task::{Example, Test};
    use batt_engine::predict::Attempts;

    fn g(h: usize, w: usize, c: &[i8]) -> Grid {
        Grid::new(h, w, c.to_vec()).unwrap()
    }

    /// Two tasks: `aa` solved by attempt 2, `bb` with one cell wrong and one shape wrong.
    fn sample() -> (Vec<Task>, Vec<TaskPrediction>) {
        let want = g(2, 2, &[1, 2, 3, 4]);
        let t = |id: &str, tests: usize| Task {
            id: id.into(),
            train: vec![Example { input: g(1, 1, &[5]), output: g(1, 1, &[6]) }],
            test: vec![Test { input: g(1, 2, &[7, 8]), output: Some(want.clone()) }; tests],
        };
        let p = |id: &str, tests: Vec<Attempts>| TaskPrediction { task: id.into(), tests, solver: None, solvers: 0 };
        let tasks = vec![t("aa", 1), t("bb", 1), t("cc", 2)];
        let preds = vec![
            p("aa", vec![Attempts { attempt_1: g(1, 1, &[0]), attempt_2: want.clone() }]),
            p("bb", vec![Attempts { attempt_1: g(2, 2, &[1, 2, 3, -1]), attempt_2: g(1, 2, &[1, 2]) }]),
        ];
        (tasks, preds)
    }

    /// The JSON embedded in a page, read back.
    fn embedded(page: &str) -> J {
        let start = page.find("id=\"data\">").unwrap() + "id=\"data\">".len();
        let end = start + page[start..].find("</script>").unwrap();
        serde_json::from_str(&page[start..end]).unwrap()
    }

    #[test]
    fn every_task_is_in_the_page_with_its_figures() {
        let (tasks, preds) = sample();
        let solvers =
            HashMap::from([("bb".to_string(), vec!["def solve_bb(I):\n    O = rot90(I)\n    return O\n".into()])]);
        let data = page_data(&tasks, &preds, &solvers, json!({"tasks": "x"}));
        let html = page(&data);
        assert_eq!(embedded(&html), data);
        let ids: Vec<&str> = data["tasks"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["aa", "bb", "cc"]);
        let f = &data["figures"];
        assert_eq!((f["tasks"].as_u64(), f["solved"].as_u64(), f["predicted"].as_u64()), (Some(3), Some(1), Some(2)));
        assert_eq!(
            (f["outputs_right"].as_u64(), f["outputs"].as_u64(), f["with_solver"].as_u64()),
            (Some(1), Some(2), Some(1))
        );
        assert_eq!(data["tasks"][0]["solved"], true);
        assert_eq!(data["tasks"][1]["solvers"][0].as_str().unwrap().lines().count(), 3);
        // the task never predicted: its test outputs are shown with no attempts
        assert_eq!(data["tasks"][2]["test"].as_array().unwrap().len(), 2);
        assert_eq!(data["tasks"][2]["test"][0]["attempts"], json!([]));
        // the ARC colours, in order
        let colours = [
            "#000000", "#0074D9", "#FF4136", "#2ECC40", "#FFDC00", "#AAAAAA", "#F012BE", "#FF851B", "#7FDBFF",
            "#870C25",
        ];
        let listed = colours.map(|c| format!("\"{c}\"")).join(", ");
        assert!(html.replace(",\n                 ", ", ").contains(&listed), "the ARC colours in order");
    }

    #[test]
    fn wrong_cells_and_shapes_are_marked() {
        let (tasks, preds) = sample();
        let data = page_data(&tasks, &preds, &HashMap::new(), json!({}));
        let aa = &data["tasks"][0]["test"][0]["attempts"];
        assert_eq!((aa[0]["right"].as_bool(), aa[1]["right"].as_bool()), (Some(false), Some(true)));
        assert_eq!(aa[0]["wrong"], json!(null), "attempt 1 of aa has the wrong shape");
        assert_eq!(aa[1]["wrong"], json!([]));
        let bb = &data["tasks"][1]["test"][0]["attempts"];
        assert_eq!(bb[0]["wrong"], json!([3]), "the one cell that differs");
        assert_eq!(bb[0]["grid"], json!(["12", "3."]), "a value that is not a colour is `.`");
        assert_eq!(bb[1]["wrong"], json!(null));
        assert_eq!(data["tasks"][1]["right"], 0);
        // the expected output is known but unpredicted: no attempts to mark
        assert_eq!(data["tasks"][2]["test"][1]["output"], json!(["12", "34"]));
    }

    #[test]
    fn text_is_escaped_and_nothing_is_fetched() {
        let (tasks, preds) = sample();
        let evil = "</script><script>alert(1)</script><!-- & -->";
        let solvers = HashMap::from([("aa".to_string(), vec![evil.to_string()])]);
        let data = page_data(&tasks, &preds, &solvers, json!({"tasks": evil, "library": "a&b"}));
        let html = page(&data);
        assert!(!html.contains("<script>alert"), "the text cannot end the data's script element");
        assert!(!html.contains("<!--"));
        assert_eq!(html.matches("</script>").count(), 3, "the page's own three scripts only");
        assert_eq!(embedded(&html)["tasks"][0]["solvers"][0], evil, "the text is shown as it is");
        assert_eq!(embedded(&html)["sources"]["tasks"], evil);
        // self-contained: no address, no file, no font is loaded
        for needle in ["http:", "https:", "src=", "href=", "@import", "url(", "@font-face"] {
            assert!(!html.contains(needle), "{needle}");
        }
        // the program text goes on the page as text, never as markup
        assert!(
            !html.contains("innerHTML") && !html.contains("insertAdjacentHTML") && !html.contains("document.write")
        );
    }
}
