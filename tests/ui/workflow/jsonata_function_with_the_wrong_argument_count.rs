use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        cut: pass { output: "{% $substring() %}" },
        pad: pass { output: "{% $pad($states.input.name, 10, \"-\", 4) %}" },
        split: pass { output: "{% $partition($states.input.list) %}" },
    }
}

fn main() {}
