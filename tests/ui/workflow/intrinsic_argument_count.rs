sfini::workflow! {
    pub Flow {
        first: pass { parameters: { "greeting.$": "States.Format('Hello {} and {}', $.name)" } },
    }
}

fn main() {}
