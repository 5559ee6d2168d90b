use sfini::prelude::*;

#[derive(Debug, ActivityError)]
pub struct Timeout;

impl std::fmt::Display for Timeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("timeout")
    }
}

#[activity]
async fn greet(name: String) -> String {
    format!("hello {name}")
}

workflow! {
    pub Flow {
        hello: task(greet) {
            catch [Timeout] => late,
        },
        late: fail { error: "Late" },
    }
}

fn main() {
    let _ = Timeout;
}
