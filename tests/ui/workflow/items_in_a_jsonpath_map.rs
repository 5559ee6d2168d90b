use sfini::prelude::*;

workflow! {
    pub Flow {
        each: map {
            items: [1, 2, 3],
            processor { one: pass },
        },
    }
}

fn main() {}
