sfini::workflow! {
    pub Flow {}
}

fn main() {}
