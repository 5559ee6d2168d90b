use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        both: parallel {
            branch { left: pass { assign: { left: 1 } } },
            branch { right: pass { output: 2 } },
        },
        report: pass { output: $left },
    }
}

fn main() {}
