#[sfini::activity]
async fn greet(#[default("Hello".to_string())] _greeting: Option<String>, #[input] #[default] _all: serde_json::Value) {}

#[sfini::activity]
async fn count(#[default(1, 2)] _times: u32, #[inptu] _name: String) {}

fn main() {}
