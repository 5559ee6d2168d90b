//! A memory cap for JSONata evaluations: [`MeteredAllocator`], a global
//! allocator that counts what each evaluation allocates.
//!
//! The JSONata engine bounds the steps, depth and sizes of what an
//! evaluation builds, but not the memory it holds at once: a hundred
//! strings each under the string limit, or a few arrays each under the
//! array limit, can still add up to gigabytes. A program that installs
//! this allocator gets one more bound, [`Limits::memory_bytes`]: the net
//! bytes an evaluation has allocated and not yet freed. Evaluation runs
//! synchronously on the thread that calls it, so the count is kept per
//! thread and is exact; once it passes the bound, the evaluation is
//! cancelled and fails at its next step with an
//! [`EvaluationError`](super::EvaluationError) naming memory, `exhausted`
//! set.
//!
//! ```
//! #[global_allocator]
//! static ALLOC: sfini_core::jsonata::meter::MeteredAllocator<std::alloc::System> =
//!     sfini_core::jsonata::meter::MeteredAllocator(std::alloc::System);
//!
//! fn main() {
//!     assert!(sfini_core::jsonata::meter::installed());
//! }
//! ```
//!
//! The `sfini` binary installs it. Without it, every other limit still
//! holds, and memory stays bounded by them (about
//! `array_items × string_bytes` in the worst case, far more than
//! `memory_bytes`), but not by `memory_bytes` itself;
//! [`installed`] says which is the case.
//!
//! Outside an evaluation the allocator costs a thread-local read and a
//! branch per call. It never allocates and never panics.
//!
//! [`Limits::memory_bytes`]: super::Limits::memory_bytes

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::marker::PhantomData;
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};

use jlens_core::CancelToken;

/// A global allocator that forwards every call to `A` and counts, for the
/// evaluation running on the calling thread, the bytes it holds. See the
/// [module documentation](self).
#[derive(Clone, Copy, Debug, Default)]
pub struct MeteredAllocator<A>(pub A);

/// Whether a [`MeteredAllocator`] is the global allocator of this
/// process: true once it has served an allocation, which every program
/// does before it can evaluate anything.
pub fn installed() -> bool {
    INSTALLED.load(Ordering::Relaxed)
}

/// What the last evaluation that finished on this thread used, while the
/// allocator counted it: `None` when no evaluation has finished on this
/// thread, or when the allocator is not installed.
pub fn last_usage() -> Option<Usage> {
    METER.try_with(|meter| meter.last.get()).ok().flatten()
}

/// The memory one evaluation used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage {
    /// The most bytes it held at once (allocated and not yet freed).
    pub peak_bytes: usize,
    /// Whether it passed its bound, and was cancelled.
    pub exceeded: bool,
}

static INSTALLED: AtomicBool = AtomicBool::new(false);

/// The count of the evaluation running on one thread. Every field is a
/// `Cell` of a plain value and the whole is constant-initialised, so
/// reaching it neither allocates nor registers a destructor.
struct Meter {
    /// Whether an evaluation is being counted.
    active: Cell<bool>,
    /// Bytes allocated minus bytes freed since it started (below zero when
    /// it frees what was allocated before).
    net: Cell<isize>,
    /// The most `net` has been.
    peak: Cell<isize>,
    /// The bound, in bytes.
    limit: Cell<isize>,
    /// The token of the evaluation, cancelled once `net` passes `limit`;
    /// valid while `active` (see [`Metering`]).
    token: Cell<*const CancelToken>,
    /// Whether the token has been cancelled.
    exceeded: Cell<bool>,
    /// What the last evaluation used.
    last: Cell<Option<Usage>>,
}

thread_local! {
    static METER: Meter = const {
        Meter {
            active: Cell::new(false),
            net: Cell::new(0),
            peak: Cell::new(0),
            limit: Cell::new(isize::MAX),
            token: Cell::new(ptr::null()),
            exceeded: Cell::new(false),
            last: Cell::new(None),
        }
    };
}

/// Counts `delta` bytes for the evaluation running on this thread, if any.
#[inline]
fn record(delta: isize) {
    // `try_with` fails only while the thread is being torn down; there is
    // nothing to count then.
    let _ = METER.try_with(|meter| {
        if meter.active.get() {
            over(meter, delta);
        }
    });
}

