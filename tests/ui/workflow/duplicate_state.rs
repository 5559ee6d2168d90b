sfini::workflow! {
    pub Flow {
        first: pass {},
        first: succeed,
    }
}

fn main() {}
