#[sfini::activity]
async fn store(#[input] order: serde_json::Value, bucket: String, region: Option<String>) -> String {
    format!("{order} {bucket} {region:?}")
}

fn main() {}
