use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        remember: pass { assign: { total: $states.input.total } },
        report: pass { output: { total: $totl } },
    }
}

fn main() {}
