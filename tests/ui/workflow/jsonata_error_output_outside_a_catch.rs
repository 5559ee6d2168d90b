use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        call: task("arn:aws:states:::lambda:invoke") {
            arguments: { FunctionName: "f" },
            output: { why: $states.errorOutput.Cause },
        },
    }
}

fn main() {}
