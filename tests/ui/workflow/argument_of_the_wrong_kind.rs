use sfini::prelude::*;

#[activity]
async fn charge(card: String, amount: i64, express: Option<bool>, items: Vec<String>) -> i64 {
    let _ = (card, express, items);
    amount
}

workflow! {
    pub Flow {
        pay: task(charge) {
            parameters: {
                "card": 4242,
                "amount": "12",
                "express": null,
                "items": { "first": "book" },
            },
        },
        again: task(charge) {
            parameters: { "card": "4242", "amount": 12.5, "items": [] },
        },
    }
}

fn main() {}
