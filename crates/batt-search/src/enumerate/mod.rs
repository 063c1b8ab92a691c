//! Bottom-up enumeration of well-typed programs for one task, with observational equivalence.
//!
//! A *term* is a vector of values, one per input of the task: every train input and every test
//! input (test inputs are known at prediction time; test outputs are never read). Term 0 is
//! `I`. Level `d` applies every primitive of a curated menu (`MENU`) to every choice of
//! arguments of the right kinds where at least one argument is a term of level `d - 1` (so
//! nothing is recomputed), the others being older terms or constants. A result that fails on
//! any input is dropped; a result whose value vector some earlier term already has is dropped
//! (observational equivalence: one representative per vector, the first found); everything
//! else becomes a new term. Each term's call is a node of the search's battery (the one
//! program representation, [`batt_prog::battery`]); a term that gives the expected output on
//! every train pair (and a grid on every test input) is a solver, its node's slice. One
//! exception to the equivalence: a program reading `S` (`mir_rot(I, a_mr(S))`) that equals a
//! solver is reported too, since it may carry over to other tasks.
//!
//! Terms are typed by a *kind mask*, the union over the inputs of the kinds of their values
//! (the bits of [`batt_prog::check::kinds`]); a menu parameter accepts the terms whose mask
//! meets the kinds it declares, and/or constants drawn from the task (its colours, scale
//! factors, object modes, indices, directions, key and patch functions, its output shape).
//!
//! Only what can still lead to a grid is built: with `r` levels left, an entry runs only when
//! it can give a kind that some entry of the next level reads on its way to a grid, and a term
//! is kept only when it has such a kind (objects are never built at the next-to-last level).
//! The last level stores nothing: a call is tried on the first train input and dropped at the
//! first wrong output, and its arguments are chosen goal-directed: grids of the output's
//! shape (or transposed, halved, ... as the primitive asks), the colours a `replace` or `fill`
//! must use where the grid argument differs from the output, patches that hold the first cell
//! that differs, parts that are windows of the output for `hconcat` and `subgrid` (see
//! `Force`). Calls skipped there could not have given the train outputs.
//!
//! Budgets: the clock is read every 64 applications, stored values are counted in approximate
//! bytes, terms are counted; hitting one stops the enumeration with what was found. The same
//! task and configuration give the same terms in the same order (only the time budget cuts
//! differently from run to run).
//!
//! The parts: `menu` (the primitives enumerated, what their parameters accept, the task's
//! constants), `store` (the terms kept, their memory, the programs sliced from them), `last`
//! (the goal-directed last level and the pruning of calls), `pieces` (answers layered from
//! grids each right on part of the outputs), `classify` (answers choosing one of the demo
//! outputs by a feature of the input, or the one output every pair has); this module holds
//! the public API and the loop that drives the levels.

mod classify;
mod last;
mod menu;
mod pieces;
mod store;

use batt_dsl::task::Task;
use batt_dsl::{Ctx, Grid, Prim, Value};
use batt_prog::battery::{Battery, NodeId, Op, Operand};
use batt_prog::Program;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use batt_prog::check::kind;
use batt_prog::check::kinds::*;

use batt_engine::backend::value_bytes as bytes;
use last::Diff;
pub use menu::IMAGE_KINDS;
use menu::{task_constants, useful_kinds, Fit, Force, Group, Item, Mono, Param, GROUPS};
pub use store::MemoryPool;
use store::{vec_fp, PoolRef, Src, Term};

