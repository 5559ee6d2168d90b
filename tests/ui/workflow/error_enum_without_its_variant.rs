use sfini::prelude::*;

#[derive(Debug, ActivityError)]
pub enum OrderError {
    CardDeclined,
}

impl std::fmt::Display for OrderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

#[activity]
async fn charge(card: String) -> Result<String, OrderError> {
    let _ = card;
    Err(OrderError::CardDeclined)
}

workflow! {
    pub Flow {
        pay: task(charge) {
            catch [OrderError] => refused,
        },
        refused: fail { error: "Refused" },
    }
}

fn main() {}
