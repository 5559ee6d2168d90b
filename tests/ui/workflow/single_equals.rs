sfini::workflow! {
    pub Flow {
        check: choice {
            "$.a" = 1 => done,
        },
        done: succeed,
    }
}

fn main() {}
