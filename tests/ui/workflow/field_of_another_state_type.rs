sfini::workflow! {
    pub Flow {
        first: pass { seconds: 3 },
    }
}

fn main() {}
