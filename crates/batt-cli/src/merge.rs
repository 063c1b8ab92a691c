//! `batt merge`: joins what the shards of a run (`--shard I/N`) wrote, their submissions into
//! one file and their libraries into one library. Everything is read and checked before
//! anything is written.

use anyhow::{bail, Context, Result};
use batt_engine::library::check_output;
use batt_engine::shard::{merge_libraries, merge_submissions};
use batt_engine::submission::write_submission;
use batt_engine::Library;
use std::io::Write;
use std::path::PathBuf;

/// What to merge, and where to.
pub struct MergeArgs {
    pub submissions: Vec<PathBuf>,
    pub output: PathBuf,
    pub libraries: Vec<PathBuf>,
    pub library: PathBuf,
    /// Solvers kept per task in the merged library (`None`: all of them).
    pub keep: Option<usize>,
}

/// `batt merge`.
pub fn merge(out: &mut impl Write, a: &MergeArgs) -> Result<()> {
    if a.submissions.is_empty() && a.libraries.is_empty() {
        bail!("nothing to merge: name the shards' files with --submissions and their libraries with --libraries");
    }
    let target = Library::new(&a.library, a.keep.unwrap_or(usize::MAX));
    if !a.submissions.is_empty() {
        check_output(&a.output).context("cannot write the output")?;
    }
    if !a.libraries.is_empty() {
        target.check().context("cannot write the library")?;
    }
    let preds = if a.submissions.is_empty() { None } else { Some(merge_submissions(&a.submissions)?) };
    if !a.libraries.is_empty() {
        let m = merge_libraries(&a.libraries, &target)
            .with_context(|| format!("merging libraries into {}", a.library.display()))?;
        for e in &m.skipped {
            eprintln!("warning: {e} (not a solver: not merged)");
        }
        writeln!(
            out,
            "{} solvers of {} tasks read from {} libraries: {} new in {}",
            m.solvers,
            m.tasks,
            a.libraries.len(),
            m.new_solvers,
            a.library.display()
        )?;
    }
    if let Some(preds) = preds {
        write_submission(&a.output, &preds).with_context(|| format!("writing {}", a.output.display()))?;
        writeln!(
            out,
            "{} tasks from {} submissions written to {}",
            preds.len(),
            a.submissions.len(),
            a.output.display()
        )?;
    }
    Ok(())
}
