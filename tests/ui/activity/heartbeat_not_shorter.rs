#[sfini::activity(heartbeat = 60, timeout = 60)]
async fn slow() {}

#[sfini::activity(timeout = 30, heartbeat = 45)]
async fn slower() {}

fn main() {}
