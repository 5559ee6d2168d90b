sfini::workflow! {
    pub Flow {
        stop: fail { error: "$.[oops", cause: "bad" },
    }
}

fn main() {}
