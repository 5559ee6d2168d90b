use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        pause: wait { seconds: "$.delay" },
    }
}

fn main() {}
