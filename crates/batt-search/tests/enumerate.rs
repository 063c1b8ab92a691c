//! Bottom-up enumeration: solvers it finds are right, observational equivalence prunes, the
//! budgets hold.

use batt_dsl::task::{self, Example, Task, Test};
use batt_dsl::{Ctx, Grid, Value};
use batt_search::enumerate::{enumerate_task, EnumConfig, Found};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn training() -> Vec<Task> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/arc-agi-1/training");
    task::load(&dir).tasks
}

fn run_on(p: &batt_prog::Program, t: &Task, input: &Grid) -> Option<Grid> {
    let s = t.samples();
    match batt_prog::run(p, &Value::Grid(input.clone()), Some(&s), &mut Ctx::new(1 << 22)) {
        Ok(Value::Grid(g)) => Some(g),
        _ => None,
    }
}

fn passes_train(p: &batt_prog::Program, t: &Task) -> bool {
    t.train.iter().all(|ex| run_on(p, t, &ex.input).as_ref() == Some(&ex.output))
}

fn passes_test(p: &batt_prog::Program, t: &Task) -> bool {
    t.test.iter().all(|x| x.output.is_some() && run_on(p, t, &x.input) == x.output)
}

fn cfg(depth: usize) -> EnumConfig {
    EnumConfig { depth, time: Duration::from_secs(20), ..EnumConfig::default() }
}

fn by_id<'a>(tasks: &'a [Task], id: &str) -> &'a Task {
    tasks.iter().find(|t| t.id == id).unwrap_or_else(|| panic!("task {id} is shipped"))
}

/// A grid of pseudo-random colours (a small LCG), `h` × `w`.
fn grid(seed: u64, h: usize, w: usize) -> Grid {
    let mut x = seed;
    let cells = (0..h * w)
        .map(|_| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((x >> 33) % 4) as i8
        })
        .collect();
    Grid::new(h, w, cells).unwrap()
}

/// A task from input grids and a program computing the outputs (test outputs included).
fn synthetic(id: &str, inputs: &[Grid], src: &str) -> Task {
    let p = &batt_prog::parse_str(src, "t.py").programs[0].program;
    let out = |g: &Grid| match batt_prog::run(p, &Value::Grid(g.clone()), None, &mut Ctx::new(1 << 20)) {
        Ok(Value::Grid(o)) => o,
        r => panic!("{r:?}"),
    };
    let (test, train) = inputs.split_last().unwrap();
    Task {
        id: id.into(),
        train: train.iter().map(|g| Example { input: g.clone(), output: out(g) }).collect(),
        test: vec![Test { input: test.clone(), output: Some(out(test)) }],
    }
}

fn assert_solvers_pass(f: &Found, t: &Task) {
    for p in &f.solvers {
        assert_eq!(p.name, t.id);
        assert!(passes_train(p, t), "{}", batt_prog::print(p));
        // the program is well formed: it prints and parses back to itself
        let again = batt_prog::parse_str(&batt_prog::print(p), "p.py");
        assert!(again.errors.is_empty(), "{}\n{:?}", batt_prog::print(p), again.errors);
        assert_eq!(&again.programs[0].program, p);
    }
}

/// `downscale` of a side that the factor does not divide keeps `ceil(side / f)` rows: the last
/// level's shape check must not prune it (it once used `side / f`).
#[test]
fn finds_downscale_of_sides_the_factor_does_not_divide() {
    let inputs: Vec<Grid> = [(5, 7, 7), (6, 8, 5), (7, 7, 10)].iter().map(|&(s, h, w)| grid(s, h, w)).collect();
    let t = synthetic("down3", &inputs, "def solve_x(I):\n    O = downscale(I, 3)\n    return O\n");
    let f = enumerate_task(&t, &cfg(1));
    assert!(!f.solvers.is_empty(), "{f:?}");
    assert_solvers_pass(&f, &t);
    assert!(passes_test(&f.solvers[0], &t));
}

