sfini::workflow! {
    pub Flow {
        check: choice {
            is_prsent("$.a") => done,
            _ => done,
        },
        done: succeed,
    }
}

fn main() {}
