use sfini::prelude::*;

workflow! {
    pub Flow {
        copy: pass { result: { total: $total } },
    }
}

fn main() {}
