use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        total: pass { output: { total: "{% $sum($states.input.prices %}" } },
    }
}

fn main() {}
