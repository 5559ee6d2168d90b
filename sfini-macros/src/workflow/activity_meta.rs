//! What `workflow!` learns about activities and error types from the
//! metadata macros that `#[activity]` and `#[derive(ActivityError)]`
//! generate beside them.
//!
//! `#[activity]` on `fn add` makes a macro `add!` (exported, so that it is
//! reached from other crates as the function is) that calls back
//! `workflow!` with `@activity "<JSON>" @errors "<JSON>"` in front of the
//! tokens it was given; `#[derive(ActivityError)]` on `enum OrderError`
//! makes `OrderError!`, which answers `@error_type "<JSON>"`. `workflow!`
//! calls them one after the other, so that, on its last expansion, it knows
//! every activity's name, arguments and error names, and the ASL name of
//! every error it catches by path.

use serde_json::Value;

/// An activity as `workflow!` sees it.
pub struct ActivityMeta {
    pub name: String,
    /// Tells two activities of one name apart.
    pub id: String,
    pub arguments: Vec<Argument>,
    pub takes_whole_input: bool,
    pub heartbeat_seconds: Option<u64>,
    pub timeout_seconds: Option<u64>,
    /// The error type, as written in the function's signature.
    pub error_type: Option<String>,
    /// The error names the activity declares; `None` when they cannot be
    /// known (an error type of another kind than sfini reads).
    pub errors: Option<Vec<ErrorEntry>>,
}

/// An argument the activity reads from its input.
pub struct Argument {
    pub name: String,
    pub required: bool,
    /// Its Rust type, as written.
    pub ty: String,
    /// The kind of JSON value it reads: `integer`, `number`, `string`,
    /// `boolean`, `array`, `object` or `any`.
    pub kind: String,
}

/// One error name of an error type.
pub struct ErrorEntry {
    /// The enum variant (none for a struct).
    pub variant: Option<String>,
    /// The ASL error name.
    pub name: String,
}

/// An error type named by path in a `catch` or `retry`.
pub struct ErrorTypeMeta {
    pub entries: Vec<ErrorEntry>,
}

fn entries(value: &Value) -> Result<Vec<ErrorEntry>, String> {
    value
        .as_array()
        .ok_or("the error names are not a list")?
        .iter()
        .map(|entry| {
            Ok(ErrorEntry {
                variant: entry["variant"].as_str().map(str::to_owned),
                name: entry["name"]
                    .as_str()
                    .ok_or("an error has no name")?
                    .to_owned(),
            })
        })
        .collect()
}

impl ActivityMeta {
    /// Reads the metadata JSON and the error names, or says why it cannot.
    pub fn parse(text: &str, errors: Option<&str>) -> Result<ActivityMeta, String> {
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
                    ty: argument["type"].as_str().unwrap_or_default().to_owned(),
                    kind: argument["kind"].as_str().unwrap_or("any").to_owned(),
                })
            })
            .collect::<Result<_, String>>()?;
        let errors = match errors {
            Some(text) => {
                let value: Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
                match &value["names"] {
                    Value::Null => None,
                    names => Some(entries(names)?),
                }
            }
            None => None,
        };
        Ok(ActivityMeta {
            id: value["id"].as_str().unwrap_or(&name).to_owned(),
            name,
            arguments,
            takes_whole_input: value["takes_whole_input"].as_bool().unwrap_or(false),
            heartbeat_seconds: value["heartbeat_seconds"].as_u64(),
            timeout_seconds: value["timeout_seconds"].as_u64(),
            error_type: value["error_type"].as_str().map(str::to_owned),
            errors,
        })
    }

    /// True when the activity declares the error `name`.
    pub fn declares(&self, name: &str) -> Option<bool> {
        self.errors
            .as_ref()
            .map(|errors| errors.iter().any(|entry| entry.name == name))
    }
}

impl ErrorTypeMeta {
    /// Reads an error type's metadata JSON.
    pub fn parse(text: &str) -> Result<ErrorTypeMeta, String> {
        let value: Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
        Ok(ErrorTypeMeta {
            entries: entries(&value["names"])?,
        })
    }
}
