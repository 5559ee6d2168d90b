sfini::workflow! {
    pub Flow {
        work: task("arn:aws:states:us-east-1:123456789012:activity:work") { timeout: 0 },
    }
}

fn main() {}
