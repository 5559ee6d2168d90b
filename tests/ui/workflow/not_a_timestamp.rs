sfini::workflow! {
    pub Flow {
        check: choice {
            "$.when" < timestamp("yesterday") => yes,
            _ => no,
        },
        yes: succeed,
        no: succeed,
    }
}

fn main() {}
