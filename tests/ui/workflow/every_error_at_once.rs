sfini::workflow! {
    pub Flow {
        first: pass { next: secnd, reslt: 1 },
        second: wait { seconds: "$.[" },
        check: choice {
            "$.flag" > false => first,
        },
    }
}

fn main() {}
