//! `batt view`: the page it writes, loaded in a real headless browser (Debian's `chromium`).
//!
//! Without a browser the browser test is skipped, unless `BATT_REQUIRE_BROWSER=1` (as CI sets
//! it), where a missing browser is a failure. `BATT_CHROMIUM` names the browser's binary
//! (default: `chromium`, `chromium-browser` or `google-chrome` on the PATH).

mod common;

use common::{batt, root, scratch, text};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The browser, or `None` (the test is skipped) when there is none and none is required.
fn browser() -> Option<PathBuf> {
    let named = std::env::var_os("BATT_CHROMIUM").map(PathBuf::from);
    let found = named.or_else(|| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .flat_map(|d| ["chromium", "chromium-browser", "google-chrome"].map(|n| d.join(n)))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("BATT_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "BATT_REQUIRE_BROWSER=1 but no chromium was found (apt-get install chromium, or set BATT_CHROMIUM)"
        );
        eprintln!("skipped: no chromium on the PATH (BATT_REQUIRE_BROWSER=1 makes this a failure)");
    }
    found
}

/// The address of a page, with a fragment (`#show=solved`) or none.
fn url(page: &Path, fragment: &str) -> String {
    format!("file://{}{fragment}", page.canonicalize().unwrap().display())
}

/// Runs the browser headless on the page at `url` with `args` (a fresh profile each time, no network
/// services); its stdout and stderr. A browser that takes over two minutes is a failure.
fn headless(chromium: &Path, url: &str, profile: &Path, args: &[&str]) -> (String, String) {
    let _ = std::fs::remove_dir_all(profile);
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the browser starts");
    // read both pipes while waiting, so a full pipe never stalls the browser
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || std::io::read_to_string(&mut out).unwrap_or_default());
    let err = std::thread::spawn(move || std::io::read_to_string(&mut err).unwrap_or_default());
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("the browser did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    (out.join().unwrap(), err.join().unwrap())
}

/// What the page shows once loaded: the DOM after its script ran, and every problem it had
/// (errors its script recorded, console messages the browser logged).
struct Loaded {
    dom: String,
    problems: Vec<String>,
}

fn load(chromium: &Path, url: &str, profile: &Path) -> Loaded {
    let (dom, log) = headless(chromium, url, profile, &["--dump-dom"]);
    let mut problems: Vec<String> = log.lines().filter(|l| l.contains(":CONSOLE")).map(str::to_string).collect();
    if let Some(k) = dom.find("data-errors=") {
        problems.push(dom[k..].chars().take(300).collect());
    }
    if !dom.contains("data-ready=\"1\"") {
        problems.push("the page's script did not finish".into());
    }
    Loaded { dom, problems }
}

/// The number in the element of this id (`<b id="n-tasks">400</b>`).
fn figure(dom: &str, id: &str) -> u64 {
    let key = format!("id=\"{id}\">");
    let k = dom.find(&key).unwrap_or_else(|| panic!("no #{id} in the page")) + key.len();
    let n = &dom[k..k + dom[k..].find('<').unwrap()];
    n.parse().unwrap_or_else(|_| panic!("#{id} shows {n:?}"))
}

/// The submission's figures recomputed from the files alone: (tasks with every test output
/// right, test outputs right, test outputs).
fn expected_figures(submission: &Path, solutions: &Path) -> (u64, u64, u64) {
    let read = |p: &Path| -> serde_json::Value { serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap() };
    let (sub, sol) = (read(submission), read(solutions));
    let (mut solved, mut right, mut outputs) = (0, 0, 0);
    for (id, attempts) in sub.as_object().unwrap() {
        let want = sol[id].as_array().unwrap();
        let got = attempts.as_array().unwrap();
        let r = got.iter().zip(want).filter(|(a, w)| a["attempt_1"] == **w || a["attempt_2"] == **w).count() as u64;
        solved += (r == want.len() as u64) as u64;
        right += r;
        outputs += want.len() as u64;
    }
    (solved, right, outputs)
}

