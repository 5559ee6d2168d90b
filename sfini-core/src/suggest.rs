//! "Did you mean ...?": the closest known name to a misspelled one.

/// The candidate closest to `target`, if one is close enough to be a likely
/// misspelling: the same name in another case, or one within a third of its
/// length in edits (transpositions count as one).
pub fn closest<'a>(target: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let target_len = target.chars().count();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == target {
            continue;
        }
        if candidate.eq_ignore_ascii_case(target) {
            return Some(candidate);
        }
        let limit = target_len.max(candidate.chars().count()) / 3;
        let distance = strsim::damerau_levenshtein(target, candidate);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, name)| name)
}

/// `; did you mean `x`?` when there is a close candidate, else nothing.
pub fn did_you_mean<'a>(target: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(target, candidates)
        .map(|name| format!("; did you mean `{name}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_likely_misspellings_only() {
        let names = ["increment", "initialise", "check_counter", "end"];
        assert_eq!(closest("incremnt", names), Some("increment"));
        assert_eq!(closest("Increment", names), Some("increment"));
        assert_eq!(closest("chekc_counter", names), Some("check_counter"));
        assert_eq!(closest("finish", names), None);
        assert_eq!(closest("e", names), None);
        assert_eq!(closest("Nxt", ["Next", "End"]), Some("Next"));
        assert_eq!(did_you_mean("Nxt", ["Next"]), "; did you mean `Next`?");
        assert_eq!(did_you_mean("zzz", ["Next"]), "");
    }
}
