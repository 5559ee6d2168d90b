#![deny(deprecated)]

use sfini::prelude::*;

#[derive(Debug, ActivityError)]
#[activity_error(prefix = "Pack.")]
pub enum PackError {
    NoBox,
}

impl std::fmt::Display for PackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

#[activity]
async fn pack(item: String) -> Result<String, PackError> {
    let _ = item;
    Err(PackError::NoBox)
}

#[activity]
async fn label(item: String) -> String {
    item
}

workflow! {
    pub Flow {
        each: map {
            processor { work: task(pack) },
            catch ["Pack.NoBx"] => failed,
            catch [PackError::NoBox] => failed,
        },
        both: parallel {
            branch { one: task(label) },
            branch { two: task(label) },
            retry ["Pack.NoBox"] { max_attempts: 1 },
            catch ["States.ALL"] => failed,
        },
        failed: fail { error: "Failed" },
    }
}

fn main() {}
