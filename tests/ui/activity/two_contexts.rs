use sfini::ActivityContext;

#[sfini::activity]
async fn beat(_context: ActivityContext, _again: &ActivityContext, _mutable: &mut ActivityContext) {}

fn main() {}
