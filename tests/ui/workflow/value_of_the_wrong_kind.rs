sfini::workflow! {
    pub Flow {
        check: choice {
            number("$.count") == "ten" => yes,
            _ => no,
        },
        yes: succeed,
        no: succeed,
    }
}

fn main() {}
