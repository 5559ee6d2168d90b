use sfini::prelude::*;

workflow! {
    pub Flow {
        copy: pass { output: { total: 1 } },
    }
}

fn main() {}
