sfini::workflow! {
    pub Flow {
        pause: wait { timestamp: "tomorrow" },
    }
}

fn main() {}
