#![deny(deprecated)]

sfini::workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        start: pass { assign: { total: 3 } },
        call: task("arn:aws:states:::lambda:invoke") {
            arguments: { FunctionName: "f", Payload: { order: "$.order", total: "$total" } },
        },
    }
}

fn main() {}
