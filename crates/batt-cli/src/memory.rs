//! The whole process's memory (`--memory-mib`): a cap on everything batt allocates, and the
//! engine's own caps sized from it.
//!
//! The engine keeps below its own caps by giving up work (a battery drops node values, an
//! enumeration stores no more); the process cap is the backstop for everything else. The
//! binary's global allocator is [`Counting`], a thin wrapper over [`System`] that counts the
//! bytes held. When they pass the cap, batt ends at once with a message naming the cap and the
//! option (exit status [`EXIT_OVER_CAP`]): never a panic or the kernel's silent kill. Library
//! files are only ever replaced whole (a rename), so no solver already kept is lost, and the
//! temporary and lock files batt was writing are removed before it ends.
//!
//! Counting costs a relaxed atomic add per allocation and per free (a few nanoseconds), on one
//! of several stripes (cache lines) so that threads do not contend; a thread adds up the
//! stripes only each time its own grew by [`GRAIN`] since it last did, so the cap holds to
//! within a mebibyte per thread.

use batt_search::solve::SolveConfig;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering::Relaxed};
use std::sync::{Mutex, OnceLock};

/// The exit status of a process that went past its memory cap.
pub const EXIT_OVER_CAP: u8 = 3;

/// The process cap by default: three quarters of the machine's memory (or of the cgroup's
/// limit, when lower).
const DEFAULT_QUARTERS: usize = 3;
/// Without a cap given, a battery's values may hold this much (or a quarter of the process cap,
/// when less), and `solve`'s enumerations what [`SolveConfig`]'s defaults say (or half the
/// process cap, when less).
const DEFAULT_VALUE_MIB: usize = 4096;

/// What each part of batt may hold, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// The whole process (`usize::MAX`: no cap).
    pub process: usize,
    /// Whether `process` was given with `--memory-mib` (else it is the default).
    pub given: bool,
    /// A battery's node values kept between nodes, all threads together.
    pub battery_values: usize,
    /// All of `solve`'s enumerations together.
    pub enumeration: usize,
    /// One task's enumeration.
    pub enumeration_task: usize,
}

impl Budget {
    /// The budget for `--memory-mib` (`None`: the default). With a cap given, a quarter of it
    /// goes to a battery's values and half to the enumerations (they live at once in `solve`,
    /// whose searches resume between generations); the rest is for everything else. Without
    /// one, the engine keeps its usual caps, within the same shares of the default cap.
    pub fn new(memory_mib: Option<usize>) -> Budget {
        let (process, given) = match memory_mib {
            Some(m) => (m.saturating_mul(1 << 20), true),
            None => (default_cap(), false),
        };
        let search = SolveConfig::default();
        let (values, enumeration) = match given {
            true => (process / 4, process / 2),
            false => ((DEFAULT_VALUE_MIB << 20).min(process / 4), search.max_bytes_total.min(process / 2)),
        };
        Budget {
            process,
            given,
            battery_values: values,
            enumeration,
            enumeration_task: enumeration.min(search.max_bytes),
        }
    }

    /// The cap in words, for messages.
    pub fn describe(&self) -> String {
        let mib = self.process >> 20;
        if self.given {
            format!("--memory-mib {mib}")
        } else {
            format!("{mib} MiB, the default (three quarters of this machine's memory; set it with --memory-mib)")
        }
    }
}

/// The default process cap: a share of the machine's memory, or of the cgroup's limit when
/// that is lower; no cap when neither is known.
fn default_cap() -> usize {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok().and_then(|s| {
        let kb: usize = s.lines().find(|l| l.starts_with("MemTotal:"))?.split_whitespace().nth(1)?.parse().ok()?;
        kb.checked_mul(1024)
    });
    let cgroup = ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok()?.trim().parse::<usize>().ok())
        .min();
    match meminfo.into_iter().chain(cgroup).min() {
        Some(bytes) => bytes / 4 * DEFAULT_QUARTERS,
        None => usize::MAX,
    }
}

/// The global allocator of the `batt` binary: [`System`], counting the bytes it holds.
pub struct Counting;

/// How many stripes the count is spread over.
const STRIPES: usize = 16;
/// A thread adds up the stripes each time its own grew by this many bytes.
pub const GRAIN: isize = 1 << 20;

/// One stripe of the count, alone on its cache lines.
#[repr(align(128))]
struct Stripe(AtomicIsize);

static COUNT: [Stripe; STRIPES] = [const { Stripe(AtomicIsize::new(0)) }; STRIPES];
static NEXT_STRIPE: AtomicUsize = AtomicUsize::new(0);
static CAP: AtomicUsize = AtomicUsize::new(usize::MAX);
/// Set once, by the thread that found the count past the cap.
static ENDING: AtomicBool = AtomicBool::new(false);
static MESSAGE: OnceLock<String> = OnceLock::new();
/// Directories batt writes into: (directory, whether the whole directory is batt's own
/// temporary one).
static WRITES_IN: Mutex<Vec<(PathBuf, bool)>> = Mutex::new(Vec::new());

