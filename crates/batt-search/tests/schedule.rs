//! The search over many tasks: resumable searches find what one long search finds, the
//! scheduler's solvers are right and its budgets hold, views map their answers back, pieces
//! and colour maps give programs that replay.

use batt_dsl::task::{self, Example, Task, Test};
use batt_dsl::{Ctx, Grid, Value};
use batt_prog::Program;
use batt_search::enumerate::{enumerate_task, EnumConfig, TaskSearch};
use batt_search::schedule::{ScheduleConfig, Scheduler, Searches};
use batt_search::views::View;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

fn training() -> Vec<Task> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/arc-agi-1/training");
    task::load(&dir).tasks
}

fn by_id<'a>(tasks: &'a [Task], id: &str) -> &'a Task {
    tasks.iter().find(|t| t.id == id).unwrap_or_else(|| panic!("task {id} is shipped"))
}

fn run_on(p: &Program, t: &Task, input: &Grid) -> Option<Grid> {
    let s = t.samples();
    match batt_prog::run(p, &Value::Grid(input.clone()), Some(&s), &mut Ctx::new(1 << 22)) {
        Ok(Value::Grid(g)) => Some(g),
        _ => None,
    }
}

fn passes_train(p: &Program, t: &Task) -> bool {
    t.train.iter().all(|ex| run_on(p, t, &ex.input).as_ref() == Some(&ex.output))
}

fn passes_test(p: &Program, t: &Task) -> bool {
    t.test.iter().all(|x| x.output.is_some() && run_on(p, t, &x.input) == x.output)
}

/// A search advanced in many short slices finds the same solvers, after the same number of
/// applications, as one search given all the time at once: it deepens without restarting.
#[test]
fn short_slices_find_what_one_long_search_finds() {
    let tasks = training();
    for id in ["a87f7484", "0b148d64", "d5d6de2d"] {
        let t = by_id(&tasks, id);
        let cfg = EnumConfig { depth: 3, time: Duration::from_secs(60), ..EnumConfig::default() };
        let whole = enumerate_task(t, &cfg);
        assert_eq!(whole.stopped, None, "{id}");
        assert!(!whole.solvers.is_empty(), "{id}");
        let mut s = TaskSearch::new(t, &cfg);
        let mut found = vec![];
        // slices that grow as the scheduler's do (a menu entry cut short is redone whole)
        let (mut calls, mut slice) = (0, Duration::from_micros(200));
        while !s.done() {
            calls += 1;
            if let Ok(new) = s.advance(Instant::now() + slice) {
                found.extend(new);
            }
            slice = slice * 5 / 4;
        }
        assert!(calls > 1, "{id}: the slices were never cut");
        assert_eq!(found, whole.solvers, "{id}");
        assert_eq!(s.solvers(), &whole.solvers[..], "{id}");
    }
}

fn sched_cfg(total_mib: usize) -> ScheduleConfig {
    ScheduleConfig {
        task: EnumConfig { depth: 4, max_bytes: 64 << 20, ..EnumConfig::default() },
        max_bytes_total: total_mib << 20,
        time_per_task: None,
        threads: 2,
        views: true,
    }
}

