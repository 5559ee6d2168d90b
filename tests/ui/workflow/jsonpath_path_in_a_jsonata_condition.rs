use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        decide: choice {
            "$.count" < 10 => done,
            _ => done,
        },
        done: succeed,
    }
}

fn main() {}
