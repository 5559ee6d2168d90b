sfini::workflow! {
    pub Flow {
        fan_out: parallel {
            branch { work: pass {} },
            branch { work: pass {} },
        },
    }
}

fn main() {}
