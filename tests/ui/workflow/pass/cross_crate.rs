use orders::activities::*;
use orders::errors::{OutOfStock, PaymentError};

sfini::workflow! {
    pub Checkout {
        price: task(orders::activities::price_order) {
            parameters: { "order_id.$": "$.order", "amount": 100 },
            result_path: "$.total",
        },
        pay: task(charge) {
            parameters: { "card.$": "$.card", "total.$": "$.total" },
            catch [PaymentError::Declined, PaymentError::CardExpired] => refused,
            catch ["Payment.Declined", "sfini.InvalidInput"] => refused,
        },
        hold: task(reserve) {
            parameters: { "item": "book" },
            catch [OutOfStock] => refused,
            end: true,
        },
        refused: fail { error: "Refused" },
    }
}

fn main() {
    assert!(Checkout::DEFINITION.contains("\"Payment.Expired\""));
}
