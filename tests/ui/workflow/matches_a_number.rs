sfini::workflow! {
    pub Flow {
        check: choice {
            matches("$.file", 3) => yes,
            _ => no,
        },
        yes: succeed,
        no: succeed,
    }
}

fn main() {}
