#[sfini::activity(name = "first", timeout = 10, name = "second", timeout = 20)]
async fn twice() {}

#[sfini::activity(name: "colon")]
async fn colon() {}

fn main() {}
