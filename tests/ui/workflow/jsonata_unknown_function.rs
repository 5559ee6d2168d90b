use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        count: pass { output: "{% $lenght($states.input.name) %}" },
    }
}

fn main() {}
