use sfini::prelude::*;

workflow! {
    pub Flow {
        decide: choice {
            "$.n" > 1 => done { output: { big: true } },
            _ => done,
        },
        done: succeed,
    }
}

fn main() {}
