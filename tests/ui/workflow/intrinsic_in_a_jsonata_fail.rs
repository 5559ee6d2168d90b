use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        stop: fail { error: "Failed", cause: "States.Format('no {}', $.id)" },
    }
}

fn main() {}