/// Limits of one enumeration.
#[derive(Clone, Debug)]
pub struct EnumConfig {
    /// Deepest level (1: one primitive applied to `I` and constants).
    pub depth: usize,
    /// Wall-clock budget.
    pub time: Duration,
    /// Budget for the (approximate) bytes of stored values.
    pub max_bytes: usize,
    /// Budget for stored terms (`I` included).
    pub max_terms: usize,
    /// Stop at the first depth that gives a solver (the simplest programs generalise best).
    pub stop_when_solved: bool,
    /// Only the entries of the image tier ([`IMAGE_KINDS`]): whole grids, lists of grids,
    /// shapes and colours, no objects or patches, so each level is small and the search goes
    /// deeper in the same time.
    pub image_only: bool,
    /// Skip the calls the image tier makes too (image-tier entries on terms made only by such
    /// entries), when an image-tier search of the same task runs beside this one.
    pub skip_image_calls: bool,
    /// Offer `a_mr(S)`, which reads the demo pairs (off for a view of a task, whose pairs
    /// are not the program's `S`).
    pub use_s: bool,
    /// Stored levels run the menu's entries by how many calls each makes, fewest first (ties
    /// in the menu's order), rather than in the menu's order: when memory cuts a level short,
    /// it holds every step that has few calls (no constants, or few terms of its kinds)
    /// rather than every colour of the first steps (for the roles view of a task, whose own
    /// searches try the colours in the menu's order).
    pub fewest_calls_first: bool,
    /// Ends the search at its next look at the clock when asked, as if its time were up.
    pub stop: batt_engine::Stop,
}

impl Default for EnumConfig {
    fn default() -> EnumConfig {
        EnumConfig {
            depth: 3,
            time: Duration::from_secs(1),
            max_bytes: 512 << 20,
            max_terms: 1_000_000,
            stop_when_solved: true,
            image_only: false,
            skip_image_calls: false,
            use_s: true,
            fewest_calls_first: false,
            stop: batt_engine::Stop::default(),
        }
    }
}

/// What an enumeration found.
#[derive(Clone, Debug)]
pub struct Found {
    /// Programs that give every train output, in the order found (at most [`MAX_SOLVERS`]).
    pub solvers: Vec<Program>,
    /// Terms stored (`I` included; the last level stores none, it only looks for solvers).
    pub terms: usize,
    /// Primitive applications (one per input a candidate was applied to).
    pub applications: u64,
    /// Why it stopped early: `"time"`, `"memory"`, `"terms"` or `"solvers"` (enough solvers
    /// found); `None` when every level up to the depth was enumerated.
    pub stopped: Option<&'static str>,
}

/// Solvers after which the enumeration stops.
pub const MAX_SOLVERS: usize = 16;
/// Work budget of one primitive application on one input.
const STEPS: u64 = 4_000;

/// The candidates of one parameter: constants, then terms in order; those from `split` on
/// are of the newest level.
type Cands = (Vec<Src>, usize);

