use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        decide: choice {
            $states.input.n > 1 => done { asign: { n: 1 } },
            _ => done,
        },
        done: succeed,
    }
}

fn main() {}
