use sfini::prelude::*;

mod shop {
    use sfini::prelude::*;

    #[activity(name = "priceOrder")]
    pub async fn price(order_id: String) -> i64 {
        order_id.len() as i64
    }
}

mod warehouse {
    use sfini::prelude::*;

    #[activity(name = "priceOrder")]
    pub async fn price(order_id: String) -> i64 {
        order_id.len() as i64 * 2
    }
}

workflow! {
    pub Flow {
        first: task(shop::price),
        second: task(warehouse::price),
    }
}

fn main() {}
