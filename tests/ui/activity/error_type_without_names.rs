#[derive(Debug)]
struct Broken;

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("broken")
    }
}

#[sfini::activity]
async fn fix(part: String) -> Result<String, Broken> {
    if part.is_empty() { Err(Broken) } else { Ok(part) }
}

fn main() {}
