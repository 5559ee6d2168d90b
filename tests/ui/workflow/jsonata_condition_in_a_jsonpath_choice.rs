use sfini::prelude::*;

workflow! {
    pub Flow {
        decide: choice {
            "{% $states.input.n > 1 %}" => done,
            _ => done,
        },
        done: succeed,
    }
}

fn main() {}
