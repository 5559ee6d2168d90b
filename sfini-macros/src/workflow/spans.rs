//! Where in the macro's input each part of the definition came from, so that
//! a problem found in the definition is reported at the token that caused it.

use std::collections::HashMap;

use proc_macro2::Span;
use sfini_core::Location;

/// The span of each location of the definition that was written by hand.
#[derive(Default)]
pub struct Spans {
    spans: HashMap<Location, Span>,
}

impl Spans {
    /// Remembers that `location` was written at `span` (the first record
    /// of a location wins).
    pub fn record(&mut self, location: &Location, span: Span) {
        self.spans.entry(location.clone()).or_insert(span);
    }

    /// The span of `location`, or of the nearest location containing it.
    pub fn find(&self, location: &Location) -> Option<Span> {
        let segments = location.segments();
        (0..=segments.len()).rev().find_map(|len| {
            let prefix: Location = segments[..len].iter().cloned().collect();
            self.spans.get(&prefix).copied()
        })
    }
}
