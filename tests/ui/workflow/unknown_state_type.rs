sfini::workflow! {
    pub Flow {
        first: pas { result: 1 },
    }
}

fn main() {}
