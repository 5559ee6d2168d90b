#[derive(Debug, sfini::ActivityError)]
#[activity_error(prefix = "Order.")]
pub struct Late;

impl std::fmt::Display for Late {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("late")
    }
}

fn main() {}
