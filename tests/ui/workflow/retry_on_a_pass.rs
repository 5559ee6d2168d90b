sfini::workflow! {
    pub Flow {
        first: pass { retry ["States.ALL"] { max_attempts: 2 } },
    }
}

fn main() {}
