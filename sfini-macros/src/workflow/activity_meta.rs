//! What `workflow!` learns about an activity from the metadata macro that
//! `#[activity]` generates beside it.
//!
//! `#[activity]` on `fn add` defines a macro `add!` that calls back
//! `workflow!` with `@activity "<JSON>"` in front of the tokens it was
//! given. `workflow!` resolves its activities one after the other this way,
//! so that, on its last expansion, it knows every activity's name and
//! arguments, and can write the whole definition.

use serde_json::Value;

/// An activity as `workflow!` sees it.
pub struct ActivityMeta {
    pub name: String,
    pub arguments: Vec<Argument>,
    pub takes_whole_input: bool,
    pub heartbeat_seconds: Option<u64>,
    pub timeout_seconds: Option<u64>,
}

/// An argument the activity reads from its input.
pub struct Argument {
    pub name: String,
    pub required: bool,
}

impl ActivityMeta {
    /// Reads the metadata JSON, or says why it cannot.
    pub fn parse(text: &str) -> Result<ActivityMeta, String> {
        let value: Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
        let name = value["name"]
            .as_str()
            .ok_or("the activity metadata has no name")?
            .to_owned();
        let arguments = value["arguments"]
            .as_array()
            .ok_or("the activity metadata has no arguments")?
            .iter()
            .map(|argument| {
                Ok(Argument {
                    name: argument["name"]
                        .as_str()
                        .ok_or("an argument has no name")?
                        .to_owned(),
                    required: argument["required"].as_bool().unwrap_or(true),
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(ActivityMeta {
            name,
            arguments,
            takes_whole_input: value["takes_whole_input"].as_bool().unwrap_or(false),
            heartbeat_seconds: value["heartbeat_seconds"].as_u64(),
            timeout_seconds: value["timeout_seconds"].as_u64(),
        })
    }
}
