sfini::workflow! {
    pub Flow {
        first: pass { parameters: { "id.$": "States.UUId()" } },
    }
}

fn main() {}
