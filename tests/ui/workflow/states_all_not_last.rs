sfini::workflow! {
    pub Flow {
        work: task("arn:aws:states:us-east-1:123456789012:activity:work") {
            retry ["States.ALL"] { max_attempts: 2 },
            retry ["States.Timeout"] { max_attempts: 5 },
        },
    }
}

fn main() {}
