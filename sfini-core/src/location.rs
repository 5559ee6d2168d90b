//! Where in a state machine definition something is.

use std::fmt;

/// A place in a definition: the fields and array indexes leading to it from
/// the top of the definition, displayed as `States.check_counter.Choices[0].Next`.
///
/// State names that are not plain words are quoted:
/// `States['my state'].Next`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    segments: Vec<Segment>,
}

/// One step of a [`Location`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// A field of an object: a state name, `Next`, `Choices`...
    Field(String),
    /// An element of an array.
    Index(usize),
}

impl Location {
    /// The top of the definition.
    pub fn root() -> Location {
        Location::default()
    }

    /// This location followed by a field.
    #[must_use]
    pub fn field(&self, name: impl Into<String>) -> Location {
        let mut next = self.clone();
        next.segments.push(Segment::Field(name.into()));
        next
    }

    /// This location followed by an array index.
    #[must_use]
    pub fn index(&self, index: usize) -> Location {
        let mut next = self.clone();
        next.segments.push(Segment::Index(index));
        next
    }

    /// This location followed by all the segments of `other`.
    #[must_use]
    pub fn join(&self, other: &Location) -> Location {
        let mut next = self.clone();
        next.segments.extend(other.segments.iter().cloned());
        next
    }

    /// The segments from the top.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// True for the top of the definition.
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    /// True when `self` is `other` or inside it.
    pub fn starts_with(&self, other: &Location) -> bool {
        self.segments.starts_with(&other.segments)
    }
}

impl FromIterator<Segment> for Location {
    fn from_iter<I: IntoIterator<Item = Segment>>(iter: I) -> Self {
        Location {
            segments: iter.into_iter().collect(),
        }
    }
}

fn is_plain(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '$'))
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            return f.write_str("(top level)");
        }
        for (position, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Field(name) if is_plain(name) => {
                    if position > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                Segment::Field(name) => {
                    let escaped = name.replace('\\', "\\\\").replace('\'', "\\'");
                    write!(f, "['{escaped}']")?;
                }
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_as_a_path_through_the_definition() {
        let location = Location::root()
            .field("States")
            .field("check_counter")
            .field("Choices")
            .index(0)
            .field("Next");
        assert_eq!(location.to_string(), "States.check_counter.Choices[0].Next");
        assert_eq!(Location::root().to_string(), "(top level)");
        assert_eq!(
            Location::root()
                .field("States")
                .field("my state")
                .field("Next")
                .to_string(),
            "States['my state'].Next"
        );
        assert_eq!(
            Location::root()
                .field("Parameters")
                .field("a.$")
                .to_string(),
            "Parameters['a.$']"
        );
        assert_eq!(Location::root().field("it's").to_string(), "['it\\'s']");
    }

    #[test]
    fn joins_and_prefixes() {
        let state = Location::root().field("States").field("a");
        let inner = Location::root().field("Parameters").field("x");
        let joined = state.join(&inner);
        assert_eq!(joined.to_string(), "States.a.Parameters.x");
        assert!(joined.starts_with(&state));
        assert!(!state.starts_with(&joined));
    }
}
