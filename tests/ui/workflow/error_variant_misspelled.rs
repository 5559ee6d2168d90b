use sfini::prelude::*;

#[derive(Debug, ActivityError)]
pub enum OrderError {
    CardDeclined,
    OutOfStock,
}

impl std::fmt::Display for OrderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

#[activity]
async fn charge(card: String) -> Result<String, OrderError> {
    Err(if card.is_empty() { OrderError::OutOfStock } else { OrderError::CardDeclined })
}

workflow! {
    pub Flow {
        pay: task(charge) {
            catch [OrderError::CardDeclned] => refused,
        },
        refused: fail { error: "Refused" },
    }
}

fn main() {}
