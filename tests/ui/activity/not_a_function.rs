#[sfini::activity]
struct Adder {
    a: i64,
}

fn main() {}
