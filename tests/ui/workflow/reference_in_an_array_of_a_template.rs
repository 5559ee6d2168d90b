use sfini::prelude::*;

workflow! {
    pub Flow {
        copy: pass { parameters: { list: [$first, 2] } },
    }
}

fn main() {}
