sfini::workflow! {
    pub Flow {
        check: choice {
            is_present("name") => yes,
            _ => no,
        },
        yes: succeed,
        no: succeed,
    }
}

fn main() {}