/// One task's enumeration: the task's constants, the terms stored level by level, the budgets
/// spent, and what the last level computes for its goal-directed choices.
struct Enum<'a> {
    task: &'a Task,
    cfg: &'a EnumConfig,
    /// When the current [`TaskSearch::advance`] must stop.
    deadline: Instant,
    /// Where the bytes of stored terms are taken from, besides `cfg.max_bytes`.
    pool: PoolRef<'a>,
    /// The bytes of `I` (counted in `bytes`, not taken from the pool).
    base_bytes: usize,
    n_train: usize,
    n_in: usize,
    /// Output shapes of the train pairs.
    out_shapes: Vec<(usize, usize)>,
    consts: Vec<Value>,
    groups: [Vec<u16>; GROUPS],
    /// The value of `a_mr(S)`, when it exists.
    amr: Option<Value>,
    /// `S`, the demo pairs.
    samples: Value,
    /// The calls of the terms, one node each (`I` is none), and the node of `a_mr(S)`
    /// (when there is no `a_mr`, a node no term reads).
    calls: Battery,
    amr_node: NodeId,
    terms: Vec<Term>,
    seen: HashSet<u64>,
    /// The vector fingerprints of solvers (for solvers that read `S` and equal one).
    solver_fps: HashSet<u64>,
    bytes: usize,
    applications: u64,
    next_check: u64,
    solvers: Vec<Program>,
    /// At the last level: per term, how it differs from the outputs (computed when asked).
    diffs: Vec<Option<Option<Diff>>>,
    /// At the last level: per object term, whether its cells have the outputs' colours
    /// (computed when asked, for `paint`).
    paint_fit: Vec<Option<bool>>,
    /// At the last level, for `cellwise`: the colour the pair of grids chosen asks for, per
    /// train pair.
    cw_colour: Vec<Option<i32>>,
    /// At the last level, for `subgrid`: the top-left corner of the patch chosen, per train
    /// pair.
    sub_corner: Vec<(usize, usize)>,
    /// At the last level, for `subgrid`: the grids that fit, per corner vector.
    sub_cache: HashMap<Vec<(usize, usize)>, Arc<[Src]>>,
    /// At the last level, for `overlay`: the grids whose non-zero cells are all the
    /// outputs' (on every train pair), computed when first asked.
    tops: Option<Arc<[Src]>>,
    /// At the last level: per cell of the first output, the patch terms holding it on the
    /// first input, in order.
    holders: Vec<Vec<u32>>,
    /// `level_start[d]`: the first term of level `d` (the last entry: the end of the terms).
    level_start: Vec<usize>,
    /// The deepest depth whose goal-directed level is complete.
    probed: usize,
    /// The entries this search runs, and the kinds worth keeping per levels left.
    menu: Arc<[Item]>,
    useful: Arc<[u32]>,
    /// The menu entry the level in progress goes on with (0: the level starts).
    resume_item: usize,
    /// Why the search is over, when it is.
    done: Option<&'static str>,
    /// Set by a call of a colour-blind step that changed nothing with a colour other than 0:
    /// the colours after it are skipped.
    colours_idle: bool,
    /// The budget (`"memory"` or `"terms"`) hit while storing a level: probe once more, then
    /// stop.
    full: Option<&'static str>,
    /// How the demo outputs fall into classes, when an answer may classify (see `classify`).
    classes: Option<classify::Classes>,
    /// The one grid every demo output is (two pairs or more), until answered.
    constant: Option<Grid>,
    /// The first term `classify` has not read, the features it tried, the answers it kept.
    class_scan: usize,
    class_tried: usize,
    class_answers: usize,
}

/// Enumerates programs for `task` up to `cfg.depth` levels within `cfg.time` and returns the
/// solvers found.
pub fn enumerate_task(task: &Task, cfg: &EnumConfig) -> Found {
    let mut s = TaskSearch::new(task, cfg);
    let _ = s.advance(Instant::now() + cfg.time);
    let mut en = s.en;
    let stopped = match en.done {
        None => Some("time"),
        Some("depth" | "solved") => None,
        other => other,
    };
    Found { solvers: std::mem::take(&mut en.solvers), terms: en.terms.len(), applications: en.applications, stopped }
}

/// The enumeration of one task, resumable: each [`advance`](TaskSearch::advance) goes one
/// or more depths deeper from where the last one stopped, keeping every stored level, so
/// a scheduler can share time among many tasks and give more to those still unsolved.
pub struct TaskSearch<'a> {
    en: Enum<'a>,
    /// Solvers already handed out by [`TaskSearch::advance`].
    reported: usize,
}

