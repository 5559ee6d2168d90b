const MAX: u64 = 4;

sfini::workflow! {
    pub Flow {
        each: map {
            max_concurrency: MAX,
            processor { work: pass },
        },
    }
}

fn main() {
    let _ = MAX;
}
