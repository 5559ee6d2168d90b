#[sfini::activity]
async fn shout(text: &str, bytes: &[u8], pairs: Vec<&'static str>) -> String {
    format!("{text} {bytes:?} {pairs:?}")
}

fn main() {}
