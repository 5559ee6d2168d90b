#[sfini::activity]
async fn store(#[input] order: serde_json::Value, #[input] copy: serde_json::Value) -> bool {
    order == copy
}

fn main() {}
