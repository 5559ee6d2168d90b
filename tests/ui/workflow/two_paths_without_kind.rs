sfini::workflow! {
    pub Flow {
        check: choice {
            "$.a" < "$.b" => yes,
            _ => no,
        },
        yes: succeed,
        no: succeed,
    }
}

fn main() {}
