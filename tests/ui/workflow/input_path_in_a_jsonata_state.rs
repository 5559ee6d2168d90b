use sfini::prelude::*;

workflow! {
    pub Flow {
        copy: pass { query_language: jsonata, input_path: "$.order" },
    }
}

fn main() {}