/// The scheduler over some tasks: every program it reports gives the demo outputs, it stops
/// by its deadline, and a second call goes on where the first stopped (it solves more, never
/// fewer).
#[test]
fn the_scheduler_finds_right_solvers_within_its_deadline() {
    let tasks: Vec<Task> = training().into_iter().take(40).collect();
    let cfg = sched_cfg(256);
    let searches = Searches::new(&tasks, &cfg);
    let mut sched = Scheduler::new(&searches);
    let found: Mutex<Vec<(String, Program)>> = Mutex::new(vec![]);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let start = Instant::now();
    pool.install(|| {
        sched.run(start + Duration::from_secs(3), |t, ps| {
            found.lock().unwrap().extend(ps.iter().map(|p| (t.id.clone(), p.clone())));
        })
    });
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
    let first = sched.report();
    assert!(first.solved >= 5, "{first:?}");
    assert!(first.rounds >= 1);
    let t2 = Instant::now();
    pool.install(|| {
        sched.run(t2 + Duration::from_secs(2), |t, ps| {
            found.lock().unwrap().extend(ps.iter().map(|p| (t.id.clone(), p.clone())));
        })
    });
    let second = sched.report();
    assert!(second.solved >= first.solved, "{first:?} then {second:?}");
    assert!(second.applications > first.applications);
    let found = found.into_inner().unwrap();
    let solved: std::collections::HashSet<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(solved.len(), second.solved);
    for (id, p) in &found {
        let t = by_id(&tasks, id);
        assert!(passes_train(p, t), "{id}: {}", batt_prog::print(p));
        // every program is plain solver syntax that parses back to itself
        let text = batt_prog::print(p);
        let back = batt_prog::parse_str(&text, "found.py");
        assert!(back.errors.is_empty(), "{text}: {:?}", back.errors);
        assert_eq!(&back.programs[0].program, p, "{text}");
    }
}

/// A task drawn on a background other than 0 is solved through the background view, and
/// the program, mapped back by `switch`, replays on the task itself.
#[test]
fn the_background_view_maps_its_answers_back() {
    // gravity down with 5 as the background: every non-5 cell falls to the bottom
    let grid = |rows: &[&[i8]]| Grid::new(rows.len(), rows[0].len(), rows.concat()).unwrap();
    let pairs = [
        (grid(&[&[1, 5, 5], &[5, 5, 2], &[5, 5, 5]]), grid(&[&[5, 5, 5], &[5, 5, 5], &[1, 5, 2]])),
        (grid(&[&[5, 3, 5, 5], &[5, 5, 5, 4], &[5, 5, 5, 5]]), grid(&[&[5, 5, 5, 5], &[5, 5, 5, 5], &[5, 3, 5, 4]])),
        (grid(&[&[7, 5], &[5, 5], &[5, 8]]), grid(&[&[5, 5], &[5, 5], &[7, 8]])),
    ];
    let test = (grid(&[&[5, 6, 5], &[2, 5, 5], &[5, 5, 5]]), grid(&[&[5, 5, 5], &[5, 5, 5], &[2, 6, 5]]));
    let t = Task {
        id: "bg".into(),
        train: pairs.iter().map(|(i, o)| Example { input: i.clone(), output: o.clone() }).collect(),
        test: vec![Test { input: test.0.clone(), output: Some(test.1.clone()) }],
    };
    assert!(View::all_for(&t).contains(&View::Background));
    let vt = View::Background.apply(&t).unwrap();
    // in the view the background is 0 and gravity is one step
    assert_eq!(vt.train[0].input.get(0, 1), 0);
    let cfg = EnumConfig { depth: 2, use_s: false, image_only: true, ..EnumConfig::default() };
    let f = enumerate_task(&vt, &cfg);
    let p = f.solvers.first().unwrap_or_else(|| panic!("{f:?} {:?}", vt.train));
    let back = View::Background.wrap(p);
    let text = batt_prog::print(&back);
    assert!(text.contains("mostcolor(I)") && text.contains("switch("), "{text}");
    assert!(passes_train(&back, &t), "{text}");
    assert!(passes_test(&back, &t), "{text}");
    // a task on 0 has no such view
    let tasks = training();
    assert!(!View::all_for(by_id(&tasks, "1e0a9b12")).contains(&View::Background));
}

