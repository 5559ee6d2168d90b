use sfini::prelude::*;

#[activity]
async fn pack(item: String, box_size: u32) -> String {
    format!("{item} in {box_size}")
}

workflow! {
    pub Flow {
        each: map {
            items_path: "$.items",
            item_selector: { "item.$": "$$.Map.Item.Value", "boxsize": 3 },
            processor { work: task(pack) },
        },
    }
}

fn main() {}
