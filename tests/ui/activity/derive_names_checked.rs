#[derive(Debug, sfini::ActivityError)]
#[activity_error(name = "Whole")]
pub enum OrderError {
    #[activity_error(name = "States.Declined")]
    Declined,
    #[activity_error(prefix = "Order.")]
    Late,
    #[activity_error(name = "Same")]
    One,
    #[activity_error(name = "Same")]
    Two,
    #[activity_error(nmae = "Three")]
    Three,
}

impl std::fmt::Display for OrderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

fn main() {}