#[test]
fn finds_a_composition_at_depth_two() {
    let inputs: Vec<Grid> =
        [(1, 3, 4), (2, 5, 3), (3, 4, 4), (4, 3, 5)].iter().map(|&(s, h, w)| grid(s, h, w)).collect();
    let t =
        synthetic("rot_hmirror", &inputs, "def solve_x(I):\n    x1 = hmirror(I)\n    O = rot90(x1)\n    return O\n");
    let f = enumerate_task(&t, &cfg(2));
    assert!(!f.solvers.is_empty(), "{f:?}");
    assert_solvers_pass(&f, &t);
    assert!(passes_test(&f.solvers[0], &t), "{}", batt_prog::print(&f.solvers[0]));

    // one that needs two levels: a colour swap of a rotation
    let t = synthetic(
        "replace_rot",
        &inputs,
        "def solve_x(I):\n    x1 = rot90(I)\n    O = replace(x1, TWO, SEVEN)\n    return O\n",
    );
    assert!(enumerate_task(&t, &cfg(1)).solvers.is_empty());
    let f = enumerate_task(&t, &cfg(2));
    assert_eq!(f.stopped, None);
    assert!(!f.solvers.is_empty());
    assert_solvers_pass(&f, &t);
    assert!(f.solvers.iter().all(|p| p.lines.len() == 2), "{:?}", f.solvers);
    assert!(passes_test(&f.solvers[0], &t));
}

/// With `fewest_calls_first`, a stored level cut short by memory holds the steps without
/// constants: a composition of two such steps that come late in the menu is found within a
/// budget that the menu's order spends on the colours of its first steps.
#[test]
fn fewest_calls_first_keeps_the_steps_without_constants_when_memory_is_short() {
    let inputs: Vec<Grid> =
        [(5, 3, 3), (6, 3, 3), (7, 3, 3), (8, 3, 3)].iter().map(|&(s, h, w)| grid(s, h, w)).collect();
    let t = synthetic(
        "mirror_tile",
        &inputs,
        "def solve_x(I):\n    x1 = self_tile(I)\n    O = vmirror(x1)\n    return O\n",
    );
    let budget = |fewest_calls_first| EnumConfig {
        depth: 2,
        image_only: true,
        use_s: false,
        max_bytes: 16_000,
        fewest_calls_first,
        ..cfg(2)
    };
    let f = enumerate_task(&t, &budget(true));
    assert!(!f.solvers.is_empty(), "{f:?}");
    assert_solvers_pass(&f, &t);
    assert!(passes_test(&f.solvers[0], &t), "{}", batt_prog::print(&f.solvers[0]));
    let f = enumerate_task(&t, &budget(false));
    assert_eq!((f.solvers.len(), f.stopped), (0, Some("memory")), "{f:?}");
}

/// Outputs that are a few fixed grids, chosen by a count of the input: the answer classifies
/// (the grids as literals, chosen by `branch`), and it is right on a test input whose count a
/// demo shows.
#[test]
fn classifies_by_a_feature_of_the_input() {
    // the number of cells of colour 1 (above two or not) chooses the output
    let ones = [1, 4, 2, 5, 3, 6];
    let inputs: Vec<Grid> =
        ones.iter().map(|&n| Grid::new(3, 3, (0..9).map(|k| i8::from(k < n)).collect()).unwrap()).collect();
    let t = synthetic(
        "by_count",
        &inputs,
        "def solve_x(I):\n    x1 = colorcount(I, ONE)\n    x2 = greater(x1, TWO)\n    \
         O = branch(x2, ((1, 2), (3, 4)), ((5,),))\n    return O\n",
    );
    let outs: Vec<&Grid> = t.train.iter().map(|e| &e.output).collect();
    assert!(outs.iter().any(|&g| g != outs[0]), "the inputs give both outputs");
    let f = enumerate_task(&t, &cfg(2));
    assert_solvers_pass(&f, &t);
    let texts: Vec<String> = f.solvers.iter().map(batt_prog::print).collect();
    let k = texts.iter().position(|s| s.contains("branch(")).unwrap_or_else(|| panic!("{texts:?}"));
    assert!(texts[k].contains("((1, 2), (3, 4))") || texts[k].contains("((5,),)"), "{}", texts[k]);
    assert!(passes_test(&f.solvers[k], &t), "{}", texts[k]);
}