impl<'a> TaskSearch<'a> {
    pub fn new(task: &'a Task, cfg: &'a EnumConfig) -> TaskSearch<'a> {
        TaskSearch { en: Enum::new(task, cfg, PoolRef::Own), reported: 0 }
    }

    /// A search whose stored values also count against `pool`, shared with other searches.
    pub fn with_pool(task: &'a Task, cfg: &'a EnumConfig, pool: &'a MemoryPool) -> TaskSearch<'a> {
        TaskSearch { en: Enum::new(task, cfg, PoolRef::Shared(pool)), reported: 0 }
    }

    /// Searches until `deadline` or the end of the search; returns the solvers found since
    /// the last call, or `Err("time")` when the deadline cut it (it goes on from there when
    /// called again).
    pub fn advance(&mut self, deadline: Instant) -> Result<Vec<Program>, &'static str> {
        self.en.deadline = deadline;
        let r = self.en.advance();
        let new = self.en.solvers[self.reported..].to_vec();
        self.reported = self.en.solvers.len();
        match r {
            Err(e) if new.is_empty() => Err(e),
            _ => Ok(new),
        }
    }

    /// Whether the search is over (solved, every depth done, or a budget spent).
    pub fn done(&self) -> bool {
        self.en.done.is_some()
    }

    /// Why the search is over: `"solved"`, `"solvers"`, `"depth"`, `"memory"` or `"terms"`.
    pub fn why_done(&self) -> Option<&'static str> {
        self.en.done
    }

    /// The deepest depth whose goal-directed level is complete.
    pub fn depth(&self) -> usize {
        self.en.probed
    }

    /// Approximate bytes of the stored values.
    pub fn bytes(&self) -> usize {
        self.en.bytes
    }

    /// Primitive applications so far.
    pub fn applications(&self) -> u64 {
        self.en.applications
    }

    /// Every solver found so far.
    pub fn solvers(&self) -> &[Program] {
        &self.en.solvers
    }
}

impl<'a> Enum<'a> {
    fn new(task: &'a Task, cfg: &'a EnumConfig, pool: PoolRef<'a>) -> Enum<'a> {
        let inputs: Vec<Value> = task
            .train
            .iter()
            .map(|p| Value::Grid(p.input.clone()))
            .chain(task.test.iter().map(|t| Value::Grid(t.input.clone())))
            .collect();
        let (consts, groups) = task_constants(task);
        let a_mr = Prim::by_name("a_mr");
        let samples = task.samples();
        let amr = a_mr.and_then(|p| Ctx::new(1 << 20).apply(p, std::slice::from_ref(&samples)).ok());
        let mut calls = Battery::new();
        let amr_node = calls.add(Op::Prim(a_mr.unwrap_or(Prim(0))), [Operand::Samples]);

        let mut en = Enum {
            task,
            cfg,
            deadline: Instant::now() + cfg.time,
            pool,
            base_bytes: 0,
            level_start: vec![0, 1],
            probed: 0,
            resume_item: 0,
            menu: Arc::from([]),
            useful: useful_kinds(cfg.depth).into(),
            done: None,
            colours_idle: false,
            full: None,
            n_train: task.train.len(),
            n_in: inputs.len(),
            out_shapes: task.train.iter().map(|p| (p.output.h(), p.output.w())).collect(),
            consts,
            groups,
            amr,
            samples,
            calls,
            amr_node,
            terms: Vec::new(),
            seen: HashSet::new(),
            solver_fps: HashSet::new(),
            bytes: 0,
            applications: 0,
            next_check: 0,
            solvers: Vec::new(),
            diffs: Vec::new(),
            paint_fit: Vec::new(),
            cw_colour: Vec::new(),
            sub_corner: Vec::new(),
            sub_cache: HashMap::new(),
            tops: None,
            holders: Vec::new(),
            classes: classify::Classes::of(task.train.iter().map(|p| &p.output)),
            constant: classify::one_output(task.train.iter().map(|p| &p.output)),
            class_scan: 0,
            class_tried: 0,
            class_answers: 0,
        };
        // a term constant over the inputs and equal to a colour adds nothing: the colour is
        // offered wherever an integer term is
        for &k in &en.groups[Group::Colours as usize] {
            let v = vec![en.consts[k as usize].clone(); inputs.len()];
            en.seen.insert(vec_fp(&v));
        }
        en.seen.insert(vec_fp(&inputs));
        en.bytes = inputs.iter().map(bytes).sum();
        en.base_bytes = en.bytes;
        en.terms.push(Term { vals: inputs.into(), kind: GRID, node: NodeId::MAX, pure: true });
        en.menu = en.resolve_menu();
        en
    }

    /// Goes on from where the last call stopped, until the search is over or the deadline:
    /// at each depth `d`, first the goal-directed level (calls that may give the outputs,
    /// nothing stored), then, unless a solver was found, the stored level `d` that depth
    /// `d + 1` builds on. Levels already stored are never recomputed; a level cut by the
    /// deadline goes on with the menu entry it was in (that entry's terms are redone).
    fn advance(&mut self) -> Result<(), &'static str> {
        if self.task.train.is_empty() || self.n_in == 0 {
            self.done = Some("depth");
        }
        while self.done.is_none() {
            let stored = self.level_start.len() - 2;
            if self.probed == stored {
                let d = stored + 1;
                if d > self.cfg.depth || self.level_start[d] == self.level_start[d - 1] {
                    self.done = Some("depth"); // the last level added nothing new
                    break;
                }
                match self.level(d, true) {
                    Err("solvers") => self.done = Some("solvers"),
                    Err(e) => return Err(e),
                    Ok(()) => {}
                }
                self.probed = d;
                if self.solvers.is_empty() {
                    match self.pieces() {
                        Err("solvers") => self.done = Some("solvers"),
                        Err(e) => return Err(e),
                        Ok(()) => {}
                    }
                }
                if self.solvers.is_empty() {
                    match self.constant_answer().and_then(|()| self.classify()) {
                        Err("solvers") => self.done = Some("solvers"),
                        Err(e) => return Err(e),
                        Ok(()) => {}
                    }
                }
                if !self.solvers.is_empty() && self.cfg.stop_when_solved {
                    self.done.get_or_insert("solved");
                } else if let Some(why) = self.full {
                    self.done.get_or_insert(why);
                }
            } else {
                let d = self.probed;
                if d >= self.cfg.depth {
                    self.done = Some("depth");
                    break;
                }
                match self.level(d, false) {
                    Ok(()) => {}
                    Err(why @ ("memory" | "terms")) => self.full = Some(why),
                    Err("solvers") => self.done = Some("solvers"),
                    Err(e) => return Err(e),
                }
                self.level_start.push(self.terms.len());
            }
        }
        Ok(())
    }

