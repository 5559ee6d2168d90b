struct Secret(u64);

#[sfini::activity]
async fn reveal() -> Secret {
    Secret(42)
}

fn main() {}
