use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        decide: choice {
            $states.input.vip => discount,
            _ => report,
        },
        discount: pass { assign: { rate: 0.1 } },
        report: pass { output: { rate: $rate } },
    }
}

fn main() {}