/// A task whose pairs draw the same roles in different colours is solved through the roles
/// view with constant colours, and the program, mapped back by `unroles`, replays on the task
/// itself, the test pair's new colours included.
#[test]
fn the_roles_view_names_roles_by_constants() {
    // the shape takes the colour of the one odd cell, which goes
    let grid = |rows: &[&[i8]]| Grid::new(rows.len(), rows[0].len(), rows.concat()).unwrap();
    let pair = |a: i8, b: i8| {
        (
            grid(&[&[a, a, 0], &[a, a, 0], &[0, 0, b], &[0, 0, 0]]),
            grid(&[&[b, b, 0], &[b, b, 0], &[0, 0, 0], &[0, 0, 0]]),
        )
    };
    let wide =
        |a: i8, b: i8| (grid(&[&[0, a, a, a, 0], &[b, 0, 0, 0, 0]]), grid(&[&[0, b, b, b, 0], &[0, 0, 0, 0, 0]]));
    let pairs = [pair(2, 4), wide(3, 6), pair(1, 8)];
    let test = wide(7, 5);
    let t = Task {
        id: "roles".into(),
        train: pairs.iter().map(|(i, o)| Example { input: i.clone(), output: o.clone() }).collect(),
        test: vec![Test { input: test.0.clone(), output: Some(test.1.clone()) }],
    };
    let views = View::all_for(&t);
    let Some(&v @ View::Roles(mask)) = views.iter().find(|v| matches!(v, View::Roles(_))) else {
        panic!("no roles view in {views:?}")
    };
    assert_eq!(mask, 0, "no colour is in every output and no input");
    let vt = v.apply(&t).unwrap();
    // in the view, 0 is the most common colour, the shape 1 and the odd cell 2, in every pair
    for p in &vt.train {
        assert_eq!(p.input.get(0, 1), 1);
        assert!(p.input.cells().contains(&2));
    }
    let cfg = EnumConfig { depth: 2, use_s: false, image_only: true, ..EnumConfig::default() };
    let f = enumerate_task(&vt, &cfg);
    let p = f.solvers.first().unwrap_or_else(|| panic!("{f:?} {:?}", vt.train));
    let back = v.wrap(p);
    let text = batt_prog::print(&back);
    assert!(text.contains("roles(I, ZERO)") && text.contains("unroles(I, ZERO, "), "{text}");
    assert!(passes_train(&back, &t), "{text}");
    assert!(passes_test(&back, &t), "{text}");
    // a task whose pairs share their colours has no roles view
    let same = Task {
        train: [pair(2, 4), pair(2, 4)].iter().map(|(i, o)| Example { input: i.clone(), output: o.clone() }).collect(),
        test: vec![Test { input: pair(2, 4).0, output: None }],
        ..t.clone()
    };
    assert!(!View::all_for(&same).iter().any(|v| matches!(v, View::Roles(_))));
}

/// Outputs that draw one pattern in each input's colours, ranked by count with ties in count
/// ranked by reading order: in the roles view every demo output is the same grid, which is
/// the answer by itself; found through the scheduler (alongside whatever the task's own
/// searches find in the same round), it replays on the test input's new colours.
#[test]
fn one_pattern_in_each_inputs_colours_is_answered_through_the_roles_view() {
    let grid = |rows: &[&[i8]]| Grid::new(rows.len(), rows[0].len(), rows.concat()).unwrap();
    // a column of three colours, one cell each: the output swaps the first two and repeats
    let pair = |a: i8, b: i8, c: i8| (grid(&[&[a], &[b], &[c]]), grid(&[&[b, a, c], &[c, c, c]]));
    let pairs = [pair(9, 0, 1), pair(4, 3, 6), pair(2, 8, 5)];
    let test = pair(7, 1, 3);
    let t = Task {
        id: "pattern".into(),
        train: pairs.iter().map(|(i, o)| Example { input: i.clone(), output: o.clone() }).collect(),
        test: vec![Test { input: test.0.clone(), output: Some(test.1.clone()) }],
    };
    let v = View::all_for(&t).into_iter().find(|v| matches!(v, View::Roles(_))).expect("a roles view");
    let vt = v.apply(&t).unwrap();
    assert!(vt.train.iter().all(|p| p.output == vt.train[0].output), "{:?}", vt.train);
    let tasks = [t];
    let cfg = sched_cfg(64);
    let searches = Searches::new(&tasks, &cfg);
    let mut sched = Scheduler::new(&searches);
    let found: Mutex<Vec<Program>> = Mutex::new(vec![]);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    pool.install(|| {
        sched.run(Instant::now() + Duration::from_secs(5), |_, ps| found.lock().unwrap().extend(ps.iter().cloned()))
    });
    let found = found.into_inner().unwrap();
    let texts: Vec<String> = found.iter().map(batt_prog::print).collect();
    let k = texts
        .iter()
        .position(|s| s.contains("identity(((1, 0, 2), (2, 2, 2)))") && s.contains("unroles(I, ZERO, "))
        .unwrap_or_else(|| panic!("{texts:?}"));
    assert!(passes_train(&found[k], &tasks[0]), "{}", texts[k]);
    assert!(passes_test(&found[k], &tasks[0]), "{}", texts[k]);
}

