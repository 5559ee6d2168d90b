sfini::workflow! {
    pub Flow {
        first: pass { next: second, end: true },
        second: succeed,
    }
}

fn main() {}
