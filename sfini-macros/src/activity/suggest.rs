//! "Did you mean ...?" for misspelled option and attribute names.

/// `; did you mean `x`?` when one of `candidates` is a likely misspelling
/// of `written` (the same name in another case, or within a third of its
/// length in edits), else nothing.
pub fn did_you_mean<'a>(written: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = if candidate.eq_ignore_ascii_case(written) {
            0
        } else {
            strsim::damerau_levenshtein(written, candidate)
        };
        let limit = written.chars().count().max(candidate.chars().count()) / 3;
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, name)| format!("; did you mean `{name}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let options = ["name", "heartbeat", "timeout"];
        assert_eq!(did_you_mean("nmae", options), "; did you mean `name`?");
        assert_eq!(
            did_you_mean("heartbeats", options),
            "; did you mean `heartbeat`?"
        );
        assert_eq!(
            did_you_mean("TimeOut", options),
            "; did you mean `timeout`?"
        );
        assert_eq!(did_you_mean("retries", options), "");
    }
}
