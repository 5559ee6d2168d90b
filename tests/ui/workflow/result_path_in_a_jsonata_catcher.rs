use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        call: task("arn:aws:states:::lambda:invoke") {
            arguments: { FunctionName: "f" },
            catch ["States.ALL"] => recover { result_path: "$.error" },
        },
        recover: succeed,
    }
}

fn main() {}
