//! What the GPU tests share: whether a missing adapter is a failure.

/// `BATT_REQUIRE_GPU` is set (to anything but "" or "0"): the GPU tests fail without an
/// adapter instead of passing with a note.
pub fn required() -> bool {
    std::env::var("BATT_REQUIRE_GPU").is_ok_and(|v| !v.is_empty() && v != "0")
}