    /// Level `d`: every call with an argument of level `d - 1`, goal-directed and stored
    /// nowhere when `last`, else stored as terms of level `d`.
    fn level(&mut self, d: usize, last: bool) -> Result<(), &'static str> {
        let (menu, useful) = (self.menu.clone(), self.useful.clone());
        let (old_end, end) = (self.level_start[d - 1], self.level_start[d]);
        let left = if last { 0 } else { self.cfg.depth.saturating_sub(d).max(1) };
        if last {
            self.prepare_last();
        } else {
            self.finish_last();
        }
        // the terms each parameter accepts, older ones then those of level d-1
        let mut by_mask: HashMap<(u32, Option<Fit>), (Vec<u32>, usize)> = HashMap::new();
        // the image tier stores only unary steps (one term, constants): binary ones square the
        // terms of a level, and are left to the goal-directed last level
        let unary =
            |it: &&Item| it.params.iter().filter(|p| matches!(p, Param::Term(_) | Param::TermFit(..))).count() <= 1;
        let mut order: Vec<usize> = (0..menu.len()).collect();
        if !last && self.cfg.fewest_calls_first {
            // stable: entries with as many calls keep the menu's order
            let calls = self.calls_per_entry(&menu, end);
            order.sort_by_key(|&i| calls[i]);
        }
        let todo = order
            .iter()
            .map(|&i| &menu[i])
            .enumerate()
            .skip(self.resume_item)
            .filter(|(_, it)| it.ret & useful[left] != 0)
            .filter(|(_, it)| last || !self.cfg.image_only || unary(it));
        for (i, item) in todo {
            self.resume_item = i;
            let mark = self.terms.len();
            let mut cands: Vec<Cands> = Vec::with_capacity(item.params.len());
            for p in item.params {
                let (mut list, mut split) = match *p {
                    Param::Const(Group::Criteria) if !last => (vec![], 0),
                    Param::Const(g) | Param::ConstOrTerm(_, g) => {
                        let l: Vec<Src> = self.groups[g as usize].iter().map(|&k| Src::Const(k)).collect();
                        let n = l.len();
                        (l, n)
                    }
                    Param::AmrOfS => (vec![Src::AMr], 1),
                    Param::Samples => (vec![Src::Samples], 1),
                    Param::Term(_) | Param::TermFit(..) => (vec![], 0),
                };
                let key = match *p {
                    Param::Term(m) | Param::ConstOrTerm(m, _) => Some((m, None)),
                    Param::TermFit(m, fit) => Some((m, last.then_some(fit))),
                    _ => None,
                };
                if let Some(key) = key {
                    let (ts, old) = by_mask.entry(key).or_insert_with(|| {
                        let ts: Vec<u32> = (0..end)
                            .filter(|&t| self.terms[t].kind & key.0 != 0)
                            .filter(|&t| match key.1 {
                                Some(fit) => self.fits(t, fit),
                                None => true,
                            })
                            .map(|t| t as u32)
                            .collect();
                        let old = ts.partition_point(|&t| (t as usize) < old_end);
                        (ts, old)
                    });
                    split += *old;
                    list.extend(ts.iter().map(|&t| Src::Term(t)));
                }
                cands.push((list, split));
            }
            if let Err(e) = self.enumerate_item(item, &cands, old_end, useful[left], last) {
                if e == "time" {
                    // the next call resumes with this entry; what it stored is dropped
                    self.truncate(mark);
                }
                return Err(e);
            }
        }
        self.resume_item = 0;
        Ok(())
    }

    /// About how many calls each menu entry makes at a level over the first `end` terms:
    /// the product of what each of its parameters accepts (the constants of its group, the
    /// terms of its kinds).
    fn calls_per_entry(&self, menu: &[Item], end: usize) -> Vec<usize> {
        let mut per_kinds: HashMap<u32, usize> = HashMap::new();
        let mut terms = |m: u32| {
            *per_kinds.entry(m).or_insert_with(|| self.terms[..end].iter().filter(|t| t.kind & m != 0).count())
        };
        let mut accepted = |p: &Param| match *p {
            Param::Const(g) => self.groups[g as usize].len(),
            Param::ConstOrTerm(m, g) => self.groups[g as usize].len() + terms(m),
            Param::Term(m) | Param::TermFit(m, _) => terms(m),
            Param::AmrOfS | Param::Samples => 1,
        };
        menu.iter().map(|it| it.params.iter().map(&mut accepted).product()).collect()
    }

    /// Every call of `item` with at least one argument of the newest level: the first such
    /// argument at position `p`, older candidates before it, any after it.
    fn enumerate_item(
        &mut self,
        item: &Item,
        cands: &[Cands],
        old_end: usize,
        useful: u32,
        last: bool,
    ) -> Result<(), &'static str> {
        let n = cands.len();
        if n == 0 || n > 4 {
            return Ok(());
        }
        let mut combo = [Src::AMr; 4];
        for p in 0..n {
            if cands[p].1 == cands[p].0.len() {
                continue; // no new candidate here
            }
            let lv = Level { p, old_end, useful, last };
            self.descend(item, cands, &lv, 0, &mut combo)?;
        }
        Ok(())
    }

    /// Chooses argument `q` (and on), then calls.
    fn descend(
        &mut self,
        item: &Item,
        cands: &[Cands],
        lv: &Level,
        q: usize,
        combo: &mut [Src; 4],
    ) -> Result<(), &'static str> {
        let n = cands.len();
        if q == n {
            return if lv.last {
                self.try_last(item, &combo[..n])
            } else {
                self.try_call(item, &combo[..n], lv.useful)
            };
        }
        let dynamic = if lv.last { self.forced_cands(item, cands, lv.old_end, q, combo) } else { None };
        let (list, split) = match &dynamic {
            Some((l, s)) => (&l[..], *s),
            None => (cands[q].0.as_slice(), cands[q].1),
        };
        let (lo, hi) = match q.cmp(&lv.p) {
            std::cmp::Ordering::Less => (0, split),
            std::cmp::Ordering::Equal => (split, list.len()),
            std::cmp::Ordering::Greater => (0, list.len()),
        };
        for &s in &list[lo..hi] {
            combo[q] = s;
            if lv.last && q == 0 && item.mono != Mono::Any && !self.mono_ok(item.mono, s) {
                continue;
            }
            if item.force != Force::None && !self.prune_ok(item, combo, q, lv.last) {
                continue;
            }
            self.descend(item, cands, lv, q + 1, combo)?;
            if std::mem::take(&mut self.colours_idle) {
                break; // the other colours change nothing either
            }
        }
        Ok(())
    }

    /// Counts an application, and checks the clock every 64.
    #[inline]
    fn tick(&mut self) -> Result<(), &'static str> {
        self.applications += 1;
        if self.applications >= self.next_check {
            self.next_check = self.applications + 64;
            if Instant::now() >= self.deadline || self.cfg.stop.is_stopped() {
                return Err("time");
            }
        }
        Ok(())
    }

    /// Applies `prim` to `args` on input `k`.
    #[inline]
    fn apply_on(&self, prim: Prim, args: &[Src], k: usize, buf: &mut Vec<Value>) -> Option<Value> {
        buf.clear();
        for &s in args {
            buf.push(self.value_ref(s, k)?.clone());
        }
        Ctx::new(STEPS).apply(prim, buf).ok()
    }

    /// Whether the full menu leaves this call to the image tier, which makes it too.
    fn left_to_image_tier(&self, item: &Item, args: &[Src]) -> bool {
        self.cfg.skip_image_calls && item.image && args.iter().all(|a| self.pure(*a))
    }

    /// The values of `item` on `args`, input by input while `keep(k, value)` holds, each
    /// application counted; `None` at the first failure or value not kept, or when the call is
    /// left to the image tier.
    pub(super) fn apply_all(
        &mut self,
        item: &Item,
        args: &[Src],
        keep: impl Fn(&Self, usize, &Value) -> bool,
    ) -> Result<Option<Vec<Value>>, &'static str> {
        if self.left_to_image_tier(item, args) {
            return Ok(None);
        }
        let mut vals: Vec<Value> = Vec::with_capacity(self.n_in);
        let mut buf: Vec<Value> = Vec::with_capacity(args.len());
        for k in 0..self.n_in {
            self.tick()?;
            match self.apply_on(item.prim, args, k, &mut buf) {
                Some(v) if keep(self, k, &v) => vals.push(v),
                _ => return Ok(None),
            }
        }
        Ok(Some(vals))
    }

    /// Applies `item` to `args` on every input; keeps the result when it is new.
    fn try_call(&mut self, item: &Item, args: &[Src], useful: u32) -> Result<(), &'static str> {
        let Some(vals) = self.apply_all(item, args, |_, _, _| true)? else { return Ok(()) };
        let kind = vals.iter().fold(0, |m, v| m | kind(v));
        // the menu's result kinds (which prune what cannot lead to a grid) are what the
        // primitive gives for these arguments, checked on every call the tests make; a grid
        // primitive may also give `()` or a tuple of empty rows (`trim` of a 3 × 2 grid)
        let degenerate = EMPTY | if item.ret & GRID != 0 { OTHER_TUPLE } else { 0 };
        debug_assert!(
            kind & !(item.ret | degenerate) == 0,
            "{}: kinds {kind:#x}, menu {:#x}",
            item.prim.name(),
            item.ret
        );
        if kind & useful == 0 || self.idle_on_demos(args, &vals) {
            if item.colour_blind && self.idle_with_colour(args, &vals) {
                self.colours_idle = true;
            }
            return Ok(());
        }
        let fp = vec_fp(&vals);
        let solves = self.solves(&vals);
        if self.seen.contains(&fp) {
            return self.duplicate(item, args, solves, fp);
        }
        if self.terms.len() >= self.cfg.max_terms {
            return Err("terms");
        }
        if !self.take_term_bytes(&vals) {
            return Err("memory");
        }
        self.seen.insert(fp);
        let pure = item.image && args.iter().all(|a| self.pure(*a));
        self.push_term(item.prim, args, vals, kind, pure);
        if solves {
            self.solver_fps.insert(fp);
            let prog = self.program_of(item.prim, args);
            self.push_solver(prog)?;
        }
        Ok(())
    }

    /// Whether a call gives what one of its term arguments is on every train input: a step
    /// the demo pairs cannot justify, whatever it does to a test input (where it could only
    /// make a prediction worse), so it is not kept.
    fn idle_on_demos(&self, args: &[Src], vals: &[Value]) -> bool {
        args.iter().any(|a| match *a {
            Src::Term(t) => self.terms[t as usize].vals[..self.n_train] == vals[..self.n_train],
            _ => false,
        })
    }

    /// Whether a call `(g, c)` of a [`menu::COLOUR_BLIND`] step, `c` a constant other than 0,
    /// gives `g` on every input.
    fn idle_with_colour(&self, args: &[Src], vals: &[Value]) -> bool {
        match args {
            [Src::Term(t), c @ Src::Const(_)] => {
                matches!(self.value_ref(*c, 0), Some(Value::Int(c)) if *c != 0)
                    && *self.terms[*t as usize].vals == *vals
            }
            _ => false,
        }
    }

    /// Whether a value vector gives every train output, and a grid for every test input.
    fn solves(&self, vals: &[Value]) -> bool {
        (0..self.n_train).all(|k| matches!(&vals[k], Value::Grid(g) if *g == self.task.train[k].output))
            && vals[self.n_train..].iter().all(|v| matches!(v, Value::Grid(_)))
    }

    /// A call whose vector an earlier term has: a program reading `S` that equals a solver is
    /// still reported (it may carry over to other tasks).
    fn duplicate(&mut self, item: &Item, args: &[Src], solves: bool, fp: u64) -> Result<(), &'static str> {
        if solves && item.uses_s && self.solver_fps.contains(&fp) {
            let prog = self.program_of(item.prim, args);
            return self.push_solver(prog);
        }
        Ok(())
    }

    fn push_solver(&mut self, p: Program) -> Result<(), &'static str> {
        self.solvers.push(p);
        if self.solvers.len() >= MAX_SOLVERS {
            return Err("solvers");
        }
        Ok(())
    }
}

