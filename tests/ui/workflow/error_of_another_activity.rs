use sfini::prelude::*;

#[derive(Debug, ActivityError)]
pub enum PaymentError {
    Declined,
}

#[derive(Debug, ActivityError)]
pub enum ShippingError {
    Lost,
}

impl std::fmt::Display for PaymentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::fmt::Display for ShippingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

#[activity]
async fn charge(card: String) -> Result<String, PaymentError> {
    let _ = card;
    Err(PaymentError::Declined)
}

#[activity]
async fn ship(address: String) -> Result<String, ShippingError> {
    let _ = address;
    Err(ShippingError::Lost)
}

workflow! {
    pub Flow {
        pay: task(charge) {
            catch [ShippingError::Lost] => refused,
        },
        send: task(ship),
        refused: fail { error: "Refused" },
    }
}

fn main() {}
