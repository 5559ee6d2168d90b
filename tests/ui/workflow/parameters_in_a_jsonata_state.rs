use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        call: task("arn:aws:states:::lambda:invoke") {
            parameters: { FunctionName: "f", "Payload.$": "$" },
        },
    }
}

fn main() {}
