//! A global allocator that keeps, for each thread, the heap it holds and
//! the most it held since it was last asked: what lets a test say that an
//! evaluation never took more memory than its budget allows.
//!
//! A binary installs it at its root:
//!
//! ```ignore
//! #[path = "support/alloc_meter.rs"]
//! mod alloc_meter;
//! #[global_allocator]
//! static METER: alloc_meter::Meter = alloc_meter::Meter;
//! ```
//!
//! and then measures a closure with [`peak_during`]. Memory freed by
//! another thread than the one that took it is counted on the thread that
//! frees it, so measure work that stays on one thread.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

/// The system allocator, counting.
pub struct Meter;

static INSTALLED: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// Bytes this thread has allocated and not freed (may go below zero
    /// when it frees what others took).
    static LIVE: Cell<isize> = const { Cell::new(0) };
    /// The most `LIVE` has been since the last reset.
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn add(bytes: isize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + bytes;
        live.set(now);
        let _ = PEAK.try_with(|peak| {
            if now > peak.get() {
                peak.set(now);
            }
        });
    });
}

// SAFETY: every call is forwarded to the system allocator unchanged; the
// counting touches only constant-initialised thread-locals, which neither
// allocate nor run destructors.
unsafe impl GlobalAlloc for Meter {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        INSTALLED.store(true, Ordering::Relaxed);
        // SAFETY: the caller's contract is the system allocator's.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            add(layout.size() as isize);
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        INSTALLED.store(true, Ordering::Relaxed);
        // SAFETY: as for `alloc`.
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            add(layout.size() as isize);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: as for `alloc`.
        unsafe { System.dealloc(pointer, layout) };
        add(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            add(new_size as isize - layout.size() as isize);
        }
        moved
    }
}

/// Runs `work` and gives its result with the most heap the current thread
/// held during it beyond what it held before, in bytes; `None` in place of
/// the bytes when [`Meter`] is not the global allocator.
pub fn peak_during<T>(work: impl FnOnce() -> T) -> (T, Option<usize>) {
    let before = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(before));
    let result = work();
    let peak = PEAK.with(Cell::get);
    let extra = (peak - before).max(0) as usize;
    (result, INSTALLED.load(Ordering::Relaxed).then_some(extra))
}
