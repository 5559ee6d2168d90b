use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        remember: pass { assign: { "order-id": $states.input.id, states: 1 } },
    }
}

fn main() {}
