//! The bytes of a task file through the loader: every task it loads is sound, every error
//! names the file; no panic.
#![no_main]

#[path = "../../crates/batt-engine/tests/common/cases.rs"]
mod cases;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    cases::task_file(data);
});
