sfini::workflow! {
    pub Flow {
        first pass {},
    }
}

fn main() {}
