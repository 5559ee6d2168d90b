sfini::workflow! {
    pub Flow {
        work: task("arn:aws:states:us-east-1:123456789012:activity:work") {
            retry ["States.Timeout"] { intervl: 3 },
        },
    }
}

fn main() {}
