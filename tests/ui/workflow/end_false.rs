sfini::workflow! {
    pub Flow {
        first: pass { end: false },
    }
}

fn main() {}
