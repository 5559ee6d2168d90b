#[sfini::activity]
async fn first<T: serde::de::DeserializeOwned + serde::Serialize>(items: Vec<T>) -> Option<T> {
    items.into_iter().next()
}

#[sfini::activity]
async fn longest<'a>(words: Vec<String>) -> usize {
    words.iter().map(String::len).max().unwrap_or(0)
}

fn main() {}
