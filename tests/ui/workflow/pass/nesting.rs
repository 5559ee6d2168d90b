// Parallel branches and Map processors nest the whole grammar, to any depth.
sfini::workflow! {
    /// Nested flows.
    pub Nesting {
        outer: map {
            items_path: "$.groups",
            processor {
                inner: parallel {
                    branch {
                        deeper: map {
                            items_path: "$.items",
                            processor { leaf: pass {} },
                        },
                    },
                    branch {
                        choose: choice {
                            "$.kind" == "a" => a,
                            _ => b,
                        },
                        a: succeed,
                        b: fail { error: "B" },
                    },
                },
            },
        },
    }
}

fn main() {
    use sfini::prelude::Workflow;
    assert!(Nesting::state_machine().validate().is_valid());
}
