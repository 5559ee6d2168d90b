sfini::workflow! {
    pub Flow {
        work: task("arn:aws:states:us-east-1:123456789012:activity:work") {
            retry ["States.Timeout"] { backoff_rate: 0.5 },
        },
    }
}

fn main() {}