/// Objects recoloured by their shape, the same shapes in every pair: `recolour_learned` reads
/// the table off the demo pairs (each demo input from the others) and predicts a test input
/// whose shapes the pairs show; a test input with a shape they do not show gets no answer
/// from it.
#[test]
fn learns_a_recolouring_by_shape_from_the_demo_pairs() {
    // a horizontal domino becomes 2, a vertical one 3, a single cell 4; inputs draw them in 1
    let draw = |shapes: &[(usize, usize, u8)], recolour: bool| {
        let mut cells = vec![0i8; 36];
        for &(i, j, s) in shapes {
            let (at, c): (Vec<usize>, i8) = match s {
                0 => (vec![i * 6 + j, i * 6 + j + 1], 2),
                1 => (vec![i * 6 + j, i * 6 + j + 6], 3),
                2 => (vec![i * 6 + j], 4),
                _ => (vec![i * 6 + j, i * 6 + j + 1, i * 6 + j + 6], 5),
            };
            for p in at {
                cells[p] = if recolour { c } else { 1 };
            }
        }
        Grid::new(6, 6, cells).unwrap()
    };
    let layouts: [&[(usize, usize, u8)]; 4] = [
        &[(0, 0, 0), (2, 4, 1), (5, 0, 2)],
        &[(1, 1, 1), (4, 3, 0), (0, 5, 2)],
        &[(3, 0, 2), (0, 2, 0), (2, 5, 1)],
        &[(5, 4, 0), (1, 0, 1), (3, 3, 2)],
    ];
    let pair = |l: &[(usize, usize, u8)]| Example { input: draw(l, false), output: draw(l, true) };
    let test: &[(usize, usize, u8)] = &[(2, 2, 0), (4, 0, 1), (0, 4, 2), (5, 5, 2)];
    let mut t = Task {
        id: "by_shape".into(),
        train: layouts.iter().map(|l| pair(l)).collect(),
        test: vec![Test { input: draw(test, false), output: Some(draw(test, true)) }],
    };
    let f = enumerate_task(&t, &cfg(1));
    assert_solvers_pass(&f, &t);
    let texts: Vec<String> = f.solvers.iter().map(batt_prog::print).collect();
    let k = texts.iter().position(|s| s.contains("recolour_learned(I, S, ")).unwrap_or_else(|| panic!("{texts:?}"));
    assert!(passes_test(&f.solvers[k], &t), "{}", texts[k]);
    // an L-tromino no pair shows: the step gives no answer on the test input, so no solver
    let odd: &[(usize, usize, u8)] = &[(2, 2, 0), (4, 0, 3)];
    t.test = vec![Test { input: draw(odd, false), output: Some(draw(odd, true)) }];
    let f = enumerate_task(&t, &cfg(1));
    assert!(f.solvers.iter().all(|p| !batt_prog::print(p).contains("recolour_learned")), "{f:?}");
}

#[test]
fn solves_shipped_tasks() {
    let tasks = training();
    for (id, depth, want) in [
        ("3c9b0459", 1, "rot180(I)"),
        ("6150a2bd", 1, "rot180(I)"),
        ("67a3c6ac", 1, "vmirror(I)"),
        ("c8f0f002", 1, "map_colours(I, 75)"),
        ("4c4377d9", 2, "mirror_tile(x1, (6, 4))"),
        ("5582e5ca", 2, ""),
    ] {
        let t = by_id(&tasks, id);
        let f = enumerate_task(t, &cfg(depth));
        assert!(!f.solvers.is_empty(), "{id}: {f:?}");
        let texts: Vec<String> = f.solvers.iter().map(batt_prog::print).collect();
        let k = texts.iter().position(|s| s.contains(want)).unwrap_or_else(|| panic!("{id}: {texts:?}"));
        assert!(passes_test(&f.solvers[k], t), "{id}: {}", texts[k]);
        assert!(passes_test(&f.solvers[0], t), "{id}: {}", texts[0]);
        assert_solvers_pass(&f, t);
    }
    // a_mr(S): the selector that reads the demo pairs is found next to the rotation itself
    let t = by_id(&tasks, "3c9b0459");
    let f = enumerate_task(t, &cfg(1));
    let texts: Vec<String> = f.solvers.iter().map(batt_prog::print).collect();
    assert!(texts.iter().any(|s| s.contains("a_mr(S)") && s.contains("mir_rot(I, x1)")), "{texts:?}");
    assert!(f.solvers.iter().all(|p| passes_test(p, t)));
}