/// Where the enumeration of one entry stands: the position of the first argument of the
/// newest level, the first term of that level, the kinds worth keeping, the last level.
struct Level {
    p: usize,
    old_end: usize,
    useful: u32,
    last: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use batt_dsl::Ty;
    use batt_prog::check;

    #[test]
    fn kind_bits_are_those_of_the_checker() {
        assert_eq!(check::kinds(Ty::Grid), GRID);
        assert_eq!(check::kinds(Ty::Objects), OBJECTS | EMPTY);
        assert_eq!(check::kinds(Ty::Indices), INDICES | EMPTY);
        assert_eq!(check::kinds(Ty::Object), OBJECT | EMPTY);
        assert_eq!(check::kinds(Ty::IntegerSet), INT_SET | EMPTY);
        assert_eq!(check::kinds(Ty::IndicesSet), INDICES_SET | EMPTY);
        assert_eq!(check::kinds(Ty::Cell), CELL);
        assert_eq!(check::kinds(Ty::IntegerTuple), PAIR);
        assert_eq!(check::kinds(Ty::Callable), FUNC);
        assert_eq!(check::kinds(Ty::Samples), SAMPLES);
        assert_eq!(check::kinds(Ty::Boolean), BOOL | INT);
        let objs = Value::set(vec![Value::object_cij([(1, 0, 0)]).unwrap()]).unwrap();
        assert_eq!(kind(&objs), OBJECTS);
        assert_eq!(kind(&Value::empty_set()), EMPTY);
        assert_eq!(kind(&Value::Int(3)), INT);
    }
}
