sfini::workflow! {
    pub Flow {
        check: choice {
            "$.a" == 1 => done,
            _ => done,
            _ => done,
        },
        done: succeed,
    }
}

fn main() {}
