use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        each: map {
            items_path: "$.lines",
            processor { one: pass },
        },
    }
}

fn main() {}
