//! Reading a mock configuration file (`--mock-config FILE`) for `sfini run`
//! and `sfini local serve`.

use std::path::Path;

use sfini::runtime::mock::{MAX_MOCK_CONFIG_BYTES, MockConfig};

use super::bounded::{self, Unit};

/// Reads and checks the mock configuration at `path`; the error says what
/// is wrong and where, naming the file.
pub(super) fn read(path: &Path) -> Result<MockConfig, String> {
    let text =
        bounded::read_file(path, MAX_MOCK_CONFIG_BYTES, Unit::Bytes).map_err(
            |error| match error {
                bounded::ReadError::TooLarge { .. } => format!(
                    "the mock configuration `{}` is too large: sfini reads at most \
                 {MAX_MOCK_CONFIG_BYTES} bytes of it",
                    path.display()
                ),
                other => other.describe("the mock configuration", &format!("`{}`", path.display())),
            },
        )?;
    MockConfig::from_json(&text).map_err(|error| {
        format!(
            "the mock configuration `{}` is refused at {}: {}",
            path.display(),
            error.location,
            error.message
        )
    })
}
