use sfini::prelude::*;

#[derive(Debug, ActivityError)]
pub struct Timeout;

impl std::fmt::Display for Timeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("timeout")
    }
}

#[activity]
async fn call(url: String) -> Result<String, Timeout> {
    let _ = url;
    Err(Timeout)
}

workflow! {
    pub Flow {
        fetch: task(call) {
            catch [Timeout::Late] => late,
        },
        late: fail { error: "Late" },
    }
}

fn main() {}
