sfini::workflow! {
    pub Flow {
        first: pass { result: 1, result_path: "$.items[*]" },
    }
}

fn main() {}
