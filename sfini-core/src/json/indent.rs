//! The layout of canonical JSON: two-space indentation, as `serde_json`'s
//! pretty printer lays it out, with each indentation written at once.

use std::io::{self, Write};

use serde_json::ser::Formatter;

/// Enough spaces for any depth a definition reaches in one write; deeper
/// levels take several.
const SPACES: &[u8; 128] = &[b' '; 128];

/// A `serde_json` formatter giving the same text as its pretty printer.
#[derive(Default)]
pub(super) struct Indented {
    depth: usize,
    has_value: bool,
}

fn indent<W: ?Sized + Write>(writer: &mut W, depth: usize) -> io::Result<()> {
    let mut left = depth * 2;
    while left > 0 {
        let chunk = left.min(SPACES.len());
        writer.write_all(&SPACES[..chunk])?;
        left -= chunk;
    }
    Ok(())
}

impl Indented {
    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            writer.write_all(b"\n")?;
            indent(writer, self.depth)?;
        }
        writer.write_all(bracket)
    }

    /// A new line, indented, before each element or field.
    fn next_line<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        indent(writer, self.depth)
    }
}

impl Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.next_line(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.next_line(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn lays_out_json_as_the_pretty_printer_does() {
        let deep = (0..80).fold(
            json!("leaf"),
            |inner, i| json!({format!("k{i}"): [inner, {}, []]}),
        );
        for value in [
            json!({}),
            json!([]),
            json!({"a": [1, {"b": null}], "c": {}}),
            deep,
        ] {
            let mut out = Vec::new();
            let mut serializer =
                serde_json::Serializer::with_formatter(&mut out, Indented::default());
            serde::Serialize::serialize(&value, &mut serializer).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string_pretty(&value).unwrap()
            );
        }
    }
}