#[test]
fn observationally_equivalent_terms_are_dropped() {
    let tasks = training();
    // rot90(rot90(I)) is rot180(I): without observational equivalence it would be a second
    // solver of this task at depth 2
    let t = by_id(&tasks, "3c9b0459");
    let f = enumerate_task(t, &cfg(2));
    assert_eq!(f.stopped, None);
    for p in &f.solvers {
        let text = batt_prog::print(p);
        assert!(!(text.contains("x1 = rot90(I)") && text.contains("rot90(x1)")), "{text}");
        assert!(!text.contains("rot180(x1)"), "{text}");
    }
    // solvers are distinct value vectors: no two give the same outputs on every input
    for id in ["3c9b0459", "68b16354", "a416b8f3", "d511f180", "9172f3a0"] {
        let t = by_id(&tasks, id);
        let f = enumerate_task(t, &cfg(2));
        let mut seen = std::collections::HashSet::new();
        for p in f.solvers.iter().filter(|p| !p.uses_s) {
            let outs: Vec<Option<Grid>> = t
                .train
                .iter()
                .map(|e| &e.input)
                .chain(t.test.iter().map(|x| &x.input))
                .map(|g| run_on(p, t, g))
                .collect();
            assert!(seen.insert(outs), "{id}: a second solver with the same outputs: {}", batt_prog::print(p));
        }
    }
    // and the terms kept are far fewer than the calls made
    let f = enumerate_task(by_id(&tasks, "a416b8f3"), &cfg(3));
    assert!((f.terms as u64) * 4 < f.applications, "{} terms, {} applications", f.terms, f.applications);
}

#[test]
fn budgets_are_respected() {
    let tasks = training();
    let t = by_id(&tasks, "0b148d64");
    let f = enumerate_task(t, &EnumConfig { max_bytes: 20_000, ..cfg(3) });
    assert_eq!(f.stopped, Some("memory"));
    let f = enumerate_task(t, &EnumConfig { max_terms: 10, ..cfg(3) });
    assert_eq!(f.stopped, Some("terms"));
    assert!(f.terms <= 10);
    let f = enumerate_task(t, &EnumConfig { time: Duration::ZERO, ..cfg(3) });
    assert_eq!(f.stopped, Some("time"));
    let s = Instant::now();
    let f = enumerate_task(t, &EnumConfig { time: Duration::from_millis(100), stop_when_solved: false, ..cfg(4) });
    assert!(s.elapsed() < Duration::from_secs(2), "{:?}", s.elapsed());
    assert!(f.stopped.is_some(), "{f:?}");
}

/// A search that finds its pool empty below its share ends as if its share were reached (one
/// more probe over what it stored, then over), rather than waiting for memory that idle
/// searches hold: it gives back all it took.
#[test]
fn a_pool_run_dry_ends_the_search_and_gets_its_memory_back() {
    use batt_search::enumerate::{MemoryPool, TaskSearch};
    let tasks = training();
    let t = by_id(&tasks, "0b148d64");
    let config = EnumConfig { stop_when_solved: false, ..cfg(4) };
    let pool = MemoryPool::new(200_000); // its share: the whole pool, left as it is
    let mut s = TaskSearch::with_pool(t, &config, &pool);
    for _ in 0..100 {
        if s.done() {
            break;
        }
        let _ = s.advance(Instant::now() + Duration::from_secs(5));
    }
    assert_eq!(s.why_done(), Some("memory"));
    assert!(s.depth() >= 1, "it probed what it stored");
    assert!((0..200_000).contains(&pool.left()), "it stored terms: {}", pool.left());
    drop(s);
    assert_eq!(pool.left(), 200_000);
}

