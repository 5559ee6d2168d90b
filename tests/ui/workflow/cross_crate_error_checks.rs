use orders::activities::charge;

sfini::workflow! {
    pub Flow {
        pay: task(charge) {
            parameters: { "card": "4242", "total": "100" },
            catch [orders::errors::PaymentError::Declned] => refused,
            catch ["Payment.CardExpired"] => refused,
        },
        refused: fail { error: "Refused" },
    }
}

fn main() {}
