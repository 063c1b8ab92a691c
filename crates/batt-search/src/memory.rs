//! Memory freed goes back to the system. The C allocator keeps what a program frees for later
//! allocations, so a process whose searches end and start again (and whose generations build
//! and drop batteries) stays as large as the most it ever held, plus what fragments between
//! threads' arenas: measured on a 30 s `solve` of the training set, 500-800 MiB above what the
//! searches held. The schedule gives it back after each round and before each generation, so
//! the process holds about what the memory pool counts (a 300 s `solve` peaked at 1779 MiB
//! before, 1408 MiB after).

/// Returns the allocator's free memory to the system (glibc's `malloc_trim`; elsewhere
/// nothing). It takes the allocator's locks for a walk over its free lists: milliseconds for
/// a heap of a few GiB, so call it between rounds of work, not inside them.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::os::raw::c_int;
        }
        // SAFETY: malloc_trim only hands unused pages of the allocator's own heaps back to the
        // kernel, under the allocator's locks; it may be called from any thread at any time.
        unsafe {
            malloc_trim(0);
        }
    }
}
