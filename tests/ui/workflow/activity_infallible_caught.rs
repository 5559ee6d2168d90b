use sfini::prelude::*;

#[derive(Debug, ActivityError)]
pub enum ParcelError {
    TooHeavy,
}

impl std::fmt::Display for ParcelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("too heavy")
    }
}

#[activity]
async fn price(country: String, kilograms: u32, express: Option<bool>) -> Result<u32, ParcelError> {
    let _ = (country, express);
    if kilograms > 30 { Err(ParcelError::TooHeavy) } else { Ok(5) }
}

#[activity]
async fn greet(name: String) -> String {
    format!("hello {name}")
}

workflow! {
    pub Flow {
        hello: task(greet) {
            retry ["GreetingFailed"] { max_attempts: 2 },
        },
    }
}

fn main() {}
