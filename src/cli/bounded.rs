//! Reading files and standard input with a bound on their size.
//!
//! The tool reads definitions and execution inputs that anyone may hand it:
//! a file of 10 GB, `/dev/zero` or a pipe that never ends must be refused
//! after reading just past the limit, not read into memory.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// What a limit counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unit {
    /// Bytes, as AWS counts execution inputs (UTF-8 encoded).
    Bytes,
    /// Unicode characters, as AWS counts a definition's length.
    Characters,
}

impl Unit {
    /// How many units `bytes` hold. For characters, each byte that is not a
    /// UTF-8 continuation byte starts one; text that is not UTF-8 is refused
    /// later, so its count need not be exact.
    fn count(self, bytes: &[u8]) -> usize {
        match self {
            Unit::Bytes => bytes.len(),
            Unit::Characters => bytes.iter().filter(|byte| **byte & 0xC0 != 0x80).count(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Unit::Bytes => "bytes",
            Unit::Characters => "characters",
        }
    }
}

/// Why bounded reading gave no text.
#[derive(Debug)]
pub(super) enum ReadError {
    /// The file could not be opened or read.
    Io(io::Error),
    /// There was more than the limit; reading stopped just past it.
    TooLarge {
        /// The limit.
        limit: usize,
        /// What the limit counts.
        unit: Unit,
        /// The file's length in bytes, when it is a regular file (its
        /// metadata says so without reading it).
        file_bytes: Option<u64>,
    },
    /// The text is not UTF-8: its first invalid byte is at this offset.
    NotUtf8(usize),
}

impl ReadError {
    /// Says what went wrong with `what` (such as "the execution input"),
    /// read from `from` (such as "the file" or "standard input").
    pub(super) fn describe(&self, what: &str, from: &str) -> String {
        match self {
            ReadError::Io(error) => format!("cannot read {from}: {error}"),
            ReadError::TooLarge {
                limit,
                unit,
                file_bytes,
            } => {
                let unit = unit.name();
                let seen = match file_bytes {
                    Some(bytes) => format!("the file is {bytes} bytes long"),
                    None => format!("reading stopped after {} {unit}", limit + 1),
                };
                format!(
                    "{what} is too large: it has more than {limit} {unit}, the most Step Functions \
                     takes ({seen})"
                )
            }
            ReadError::NotUtf8(offset) => format!(
                "{what} is not UTF-8 text: the byte at offset {offset} of {from} is not valid UTF-8"
            ),
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> Self {
        ReadError::Io(error)
    }
}

/// Reads a file whole if it holds at most `limit` units of UTF-8 text.
pub(super) fn read_file(path: &Path, limit: usize, unit: Unit) -> Result<String, ReadError> {
    let file = File::open(path)?;
    let file_bytes = file
        .metadata()
        .ok()
        .filter(|metadata| metadata.is_file())
        .map(|metadata| metadata.len());
    read(file, limit, unit).map_err(|error| match error {
        ReadError::TooLarge { limit, unit, .. } => ReadError::TooLarge {
            limit,
            unit,
            file_bytes,
        },
        other => other,
    })
}

/// Reads standard input to its end if it holds at most `limit` units of
/// UTF-8 text.
pub(super) fn read_stdin(limit: usize, unit: Unit) -> Result<String, ReadError> {
    read(io::stdin().lock(), limit, unit)
}

/// Reads `reader` to its end if it holds at most `limit` units of UTF-8
/// text; otherwise stops as soon as it has seen `limit + 1` of them, or a
/// byte that is not UTF-8.
///
/// Each round asks for no more bytes than there are units left before the
/// limit is passed (a unit takes at least one byte), so at most `limit + 1`
/// bytes are read for a byte limit. For characters, the text read so far is
/// checked to be UTF-8 after each round, so that every four bytes at most
/// make one more character: at most about four times `limit` bytes are read.
fn read(mut reader: impl Read, limit: usize, unit: Unit) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    let mut seen = 0;
    // How much of `bytes` is known to be UTF-8.
    let mut checked = 0;
    loop {
        // `seen <= limit` here, so the budget is at least one byte.
        let budget = limit - seen + 1;
        let start = bytes.len();
        let read = (&mut reader)
            .take(u64::try_from(budget).unwrap_or(u64::MAX))
            .read_to_end(&mut bytes)?;
        match std::str::from_utf8(&bytes[checked..]) {
            Ok(_) => checked = bytes.len(),
            // A character cut at the end of what was read may end in the
            // next round.
            Err(error) if error.error_len().is_none() => checked += error.valid_up_to(),
            Err(error) => return Err(ReadError::NotUtf8(checked + error.valid_up_to())),
        }
        seen += unit.count(&bytes[start..]);
        if seen > limit {
            return Err(ReadError::TooLarge {
                limit,
                unit,
                file_bytes: None,
            });
        }
        // Fewer bytes than asked for: the end was reached. Reading again
        // would wait for more on a terminal.
        if read < budget {
            break;
        }
    }
    String::from_utf8(bytes).map_err(|error| ReadError::NotUtf8(error.utf8_error().valid_up_to()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that never ends, counting what it gives.
    struct Endless {
        byte: u8,
        given: usize,
    }

    impl Read for Endless {
        fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
            buffer.fill(self.byte);
            self.given += buffer.len();
            Ok(buffer.len())
        }
    }

    /// A reader that never ends, giving `🦀` (four bytes) over and over.
    struct FourByteCharacters {
        given: usize,
    }

    impl Read for FourByteCharacters {
        fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
            let crab = "🦀".as_bytes();
            for (at, byte) in buffer.iter_mut().enumerate() {
                *byte = crab[(self.given + at) % crab.len()];
            }
            self.given += buffer.len();
            Ok(buffer.len())
        }
    }

    #[test]
    fn text_up_to_the_limit_is_read_whole() {
        assert_eq!(read(&b"12345"[..], 5, Unit::Bytes).unwrap(), "12345");
        assert_eq!(read(&b""[..], 5, Unit::Bytes).unwrap(), "");
        // Five characters in ten bytes.
        assert_eq!(
            read("ééééé".as_bytes(), 5, Unit::Characters).unwrap(),
            "ééééé"
        );
    }

    #[test]
    fn one_unit_more_is_too_large() {
        assert!(matches!(
            read(&b"123456"[..], 5, Unit::Bytes),
            Err(ReadError::TooLarge {
                limit: 5,
                unit: Unit::Bytes,
                file_bytes: None
            })
        ));
        assert!(matches!(
            read("éééééé".as_bytes(), 5, Unit::Characters),
            Err(ReadError::TooLarge { limit: 5, .. })
        ));
    }

    #[test]
    fn an_endless_reader_is_read_just_past_the_limit() {
        let mut endless = Endless {
            byte: b'x',
            given: 0,
        };
        assert!(read(&mut endless, 1000, Unit::Bytes).is_err());
        assert_eq!(endless.given, 1001);
        let mut endless = Endless {
            byte: b'x',
            given: 0,
        };
        assert!(read(&mut endless, 1000, Unit::Characters).is_err());
        assert_eq!(endless.given, 1001);
        // Continuation bytes make no characters, but are no UTF-8 either:
        // reading stops at once rather than going on for ever.
        let mut endless = Endless {
            byte: 0x80,
            given: 0,
        };
        assert!(matches!(
            read(&mut endless, 1000, Unit::Characters),
            Err(ReadError::NotUtf8(0))
        ));
        assert_eq!(endless.given, 1001);
        // Four-byte characters: about four bytes read for each counted.
        let mut endless = FourByteCharacters { given: 0 };
        assert!(matches!(
            read(&mut endless, 1000, Unit::Characters),
            Err(ReadError::TooLarge { .. })
        ));
        assert!(endless.given <= 4 * 1001 + 3, "{}", endless.given);
    }

    #[test]
    fn text_that_is_not_utf8_is_refused_with_where() {
        assert!(matches!(
            read(&b"ab\xffcd"[..], 10, Unit::Bytes),
            Err(ReadError::NotUtf8(2))
        ));
    }

    #[test]
    fn messages_name_the_limit_and_the_size_seen() {
        let from_file = ReadError::TooLarge {
            limit: 10,
            unit: Unit::Characters,
            file_bytes: Some(10_737_418_240),
        };
        assert_eq!(
            from_file.describe("the definition", "the file"),
            "the definition is too large: it has more than 10 characters, the most Step Functions \
             takes (the file is 10737418240 bytes long)"
        );
        let from_pipe = ReadError::TooLarge {
            limit: 10,
            unit: Unit::Bytes,
            file_bytes: None,
        };
        assert_eq!(
            from_pipe.describe("the execution input", "standard input"),
            "the execution input is too large: it has more than 10 bytes, the most Step Functions \
             takes (reading stopped after 11 bytes)"
        );
        assert_eq!(
            ReadError::NotUtf8(3).describe("the execution input", "standard input"),
            "the execution input is not UTF-8 text: the byte at offset 3 of standard input is not \
             valid UTF-8"
        );
    }
}
