use sfini::prelude::*;

workflow! {
    pub Flow {
        call: task("arn:aws:states:::lambda:invoke") {
            arguments: { FunctionName: "f" },
        },
    }
}

fn main() {}
