use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        call: task("arn:aws:states:::lambda:invoke") {
            arguments: { FunctionName: "f" },
            catch ["States.ALL"] => report { assign: { reason: $states.errorOutput.Cause } },
        },
        report: pass { output: $reason },
    }
}

fn main() {}
