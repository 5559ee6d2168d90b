#[sfini::activity(name = "bad name", heartbeat = 30, timeout = 10, colour = "red")]
async fn everything<T>(_text: &str, #[input] _a: i64, #[input] _b: i64) {}

fn main() {}
