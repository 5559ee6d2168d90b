sfini::workflow! {
    pub Flow {
        check: choice {
            1 < 2 => yes,
            _ => no,
        },
        yes: succeed,
        no: succeed,
    }
}

fn main() {}
