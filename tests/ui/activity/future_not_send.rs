use std::rc::Rc;

#[sfini::activity]
async fn share(count: u32) -> u32 {
    let shared = Rc::new(count);
    tokio::task::yield_now().await;
    *shared
}

fn main() {}
