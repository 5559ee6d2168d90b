#![deny(deprecated)]

sfini::workflow! {
    pub Flow {
        stop: fail { error: "States.Custom", cause: "a made-up predefined error" },
    }
}

fn main() {}
