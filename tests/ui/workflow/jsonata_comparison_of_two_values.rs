use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        decide: choice {
            1 < 2 => done,
            $states.input.flag > true => done,
            _ => done,
        },
        done: succeed,
    }
}

fn main() {}
