//! Where in the macro's input each part of the definition came from, so that
//! a problem found in the definition is reported at the token that caused it.

use std::collections::HashMap;

use proc_macro2::Span;
use sfini_core::Location;

/// The span of each location of the definition that was written by hand.
#[derive(Default)]
pub struct Spans {
    spans: HashMap<Location, Span>,
    /// Where the values that take more than one token end.
    ends: HashMap<Location, Span>,
}

impl Spans {
    /// Remembers that `location` was written at `span` (the first record
    /// of a location wins).
    pub fn record(&mut self, location: &Location, span: Span) {
        self.spans.entry(location.clone()).or_insert(span);
    }

    /// Remembers that `location` was written from `start` to `end`.
    pub fn record_range(&mut self, location: &Location, start: Span, end: Span) {
        if !self.spans.contains_key(location) {
            self.spans.insert(location.clone(), start);
            self.ends.insert(location.clone(), end);
        }
    }

    /// The span of `location`, or of the nearest location containing it.
    pub fn find(&self, location: &Location) -> Option<Span> {
        self.find_range(location).map(|(start, _)| start)
    }

    /// Where `location`, or the nearest location containing it, starts
    /// and ends.
    pub fn find_range(&self, location: &Location) -> Option<(Span, Span)> {
        let segments = location.segments();
        (0..=segments.len()).rev().find_map(|len| {
            let prefix: Location = segments[..len].iter().cloned().collect();
            let start = *self.spans.get(&prefix)?;
            Some((start, self.ends.get(&prefix).copied().unwrap_or(start)))
        })
    }

    /// An error at `location` (or `fallback`), covering all of what was
    /// written there.
    pub fn error(
        &self,
        location: &Location,
        fallback: Span,
        message: impl std::fmt::Display,
    ) -> syn::Error {
        let (start, end) = self.find_range(location).unwrap_or((fallback, fallback));
        super::literal::spanning(start, end, message)
    }
}
