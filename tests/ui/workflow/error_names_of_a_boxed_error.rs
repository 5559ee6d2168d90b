use sfini::prelude::*;

#[activity]
async fn fetch(url: String) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    Err(url.into())
}

workflow! {
    pub Flow {
        get: task(fetch) {
            retry ["sfini.ActivityFailed"] { max_attempts: 2 },
            catch ["FetchFailed"] => failed,
        },
        failed: fail { error: "Failed" },
    }
}

fn main() {}
