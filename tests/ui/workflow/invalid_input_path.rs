sfini::workflow! {
    pub Flow {
        first: pass { input_path: "$.items[" },
    }
}

fn main() {}
