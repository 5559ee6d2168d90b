sfini::workflow! {
    pub Flow {
        first: pass { end: true },
        orphan: succeed,
    }
}

fn main() {}
