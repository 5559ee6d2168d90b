#![deny(deprecated)]

sfini::workflow! {
    pub Flow {
        route: choice {
            "$.amount" > "100000" => review,
            "$.code" == "02134" => local,
            _ => done,
        },
        review: succeed,
        local: succeed,
        done: succeed,
    }
}

fn main() {}
