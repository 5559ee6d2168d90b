use sfini::prelude::*;

workflow! {
    pub Flow {
        decide: choice {
            "$.vip" == true => discount,
            _ => report,
        },
        discount: pass { assign: { rate: 0.1 } },
        report: pass { parameters: { "rate.$": "$rate" } },
    }
}

fn main() {}
