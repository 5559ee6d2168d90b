sfini::workflow! {
    pub Flow {
        check: choice {
            "$.flag" < true => yes,
            _ => no,
        },
        yes: succeed,
        no: succeed,
    }
}

fn main() {}
