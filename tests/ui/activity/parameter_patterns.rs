#[sfini::activity]
async fn add((a, b): (i64, i64), _: String, ref c: i64) -> i64 {
    a + b + c
}

fn main() {}
