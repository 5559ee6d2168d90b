sfini::workflow! {
    pub Flow {
        pause: wait {},
    }
}

fn main() {}
