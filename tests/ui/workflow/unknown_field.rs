sfini::workflow! {
    pub Flow {
        first: pass { reslt: 1 },
    }
}

fn main() {}