#[test]
fn degenerate_tasks_do_not_panic() {
    let g = grid(7, 2, 2);
    let ex = Example { input: g.clone(), output: g.clone() };
    let cases = [
        Task { id: "none".into(), train: vec![], test: vec![] },
        Task { id: "no_test".into(), train: vec![ex.clone()], test: vec![] },
        Task { id: "no_train".into(), train: vec![], test: vec![Test { input: g.clone(), output: None }] },
        Task {
            id: "one_cell".into(),
            train: vec![Example { input: grid(1, 1, 1), output: grid(2, 1, 1) }],
            test: vec![],
        },
    ];
    for t in &cases {
        let f = enumerate_task(t, &cfg(3));
        assert_solvers_pass(&f, t);
    }
}

#[test]
fn deterministic() {
    let tasks = training();
    for id in ["0b148d64", "d5d6de2d"] {
        let t = by_id(&tasks, id);
        let a = enumerate_task(t, &cfg(2));
        let b = enumerate_task(t, &cfg(2));
        assert_eq!(a.stopped, None);
        assert_eq!((a.terms, a.applications), (b.terms, b.applications));
        assert_eq!(a.solvers, b.solvers);
    }
}

#[test]
fn every_solver_passes_its_train_pairs() {
    let tasks = training();
    // depth 2 over every task: nothing panics, and every solver is right on the demo pairs
    let mut solved = 0;
    for t in &tasks {
        let f = enumerate_task(t, &EnumConfig { time: Duration::from_secs(2), ..cfg(2) });
        assert_solvers_pass(&f, t);
        solved += !f.solvers.is_empty() as usize;
    }
    assert!(solved >= 30, "{solved}");
    // depth 3 on a few tasks it solves with objects, patches and cellwise
    for id in ["23b5c85d", "d5d6de2d", "1b2d62fb", "3618c87e"] {
        let t = by_id(&tasks, id);
        let f = enumerate_task(t, &EnumConfig { time: Duration::from_secs(5), ..cfg(3) });
        assert!(!f.solvers.is_empty(), "{id}");
        assert_solvers_pass(&f, t);
    }
}

/// CPU time of this thread (Linux), else `None`.
fn thread_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok().map(Duration::from_nanos)
}

/// Enumerates every task of the training set at depth 2 and 3, 1 s each, single thread;
/// `cargo test --release -p batt-search --test enumerate -- --ignored --nocapture`
/// (`ENUM_DEPTHS=2,3,4`, `ENUM_SECS=1`, `ENUM_LIST=1` to list the tasks solved).
#[test]
#[ignore]
fn measure_training() {
    let tasks = training();
    let depths: Vec<usize> = std::env::var("ENUM_DEPTHS")
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or(vec![2, 3]);
    let secs: f64 = std::env::var("ENUM_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    for depth in depths {
        let cfg = EnumConfig { depth, time: Duration::from_secs_f64(secs), ..EnumConfig::default() };
        let t0 = Instant::now();
        let (mut solved, mut any_right, mut first_right, mut top2_right) = (0, 0, 0, 0);
        let (mut apps, mut solvers, mut right_solvers, mut terms) = (0u64, 0, 0, 0);
        let mut stops = std::collections::BTreeMap::new();
        let (mut wall, mut cpu) = (Duration::ZERO, Duration::ZERO);
        for t in &tasks {
            let (s, c) = (Instant::now(), thread_cpu());
            let f: Found = enumerate_task(t, &cfg);
            wall += s.elapsed();
            cpu += match (c, thread_cpu()) {
                (Some(a), Some(b)) => b.saturating_sub(a),
                _ => s.elapsed(),
            };
            apps += f.applications;
            terms += f.terms;
            *stops.entry(f.stopped.unwrap_or("done")).or_insert(0) += 1;
            if f.solvers.is_empty() {
                continue;
            }
            assert_solvers_pass(&f, t);
            solved += 1;
            solvers += f.solvers.len();
            let ok: Vec<bool> = f.solvers.iter().map(|p| passes_test(p, t)).collect();
            right_solvers += ok.iter().filter(|&&b| b).count();
            any_right += ok.contains(&true) as usize;
            first_right += ok[0] as usize;
            top2_right += ok.iter().take(2).any(|&b| b) as usize;
            if std::env::var("ENUM_LIST").is_ok() {
                let first = batt_prog::print(&f.solvers[0]).replace('\n', " ");
                println!("{} {}/{} right: {first}", t.id, ok.iter().filter(|&&b| b).count(), ok.len());
            }
        }
        println!(
            "depth {depth}, {secs} s per task: {solved} tasks with a solver; right on test: {first_right} by the \
             first solver, {top2_right} by one of the first two, {any_right} by some solver; {right_solvers} of \
             {solvers} solvers right on test; {apps} applications, {:.0} per CPU-second; {terms} terms stored; \
             stops {stops:?}; enumeration {:.1} s wall, {:.1} s CPU; all {:.1} s",
            apps as f64 / cpu.as_secs_f64(),
            wall.as_secs_f64(),
            cpu.as_secs_f64(),
            t0.elapsed().as_secs_f64()
        );
    }
}