/// `batt run` over the 400 shipped tasks with the shipped solvers, then `batt view` of the
/// tasks, the library and the submission: the page loads in chromium without an error, shows
/// 400 tasks and the right numbers of solved tasks and right test outputs, and a screenshot of
/// it is written (`target/tmp/view-browser/page.png`).
#[test]
fn the_page_loads_in_a_headless_browser_with_the_right_figures() {
    let Some(chromium) = browser() else { return };
    let d = scratch("view-browser");
    let (lib, sub, page) = (d.join("library"), d.join("submission.json"), d.join("page.html"));
    let challenges = "data/arc-agi-1/kaggle/arc-agi_training_challenges.json";
    let o = batt(&[
        "run",
        "--solvers",
        "solvers",
        "--tasks",
        challenges,
        "--library",
        lib.to_str().unwrap(),
        "-o",
        sub.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o).1);
    let o = batt(&[
        "view",
        "--tasks",
        challenges,
        "--library",
        lib.to_str().unwrap(),
        "--submission",
        sub.to_str().unwrap(),
        "-o",
        page.to_str().unwrap(),
    ]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(err.is_empty(), "{err}");

    let (solved, right, outputs) =
        expected_figures(&sub, &root().join("data/arc-agi-1/kaggle/arc-agi_training_solutions.json"));
    assert!(solved > 50 && solved < 400, "{solved}: a page with solved and unsolved tasks");
    let loaded = load(&chromium, &url(&page, ""), &d.join("profile"));
    assert!(loaded.problems.is_empty(), "{:#?}", loaded.problems);
    let dom = &loaded.dom;
    assert_eq!(figure(dom, "n-tasks"), 400);
    assert_eq!(figure(dom, "n-solved"), solved);
    assert_eq!((figure(dom, "n-right"), figure(dom, "n-outputs")), (right, outputs));
    assert_eq!(dom.matches("<section class=\"task ").count(), 400, "one section per task");
    assert_eq!(dom.matches("<section class=\"task solved").count() as u64, solved, "solved sections");
    let solvers = std::fs::read_dir(&lib).unwrap().count() as u64;
    assert_eq!(figure(dom, "n-solver"), solvers, "tasks with a library solver");
    // the first tasks were drawn: canvases, solver text, crossed-out attempts
    assert!(dom.contains("data-filled=\"1\""), "no task was drawn");
    assert!(dom.contains("<canvas"));
    assert!(dom.contains("cells wrong") || dom.contains("wrong shape"), "an attempt marked wrong");
    assert!(dom.contains("showing 400 of 400"));
    // the filter, set from the address: only the solved tasks are shown
    let only_solved = load(&chromium, &url(&page, "#show=solved"), &d.join("profile"));
    assert!(only_solved.problems.is_empty(), "{:#?}", only_solved.problems);
    assert!(only_solved.dom.contains(&format!("showing {solved} of 400")), "the solved filter");
    assert_eq!(only_solved.dom.matches("hidden=\"\"").count() as u64, 400 - solved, "the others are hidden");

    let shot = d.join("page.png");
    let _ = headless(
        &chromium,
        &url(&page, ""),
        &d.join("profile"),
        &["--hide-scrollbars", "--window-size=1400,1800", &format!("--screenshot={}", shot.display())],
    );
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 20_000, "{} bytes", png.len());
    eprintln!("screenshot: {}", shot.display());

    // the checks can fail: a page whose script throws and logs an error is caught
    let broken = d.join("broken.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let bad = "<script>console.error(\"logged\"); throw new Error(\"thrown\");</script></body>";
    std::fs::write(&broken, html.replace("</body>", bad)).unwrap();
    let caught = load(&chromium, &url(&broken, ""), &d.join("profile"));
    let all = caught.problems.join("\n");
    assert!(all.contains("logged") && all.contains("thrown"), "{all}");
}

/// The page's problems with its inputs are clear errors naming the file.
#[test]
fn view_names_bad_inputs() {
    let d = scratch("view-errors");
    let page = d.join("p.html");
    let o = batt(&["view", "--submission", d.join("none.json").to_str().unwrap(), "-o", page.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("none.json"), "{}", text(&o).1);
    let bad = d.join("bad.json");
    std::fs::write(&bad, r#"{"007bbfb7": [{"attempt_1": [[1]]}]}"#).unwrap();
    let o = batt(&["view", "--submission", bad.to_str().unwrap(), "-o", page.to_str().unwrap()]);
    assert!(text(&o).1.contains("bad.json: task 007bbfb7: test 0: missing \"attempt_2\""), "{}", text(&o).1);
    let o = batt(&["view", "--library", d.join("nolib").to_str().unwrap(), "-o", page.to_str().unwrap()]);
    assert!(text(&o).1.contains("nolib: not a directory"), "{}", text(&o).1);
    assert!(!page.exists(), "nothing written");
    // a task directory with a separate solutions file: its outputs are the expected ones
    std::fs::write(&bad, r#"{"007bbfb7": [[[1]]]}"#).unwrap();
    let o = batt(&["view", "-i", "007bbfb7", "--solutions", bad.to_str().unwrap(), "-o", page.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o).1);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains(r#""output":["1"]"#), "the solutions file's output replaced the task's");
    assert!(text(&o).0.starts_with("1 tasks"), "{}", text(&o).0);
}
