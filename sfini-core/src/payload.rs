//! Payload templates: Parameters, ItemSelector and ResultSelector.
