//! Memory an execution costs while it waits on an activity: 10,000
//! executions of a 10-state machine (nine Pass states, then a Task), every
//! one waiting with its activity task queued, measured with a counting
//! global allocator.
//!
//! `cargo bench -p sfini-runtime --bench memory`

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use sfini_runtime::api::*;
use sfini_runtime::local::LocalEngine;

/// The system allocator, counting the bytes in use.
struct Counting;

static IN_USE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; the
// counter only observes the sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        IN_USE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller's layout is passed on as given.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        IN_USE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: as for `dealloc`, and `new_size` is the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const EXECUTIONS: usize = 10_000;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs a smaller check.
    let executions = if std::env::args().any(|arg| arg == "--bench") {
        EXECUTIONS
    } else {
        100
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let engine = LocalEngine::new();
        let activity = engine
            .create_activity(CreateActivityInput { name: "work".into(), ..Default::default() })
            .await
            .expect("the activity");
        let machine = common::create(&engine, "waiting", &common::waiting_machine()).await;
        // One execution first, so that what is allocated once (the
        // runtime's timer wheel, the registry's tables) is not counted.
        common::start(&engine, &machine, "{}").await;
        while engine.queued_activity_tasks(&activity.activity_arn) < 1 {
            tokio::task::yield_now().await;
        }
        let before = IN_USE.load(Ordering::Relaxed);
        for _ in 0..executions {
            common::start(&engine, &machine, r#"{"order": 1}"#).await;
        }
        while engine.queued_activity_tasks(&activity.activity_arn) < executions + 1 {
            tokio::task::yield_now().await;
        }
        let after = IN_USE.load(Ordering::Relaxed);
        let per_execution = (after - before) as f64 / executions as f64;
        println!(
            "{executions} executions waiting on an activity: {} bytes in all, {per_execution:.0} bytes each",
            after - before
        );
    });
}
