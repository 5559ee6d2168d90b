use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        call: task("arn:aws:states:::lambda:invoke") {
            arguments: { FunctionName: "f" },
            result_path: "$.result",
        },
    }
}

fn main() {}
