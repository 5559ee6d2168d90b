use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        copy: pass { output: $ 3 },
    }
}

fn main() {}
