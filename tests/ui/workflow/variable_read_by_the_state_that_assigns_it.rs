use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        remember: pass { assign: { total: 10, doubled: "{% $total * 2 %}" } },
    }
}

fn main() {}
