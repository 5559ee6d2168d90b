#[sfini::activity(heartbeat = 0, timeout = "300")]
async fn slow() {}

#[sfini::activity(heartbeat = -5, timeout = 100000000)]
async fn slower() {}

#[sfini::activity(timeout = 1.5)]
async fn slowest() {}

#[sfini::activity(timeout)]
async fn no_value() {}

fn main() {}
