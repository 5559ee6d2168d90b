#![deny(deprecated)]

sfini::workflow! {
    pub Flow {
        lookup: task("arn:aws:states:::dynamodb:getItem") {
            parameters: {
                "TableName": "orders",
                "Key": { "id": { "S": "$.order_id" } },
                "Note.$": "States.Format('order {}', $.order_id)",
                "Audit": "States.Format('by {}', $.user)",
            },
        },
    }
}

fn main() {}
