use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        decide: choice {
            is_timestamp($states.input.at) => done,
            _ => done,
        },
        done: succeed,
    }
}

fn main() {}
