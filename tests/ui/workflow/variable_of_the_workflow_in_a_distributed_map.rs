use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        remember: pass { assign: { rate: 2 } },
        each: map {
            items: $states.input.lines,
            processor(mode = distributed, execution_type = express) {
                price: pass { output: "{% $states.input * $rate %}" },
            },
        },
    }
}

fn main() {}