/// The last level's goal-directed pruning of the colour steps and of `overlay` keeps the call
/// that gives the outputs: each program below, as a task, is found with its last line as the
/// last step (depth 2: a first step, then the pruned one).
#[test]
fn goal_directed_last_steps_keep_the_answer() {
    // grids with content: blocks of a colour over a pseudo-random background
    let block = |s: u64, h: usize, w: usize| -> Grid {
        let g = grid(s, h, w);
        let cells = (0..h * w)
            .map(|p| {
                let (i, j) = (p / w, p % w);
                if (1..4).contains(&i) && (1..4).contains(&j) {
                    5
                } else {
                    g.cells()[p] % 3
                }
            })
            .collect();
        Grid::new(h, w, cells).unwrap()
    };
    let inputs: Vec<Grid> =
        [(11, 6, 6), (12, 7, 5), (13, 5, 7), (14, 6, 7)].iter().map(|&(s, h, w)| block(s, h, w)).collect();
    for (last, src) in [
        ("inner(x1, EIGHT)", "    x1 = vmirror(I)\n    O = inner(x1, EIGHT)\n"),
        ("fill_holes(x1, TWO)", "    x1 = rot180(I)\n    O = fill_holes(x1, TWO)\n"),
        ("halo(x1, THREE)", "    x1 = keep_colour(I, FIVE)\n    O = halo(x1, THREE)\n"),
        ("keep_colour(x1, FIVE)", "    x1 = hmirror(I)\n    O = keep_colour(x1, FIVE)\n"),
        ("recolour_nearest(x1, FIVE)", "    x1 = rot180(I)\n    O = recolour_nearest(x1, FIVE)\n"),
        ("overlay(", "    x1 = vmirror(I)\n    x2 = keep_colour(I, FIVE)\n    O = overlay(x1, x2)\n"),
        ("mirror_tile(x1, (12, 12))", "    x1 = rot90(I)\n    O = mirror_tile(x1, (12, 12))\n"),
        ("tile(x1, (9, 9))", "    x1 = hmirror(I)\n    O = tile(x1, (9, 9))\n"),
        ("embed(x1, (9, 9))", "    x1 = rot270(I)\n    O = embed(x1, (9, 9))\n"),
        ("pick(x1, ONE)", "    x1 = split_colours(I)\n    O = pick(x1, ONE)\n"),
        ("overlay_all(x1)", "    x1 = vsplit(I, TWO)\n    O = overlay_all(x1)\n"),
        ("recolour_if(x1, SEVEN, FIVE)", "    x1 = hmirror(I)\n    O = recolour_if(x1, SEVEN, FIVE)\n"),
        ("layer(x1, 12)", "    x1 = vsplit(I, TWO)\n    O = layer(x1, 12)\n"),
    ] {
        let t = synthetic("forced", &inputs, &format!("def solve_x(I):\n{src}    return O\n"));
        let f = enumerate_task(&t, &EnumConfig { image_only: true, ..cfg(2) });
        let texts: Vec<String> = f.solvers.iter().map(batt_prog::print).collect();
        assert!(!f.solvers.is_empty(), "{last}: none found ({f:?})");
        assert!(texts.iter().any(|s| s.contains(last)), "{last}: {texts:?}");
        assert_solvers_pass(&f, &t);
    }
}
