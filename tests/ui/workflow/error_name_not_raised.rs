use sfini::prelude::*;

#[derive(Debug, ActivityError)]
#[activity_error(prefix = "Payment.")]
pub enum PaymentError {
    Declined,
    Expired,
}

impl std::fmt::Display for PaymentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

#[activity]
async fn charge(card: String) -> Result<String, PaymentError> {
    let _ = card;
    Err(PaymentError::Declined)
}

workflow! {
    pub Flow {
        pay: task(charge) {
            retry ["Payment.Declind"] { max_attempts: 2 },
            catch ["Declined"] => refused,
        },
        refused: fail { error: "Refused" },
    }
}

fn main() {}