thread_local! {
    /// This thread's stripe (`usize::MAX`: none yet).
    static STRIPE: Cell<usize> = const { Cell::new(usize::MAX) };
    /// The value of this thread's stripe at which it next adds up the stripes.
    static CHECK_AT: Cell<isize> = const { Cell::new(0) };
    /// Whether this thread is the one ending the process (it may allocate freely).
    static ENDER: Cell<bool> = const { Cell::new(false) };
}

fn stripe() -> usize {
    STRIPE
        .try_with(|s| {
            if s.get() == usize::MAX {
                s.set(NEXT_STRIPE.fetch_add(1, Relaxed) % STRIPES);
            }
            s.get()
        })
        .unwrap_or(0)
}

/// The bytes held now (to within what threads are allocating at this moment).
pub fn held() -> usize {
    COUNT.iter().map(|s| s.0.load(Relaxed)).sum::<isize>().max(0) as usize
}

fn grew(n: usize) {
    if ENDING.load(Relaxed) && !ENDER.try_with(Cell::get).unwrap_or(false) {
        // another thread is ending the process: this one waits for the end, so that it
        // starts no new file the clean-up would miss
        loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
    }
    let s = stripe();
    let now = COUNT[s].0.fetch_add(n as isize, Relaxed) + n as isize;
    let due = CHECK_AT.try_with(|c| {
        let due = now >= c.get();
        if due {
            c.set(now + GRAIN);
        }
        due
    });
    if due.unwrap_or(false) && held() > CAP.load(Relaxed) && !ENDING.load(Relaxed) {
        over_cap();
    }
}

fn shrank(n: usize) {
    let now = COUNT[stripe()].0.fetch_sub(n as isize, Relaxed) - n as isize;
    let _ = CHECK_AT.try_with(|c| c.set(c.get().min(now + GRAIN)));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            match new_size.cmp(&layout.size()) {
                std::cmp::Ordering::Greater => grew(new_size - layout.size()),
                std::cmp::Ordering::Less => shrank(layout.size() - new_size),
                std::cmp::Ordering::Equal => {}
            }
        }
        p
    }
}

/// Caps the process at `budget.process` bytes from now on.
pub fn install(budget: &Budget) {
    let _ = MESSAGE.set(format!(
        "batt: out of memory: the process went past its cap of {}; it stopped here, and the \
         solvers already kept in the library are whole. Give it more memory with --memory-mib, \
         or less to do.\n",
        budget.describe()
    ));
    CAP.store(budget.process, Relaxed);
}

/// Notes that batt writes temporary and lock files in `dir` (a library, an output's directory),
/// to be removed should the process go past its cap; with `whole`, `dir` is batt's own
/// temporary directory, removed entirely.
pub fn writes_in(dir: &Path, whole: bool) {
    let mut dirs = WRITES_IN.lock().unwrap_or_else(|p| p.into_inner());
    dirs.push((dir.to_path_buf(), whole));
}

/// Ends the process: the message, then the temporary and lock files batt was writing removed.
#[cold]
fn over_cap() {
    if ENDING.swap(true, Relaxed) {
        return;
    }
    let _ = ENDER.try_with(|e| e.set(true));
    let message = MESSAGE.get().map_or("batt: out of memory\n", String::as_str);
    write_stderr(message.as_bytes());
    // another thread may hold the list only while adding to it, before any work
    if let Ok(dirs) = WRITES_IN.try_lock() {
        for (dir, whole) in dirs.iter() {
            if *whole {
                let _ = std::fs::remove_dir_all(dir);
            } else {
                batt_engine::library::remove_leftovers(dir);
            }
        }
    }
    std::process::exit(EXIT_OVER_CAP.into());
}

/// Writes to the standard error without taking its lock (a thread that waits for the end may
/// hold it).
fn write_stderr(bytes: &[u8]) {
    use std::io::Write;
    #[cfg(unix)]
    {
        use std::os::fd::FromRawFd;
        // SAFETY: descriptor 2 is the standard error, open for the whole process; the File is
        // never dropped, so it is never closed
        let mut f = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(2) });
        let _ = f.write_all(bytes);
    }
    #[cfg(not(unix))]
    {
        let _ = std::io::stderr().write_all(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_cap_is_shared_out_and_the_default_keeps_the_usual_caps() {
        let b = Budget::new(Some(1024));
        assert_eq!((b.process, b.given), (1 << 30, true));
        assert_eq!((b.battery_values, b.enumeration, b.enumeration_task), (256 << 20, 512 << 20, 256 << 20));
        let small = Budget::new(Some(64));
        assert_eq!((small.battery_values, small.enumeration, small.enumeration_task), (16 << 20, 32 << 20, 32 << 20));
        assert!(small.describe().contains("--memory-mib 64"));
        let d = Budget::new(None);
        assert!(!d.given);
        assert!(d.battery_values <= d.process / 4 && d.enumeration <= d.process / 2);
        assert!(d.battery_values <= DEFAULT_VALUE_MIB << 20 && d.enumeration <= 1536 << 20);
        assert!(d.describe().contains("the default"));
        // the largest cap accepted does not overflow
        assert_eq!(Budget::new(Some(1 << 30)).process, 1 << 50);
    }
}