#[cold]
#[inline(never)]
fn over(meter: &Meter, delta: isize) {
    let net = meter.net.get().saturating_add(delta);
    meter.net.set(net);
    if net > meter.peak.get() {
        meter.peak.set(net);
        if net > meter.limit.get() && !meter.exceeded.get() {
            meter.exceeded.set(true);
            let token = meter.token.get();
            if !token.is_null() {
                // SAFETY: `token` was set by `Metering::start` from a
                // reference that outlives the `Metering`, which clears it
                // (with `active`) when dropped; `active` is true, so the
                // `Metering` is alive. Cancelling stores to an atomic and
                // does not allocate.
                unsafe { (*token).cancel() };
            }
        }
    }
}

fn bytes(size: usize) -> isize {
    isize::try_from(size).unwrap_or(isize::MAX)
}

// SAFETY: every call is forwarded to `A` unchanged, with its contract; the
// counting around it touches only a constant-initialised thread-local
// without destructor and an atomic flag, and never allocates or panics.
unsafe impl<A: GlobalAlloc> GlobalAlloc for MeteredAllocator<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !INSTALLED.load(Ordering::Relaxed) {
            INSTALLED.store(true, Ordering::Relaxed);
        }
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        let pointer = unsafe { self.0.alloc(layout) };
        if !pointer.is_null() {
            record(bytes(layout.size()));
        }
        pointer
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !INSTALLED.load(Ordering::Relaxed) {
            INSTALLED.store(true, Ordering::Relaxed);
        }
        // SAFETY: the caller upholds `GlobalAlloc::alloc_zeroed`'s contract.
        let pointer = unsafe { self.0.alloc_zeroed(layout) };
        if !pointer.is_null() {
            record(bytes(layout.size()));
        }
        pointer
    }

    #[inline]
    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: the caller upholds `GlobalAlloc::dealloc`'s contract.
        unsafe { self.0.dealloc(pointer, layout) };
        record(-bytes(layout.size()));
    }

    #[inline]
    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract.
        let moved = unsafe { self.0.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            record(bytes(new_size).saturating_sub(bytes(layout.size())));
        }
        moved
    }
}

/// Counts the evaluation running on this thread while it lives, cancelling
/// `token` once it holds more than `limit` bytes. Made on the stack of the
/// evaluation and dropped when it ends; an evaluation inside another (none
/// does so today) is counted on its own and the outer count resumes after.
pub(crate) struct Metering<'t> {
    saved: Saved,
    limit: usize,
    /// The token must outlive the metering: the allocator reaches it
    /// through a pointer.
    _token: PhantomData<&'t CancelToken>,
}

#[derive(Clone, Copy)]
struct Saved {
    active: bool,
    net: isize,
    peak: isize,
    limit: isize,
    token: *const CancelToken,
    exceeded: bool,
}

impl<'t> Metering<'t> {
    /// Starts counting, with `limit` bytes allowed.
    pub(crate) fn start(limit: usize, token: &'t CancelToken) -> Metering<'t> {
        let saved = METER
            .try_with(|meter| {
                let saved = Saved {
                    active: meter.active.get(),
                    net: meter.net.get(),
                    peak: meter.peak.get(),
                    limit: meter.limit.get(),
                    token: meter.token.get(),
                    exceeded: meter.exceeded.get(),
                };
                meter.net.set(0);
                meter.peak.set(0);
                meter.limit.set(bytes(limit));
                meter.token.set(token);
                meter.exceeded.set(false);
                meter.active.set(true);
                saved
            })
            .unwrap_or(Saved {
                active: false,
                net: 0,
                peak: 0,
                limit: isize::MAX,
                token: ptr::null(),
                exceeded: false,
            });
        Metering {
            saved,
            limit,
            _token: PhantomData,
        }
    }

    /// Whether the evaluation has passed its bound.
    pub(crate) fn exceeded(&self) -> bool {
        METER
            .try_with(|meter| meter.exceeded.get())
            .unwrap_or(false)
    }

    /// The bound, in bytes.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }
}

impl Drop for Metering<'_> {
    fn drop(&mut self) {
        let saved = self.saved;
        let _ = METER.try_with(|meter| {
            let usage = Usage {
                peak_bytes: usize::try_from(meter.peak.get()).unwrap_or(0),
                exceeded: meter.exceeded.get(),
            };
            // What the inner evaluation allocated and kept counts for the
            // outer one.
            let net = saved.net.saturating_add(meter.net.get());
            meter.active.set(saved.active);
            meter.net.set(net);
            meter.peak.set(saved.peak.max(net));
            meter.limit.set(saved.limit);
            meter.token.set(saved.token);
            meter.exceeded.set(saved.exceeded);
            meter.last.set(Some(usage));
        });
    }
}
