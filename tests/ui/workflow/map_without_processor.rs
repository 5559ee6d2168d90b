sfini::workflow! {
    pub Flow {
        each: map { items_path: "$.items" },
    }
}

fn main() {}
