//! A CPU-fair measure of the enumeration: each task's searches (image tier, full menu, views)
//! take turns until the task has used `MS` milliseconds of its thread's CPU time (Linux; the
//! machine's load does not change it); counts the tasks solved on their demo pairs and those
//! whose shortest solver is right on every test pair. `FAIR_LIST=1` lists the tasks solved,
//! `FAIR_LIST=2` also prints the wrong solvers; `FAIR_NO_FULL`, `FAIR_NO_VIEWS` leave out the
//! full menu or the views.
//! `cargo run --release -p batt-search --example fair -- DIR MS [FIRST_HEX_DIGITS]`
use batt_search::enumerate::{EnumConfig, MemoryPool, TaskSearch};
use batt_search::views::View;
use rayon::prelude::*;
use std::time::{Duration, Instant};

/// This thread's CPU time (Linux: /proc/thread-self/schedstat), in seconds.
fn cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse::<f64>().ok()))
        .map_or(0.0, |ns| ns / 1e9)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).map_or("data/arc-agi-1/training", |s| s.as_str());
    let ms: f64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100.0);
    let digits = args.get(3).cloned().unwrap_or_else(|| "0123456789abcdef".into());
    let tasks: Vec<_> = batt_dsl::task::load(dir.as_ref())
        .tasks
        .into_iter()
        .filter(|t| t.id.chars().next().is_some_and(|c| digits.contains(c)))
        .collect();
    let base = EnumConfig { depth: 6, max_bytes: 256 << 20, ..EnumConfig::default() };
    let image = EnumConfig { image_only: true, ..base.clone() };
    let full = EnumConfig { skip_image_calls: true, ..base.clone() };
    let view_cfg = EnumConfig { use_s: false, image_only: true, ..base.clone() };
    let t0 = Instant::now();
    let results: Vec<(bool, bool, String)> = tasks
        .par_iter()
        .map(|t| {
            let pool = MemoryPool::new(256 << 20);
            pool.set_share(256 << 20);
            let viewed: Vec<(View, batt_dsl::task::Task)> =
                View::all_for(t).into_iter().filter_map(|v| v.apply(t).map(|vt| (v, vt))).collect();
            let mut jobs: Vec<(Option<View>, TaskSearch)> = vec![(None, TaskSearch::with_pool(t, &image, &pool))];
            if std::env::var("FAIR_NO_FULL").is_err() {
                jobs.push((None, TaskSearch::with_pool(t, &full, &pool)));
            }
            for (v, vt) in viewed.iter().filter(|_| std::env::var("FAIR_NO_VIEWS").is_err()) {
                jobs.push((Some(*v), TaskSearch::with_pool(vt, &view_cfg, &pool)));
            }
            let start = cpu();
            let mut slice: f64 = 0.002;
            let mut found = vec![];
            'outer: while cpu() - start < ms / 1000.0 {
                let mut any = false;
                for (v, s) in jobs.iter_mut() {
                    if s.done() {
                        continue;
                    }
                    any = true;
                    let left = ms / 1000.0 - (cpu() - start);
                    if left <= 0.0 {
                        break 'outer;
                    }
                    if let Ok(new) = s.advance(Instant::now() + Duration::from_secs_f64(slice.min(left))) {
                        if !new.is_empty() {
                            found = match v {
                                Some(v) => new.iter().map(|p| v.wrap(p)).collect(),
                                None => new,
                            };
                            break 'outer;
                        }
                    }
                }
                if !any {
                    break;
                }
                slice *= 2.0;
            }
            if found.is_empty() {
                return (false, false, String::new());
            }
            // the shortest, as the library keeps them first
            found.sort_by_key(|p| p.lines.len());
            let parsed: Vec<batt_prog::Parsed> = found[..1]
                .iter()
                .map(|p| batt_prog::Parsed { program: p.clone(), file: String::new(), def_line: 0, line_nos: vec![] })
                .collect();
            let r = batt_prog::verify::verify(&parsed, std::slice::from_ref(t), batt_dsl::func::DEFAULT_STEPS);
            (true, r.tasks_solved == 1, batt_prog::print(&found[0]))
        })
        .collect();
    let solved = results.iter().filter(|r| r.0).count();
    let right = results.iter().filter(|r| r.1).count();
    if std::env::var("FAIR_LIST").is_ok() {
        for (t, r) in tasks.iter().zip(&results) {
            if r.0 {
                println!("{} {}", t.id, if r.1 { "right" } else { "WRONG" });
                if !r.1 && std::env::var("FAIR_LIST").is_ok_and(|v| v == "2") {
                    println!("{}", r.2);
                }
            }
        }
    }
    println!(
        "{} tasks, {ms} ms CPU each: {solved} solved on the demo pairs, {right} right on every test pair ({:.1} s wall)",
        tasks.len(),
        t0.elapsed().as_secs_f64()
    );
}
