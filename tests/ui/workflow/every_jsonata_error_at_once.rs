use sfini::prelude::*;

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        start: pass {
            output: "{% $states.input.( %}",
            assign: { "bad name": 1 },
        },
        call: task("arn:aws:states:::lambda:invoke") {
            parameters: { FunctionName: "f" },
            output: $states.errorOutput,
        },
        decide: choice {
            "$.n" > 1 => done,
            $missing == 2 => done,
            _ => done,
        },
        done: pass { output: "{% $uppercas($states.input.name) %}" },
    }
}

fn main() {}
