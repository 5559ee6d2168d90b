use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonnet)]
    pub Flow {
        copy: pass,
    }
}

fn main() {}
