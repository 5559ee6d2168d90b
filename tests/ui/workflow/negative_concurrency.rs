sfini::workflow! {
    pub Flow {
        each: map {
            max_concurrency: -1,
            processor { work: pass {} },
        },
    }
}

fn main() {}
