//! Locations built on the stack while walking a definition, turned into a
//! [`Location`] only when a problem is reported.

use crate::location::{Location, Segment};

/// A place in the definition, as a chain of borrowed steps.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Here<'a> {
    /// The top of the definition, or of a given location.
    Root(&'a Location),
    /// A field of the place before.
    Field(&'a Here<'a>, &'a str),
    /// An array element of the place before.
    Index(&'a Here<'a>, usize),
}

impl<'a> Here<'a> {
    pub(crate) fn field(&'a self, name: &'a str) -> Here<'a> {
        Here::Field(self, name)
    }

    pub(crate) fn index(&'a self, index: usize) -> Here<'a> {
        Here::Index(self, index)
    }

    pub(crate) fn location(&self) -> Location {
        let mut segments = Vec::new();
        let mut here = self;
        let base = loop {
            match here {
                Here::Root(base) => break *base,
                Here::Field(parent, name) => {
                    segments.push(Segment::Field((*name).to_string()));
                    here = parent;
                }
                Here::Index(parent, index) => {
                    segments.push(Segment::Index(*index));
                    here = parent;
                }
            }
        };
        base.segments()
            .iter()
            .cloned()
            .chain(segments.into_iter().rev())
            .collect()
    }
}