/// The last level's colour map and the layering of pieces give programs that replay.
#[test]
fn colour_maps_and_pieces_are_programs() {
    let tasks = training();
    let cfg = EnumConfig { depth: 2, time: Duration::from_secs(30), ..EnumConfig::default() };
    // several colours change at once: one map_colours line
    let t = by_id(&tasks, "b1948b0a");
    let f = enumerate_task(t, &cfg);
    let p = &f.solvers[0];
    assert!(batt_prog::print(p).contains("map_colours(I, "), "{}", batt_prog::print(p));
    assert!(passes_test(p, t));
    // three layers, each right on part of the outputs: the halo of the content, its smear to
    // the right and its smear down (two overlays on three steps: beyond the depth-2 calls,
    // found by layering the level-1 grids)
    let grid = |seed: u64| {
        let mut x = seed;
        let cells = (0..36)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                if (x >> 33).is_multiple_of(7) {
                    1 + ((x >> 40) % 2) as i8
                } else {
                    0
                }
            })
            .collect();
        Grid::new(6, 6, cells).unwrap()
    };
    let task_of = |src: &str| {
        let prog = &batt_prog::parse_str(src, "p.py").programs[0].program;
        let out = |g: &Grid| match batt_prog::run(prog, &Value::Grid(g.clone()), None, &mut Ctx::new(1 << 20)) {
            Ok(Value::Grid(o)) => o,
            r => panic!("{r:?}"),
        };
        let inputs: Vec<Grid> = (1..=5).map(grid).collect();
        Task {
            id: "p".into(),
            train: inputs[..4].iter().map(|g| Example { input: g.clone(), output: out(g) }).collect(),
            test: vec![Test { input: inputs[4].clone(), output: Some(out(&inputs[4])) }],
        }
    };
    // the image tier at depth 2 has no `fill`: an answer that clears cells is laid from the
    // zero cells of a piece (here the halo's: the smear is kept next to the content only)
    for (src, layer) in [
        ("def solve_p(I):\n    x1 = halo(I, FOUR)\n    x2 = smear(I, ZERO)\n    x3 = smear(I, TWO)\n    x4 = overlay(x1, x2)\n    O = overlay(x4, x3)\n    return O\n", "overlay("),
        ("def solve_p(I):\n    x1 = smear(I, SIX)\n    x2 = halo(I, ONE)\n    x3 = ofcolor(x2, ZERO)\n    O = fill(x1, ZERO, x3)\n    return O\n", "fill("),
    ] {
        let t = task_of(src);
        let f = enumerate_task(&t, &EnumConfig { depth: 2, image_only: true, ..cfg.clone() });
        let texts: Vec<String> = f.solvers.iter().map(batt_prog::print).collect();
        let p = f.solvers.iter().find(|p| batt_prog::print(p).contains(layer)).unwrap_or_else(|| panic!("{texts:?}"));
        assert!(passes_train(p, &t), "{}", batt_prog::print(p));
        assert!(passes_test(p, &t), "{}", batt_prog::print(p));
    }
}
