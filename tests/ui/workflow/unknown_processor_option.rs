sfini::workflow! {
    pub Flow {
        each: map {
            processor(mod = distributed) { work: pass {} },
        },
    }
}

fn main() {}
