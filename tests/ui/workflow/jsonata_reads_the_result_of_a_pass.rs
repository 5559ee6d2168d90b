use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        copy: pass { output: $states.result.total },
    }
}

fn main() {}
