//! The process's memory: transparent huge pages off.
//!
//! mimalloc reserves its heap as one large region and asks the kernel for transparent
//! huge pages on it (`MADV_HUGEPAGE`): the first byte touched in each 2 MiB of it then
//! brings in the whole 2 MiB. A server's heap is many small, short-lived values spread
//! over that region, so most of each huge page stays unused while resident: 16 MiB at
//! start for 3 MiB of allocations, and under the benchmark's load the server's peak
//! resident memory was 69 MB with huge pages and 39 MB without, at the same request
//! rates (see bench/README.md). The server turns them off for its own process (the
//! kernel's `PR_SET_THP_DISABLE`) before anything else runs, unless mimalloc's own
//! `MIMALLOC_ALLOW_THP` variable says otherwise.

/// Turns transparent huge pages off for this process, unless `MIMALLOC_ALLOW_THP` is
/// set (then mimalloc does as it says). Returns whether they were turned off here.
pub fn no_huge_pages() -> bool {
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_some() {
        return false;
    }
    turn_off()
}

#[cfg(target_os = "linux")]
fn turn_off() -> bool {
    rustix::thread::disable_transparent_huge_pages(true).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn turn_off() -> bool {
    false
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn huge_pages_are_turned_off_for_the_process() {
        if std::env::var_os("MIMALLOC_ALLOW_THP").is_some() {
            assert!(!super::no_huge_pages());
            return;
        }
        assert!(super::no_huge_pages());
        assert!(rustix::thread::transparent_huge_pages_are_disabled().unwrap());
    }
}
