sfini::workflow! {
    pub Flow {
        fan_out: parallel { result_path: "$.all" },
    }
}

fn main() {}
