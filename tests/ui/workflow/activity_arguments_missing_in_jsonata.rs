use sfini::prelude::*;

#[activity(name = "uiPrice")]
async fn price(sku: String, quantity: u32) -> u64 {
    let _ = sku;
    u64::from(quantity)
}

workflow! {
    #[workflow(query_language = jsonata)]
    pub Flow {
        quote: task(price) { arguments: { sku: $states.input.sku } },
    }
}

fn main() {}
