//! Pages of the local engine's list calls (`ListActivities`,
//! `ListStateMachines`, `ListExecutions`, `GetExecutionHistory`) and their
//! page tokens.
//!
//! A list is read from a position that does not move when items are added:
//! each item has a key that only grows in the order items are made
//! (activities and state machines their creation number, executions their
//! start number, events their id), and a page token holds the key of the
//! last item of its page. The next page starts after that key, so items
//! added meanwhile neither shift the list nor come twice: executions are
//! listed newest first and the new ones, before the first page, are not
//! reached again; activities, machines and events are listed oldest first
//! (events also newest first) and the new ones come at the end.
//!
//! A token is opaque and bound to its call: base64url (unpadded) of a
//! version, the call, the key, a tag of what the call lists (the state
//! machine, status and redrive filters, the execution and order), and a tag of all
//! that made with the engine's random [`Key`]. A token that is not one,
//! was altered or made up, was given by another engine (or this one before
//! a restart), or was given by another call or for another list is refused
//! with `InvalidToken`, as AWS refuses a `nextToken` it did not give.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::api::{ExecutionRedriveFilter, ExecutionStatus, SfnError, quoted};

use super::mac::Key;
use super::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

/// The layout of tokens; a token of another version is refused.
const VERSION: u8 = 1;
/// The bytes of a token: version, call, key, list tag, token tag.
const TOKEN_BYTES: usize = 1 + 1 + 8 + 8 + 8;
/// The characters of a token: [`TOKEN_BYTES`] in unpadded base64.
const TOKEN_CHARS: usize = (TOKEN_BYTES * 4).div_ceil(3);

/// The list calls that page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Call {
    ListActivities = 1,
    ListStateMachines = 2,
    ListExecutions = 3,
    GetExecutionHistory = 4,
    ListStateMachineVersions = 5,
    ListStateMachineAliases = 6,
}

impl Call {
    fn from_byte(byte: u8) -> Option<Call> {
        [
            Call::ListActivities,
            Call::ListStateMachines,
            Call::ListExecutions,
            Call::GetExecutionHistory,
            Call::ListStateMachineVersions,
            Call::ListStateMachineAliases,
        ]
        .into_iter()
        .find(|call| *call as u8 == byte)
    }

    fn name(self) -> &'static str {
        match self {
            Call::ListActivities => "ListActivities",
            Call::ListStateMachines => "ListStateMachines",
            Call::ListExecutions => "ListExecutions",
            Call::GetExecutionHistory => "GetExecutionHistory",
            Call::ListStateMachineVersions => "ListStateMachineVersions",
            Call::ListStateMachineAliases => "ListStateMachineAliases",
        }
    }

    /// What a token of this call is bound to, besides the call.
    fn scope(self) -> &'static str {
        match self {
            Call::ListActivities | Call::ListStateMachines => "the list",
            Call::ListExecutions => "the state machine, status filter and redrive filter",
            Call::GetExecutionHistory => "the execution and order (reverseOrder)",
            Call::ListStateMachineVersions => "the state machine",
            Call::ListStateMachineAliases => "the state machine or version",
        }
    }
}

/// One list: the call that reads it, what it lists, and its order.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Listing<'a> {
    call: Call,
    scope: [&'a str; 3],
    /// True when the list goes from the largest key down.
    descending: bool,
}

impl<'a> Listing<'a> {
    /// `ListActivities`: by creation, oldest first.
    pub(crate) fn activities() -> Listing<'static> {
        Listing {
            call: Call::ListActivities,
            scope: ["", "", ""],
            descending: false,
        }
    }

    /// `ListStateMachines`: by creation, oldest first.
    pub(crate) fn state_machines() -> Listing<'static> {
        Listing {
            call: Call::ListStateMachines,
            scope: ["", "", ""],
            descending: false,
        }
    }

    /// `ListExecutions` of one machine, with one status or all, redriven
    /// or not or all: by start, newest first.
    pub(crate) fn executions(
        machine_arn: &'a str,
        status: Option<ExecutionStatus>,
        redriven: Option<ExecutionRedriveFilter>,
    ) -> Listing<'a> {
        Listing {
            call: Call::ListExecutions,
            scope: [
                machine_arn,
                status.map_or("", ExecutionStatus::as_str),
                redriven.map_or("", ExecutionRedriveFilter::as_str),
            ],
            descending: true,
        }
    }

    /// `GetExecutionHistory` of one execution: by event id, newest first
    /// when `reverse`.
    pub(crate) fn history(execution_arn: &'a str, reverse: bool) -> Listing<'a> {
        Listing {
            call: Call::GetExecutionHistory,
            scope: [
                execution_arn,
                if reverse { "reverse" } else { "forward" },
                "",
            ],
            descending: reverse,
        }
    }

    /// `ListStateMachineVersions` of one machine: by number, newest first.
    pub(crate) fn versions(machine_arn: &'a str) -> Listing<'a> {
        Listing {
            call: Call::ListStateMachineVersions,
            scope: [machine_arn, "", ""],
            descending: true,
        }
    }

    /// `ListStateMachineAliases` of one machine or version: by creation,
    /// oldest first.
    pub(crate) fn aliases(arn: &'a str) -> Listing<'a> {
        Listing {
            call: Call::ListStateMachineAliases,
            scope: [arn, "", ""],
            descending: false,
        }
    }

    /// True when the item at `position` comes after the one at `last`.
    fn after(&self, position: u64, last: u64) -> bool {
        if self.descending {
            position < last
        } else {
            position > last
        }
    }
}

/// The page tokens of one engine.
#[derive(Debug, Default)]
pub(crate) struct Pages {
    key: Key,
}

impl Pages {
    /// One page of a list.
    ///
    /// `entries` are the list's entries in its order, each with its key
    /// (growing when the list is oldest first, shrinking when newest
    /// first); `item` makes an entry into the page's item, or `None` for an
    /// entry the call leaves out (another status). The page holds up to
    /// `max_results` items (0: [`DEFAULT_PAGE_SIZE`]) from after the
    /// position of `next_token`, and comes with a token when more follow.
    pub(crate) fn page<E, T>(
        &self,
        listing: &Listing<'_>,
        max_results: i32,
        next_token: Option<&str>,
        entries: impl IntoIterator<Item = (u64, E)>,
        mut item: impl FnMut(E) -> Option<T>,
    ) -> Result<(Vec<T>, Option<String>), SfnError> {
        let size = page_size(max_results)?;
        let last = next_token
            .map(|token| self.read(listing, token))
            .transpose()?;
        let entries = entries
            .into_iter()
            .skip_while(|(position, _)| last.is_some_and(|last| !listing.after(*position, last)));
        let mut items = Vec::new();
        let mut end = None;
        for (position, entry) in entries {
            let Some(item) = item(entry) else {
                continue;
            };
            if items.len() == size {
                // One more item follows the full page: it gets a token.
                let token = end.map(|end| self.write(listing, end));
                return Ok((items, token));
            }
            items.push(item);
            end = Some(position);
        }
        Ok((items, None))
    }

    /// The tag of what a list lists.
    fn scope_tag(&self, listing: &Listing<'_>) -> u64 {
        self.key.tag(
            "page scope",
            &[
                &[listing.call as u8, u8::from(listing.descending)],
                listing.scope[0].as_bytes(),
                listing.scope[1].as_bytes(),
                listing.scope[2].as_bytes(),
            ],
        )
    }

    /// The tag of a token's contents.
    fn token_tag(&self, call: u8, position: u64, scope: u64) -> u64 {
        self.key.tag(
            "page token",
            &[
                &[VERSION, call],
                &position.to_be_bytes(),
                &scope.to_be_bytes(),
            ],
        )
    }

    /// The token of the page that follows the item at `position`.
    fn write(&self, listing: &Listing<'_>, position: u64) -> String {
        let call = listing.call as u8;
        let scope = self.scope_tag(listing);
        let mut bytes = [0; TOKEN_BYTES];
        bytes[0] = VERSION;
        bytes[1] = call;
        bytes[2..10].copy_from_slice(&position.to_be_bytes());
        bytes[10..18].copy_from_slice(&scope.to_be_bytes());
        bytes[18..].copy_from_slice(&self.token_tag(call, position, scope).to_be_bytes());
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The position a token of `listing` resumes after.
    fn read(&self, listing: &Listing<'_>, token: &str) -> Result<u64, SfnError> {
        let shown = || quoted(token, '`');
        let mut bytes = [0; TOKEN_BYTES];
        let decoded = token.len() == TOKEN_CHARS
            && URL_SAFE_NO_PAD
                .decode_slice(token, &mut bytes)
                .is_ok_and(|length| length == TOKEN_BYTES);
        if !decoded || bytes[0] != VERSION {
            return Err(SfnError::InvalidToken(format!(
                "{} is not a page token of this engine; give the nextToken of the previous \
                 page as it came",
                shown()
            )));
        }
        let call = bytes[1];
        let position = be_u64(&bytes[2..10]);
        let scope = be_u64(&bytes[10..18]);
        if be_u64(&bytes[18..]) != self.token_tag(call, position, scope) {
            return Err(SfnError::InvalidToken(format!(
                "the page token {} was not given by this engine: it was altered, or given by \
                 another engine or by this one before it restarted",
                shown()
            )));
        }
        // The tag checks: the engine wrote this call.
        let given_by = Call::from_byte(call).unwrap_or(listing.call);
        if given_by != listing.call {
            return Err(SfnError::InvalidToken(format!(
                "the page token {} was given by {}; {} takes only the page tokens it gives",
                shown(),
                given_by.name(),
                listing.call.name()
            )));
        }
        if scope != self.scope_tag(listing) {
            return Err(SfnError::InvalidToken(format!(
                "the page token {} was given by {} for another list; give it with {} of the \
                 call that gave it",
                shown(),
                listing.call.name(),
                listing.call.scope()
            )));
        }
        Ok(position)
    }
}

/// Eight bytes as a big-endian number.
fn be_u64(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .take(8)
        .fold(0, |number, byte| (number << 8) | u64::from(*byte))
}

/// The number of items on a page asked for with `max_results`.
fn page_size(max_results: i32) -> Result<usize, SfnError> {
    match usize::try_from(max_results) {
        Ok(0) => Ok(DEFAULT_PAGE_SIZE),
        Ok(size) if max_results <= MAX_PAGE_SIZE => Ok(size),
        _ => Err(SfnError::ValidationException(format!(
            "maxResults is {max_results}; it must be from 0 (the default page of \
             {DEFAULT_PAGE_SIZE}) to {MAX_PAGE_SIZE}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every item of `entries` (keys and items alike), page by page, with
    /// `between` run before each page but the first.
    fn every_page(
        pages: &Pages,
        listing: &Listing<'_>,
        size: i32,
        mut entries: impl FnMut() -> Vec<u64>,
        mut between: impl FnMut(),
    ) -> Vec<u64> {
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let (items, next) = pages
                .page(
                    listing,
                    size,
                    token.as_deref(),
                    entries().into_iter().map(|key| (key, key)),
                    Some,
                )
                .expect("a page");
            assert!(items.len() <= usize::try_from(size).expect("a size"));
            seen.extend(items);
            match next {
                Some(next) => token = Some(next),
                None => return seen,
            }
            between();
        }
    }

    #[test]
    fn pages_hold_their_place_while_items_are_added() {
        let pages = Pages::default();
        // Newest first, 25 items, 3 more before each page.
        let items = std::cell::RefCell::new((0..25).collect::<Vec<u64>>());
        let seen = every_page(
            &pages,
            &Listing::executions("machine", None, None),
            4,
            || items.borrow().iter().rev().copied().collect(),
            || {
                let mut items = items.borrow_mut();
                let next = items.len() as u64;
                items.extend(next..next + 3);
            },
        );
        assert_eq!(seen, (0..25).rev().collect::<Vec<u64>>());
        // Oldest first: the items added come at the end, each once.
        let items = std::cell::RefCell::new((0..10).collect::<Vec<u64>>());
        let seen = every_page(
            &pages,
            &Listing::activities(),
            4,
            || items.borrow().clone(),
            || {
                let mut items = items.borrow_mut();
                let next = items.len() as u64;
                items.extend(next..(next + 3).min(20));
            },
        );
        assert_eq!(seen, (0..20).collect::<Vec<u64>>());
    }

    #[test]
    fn a_full_last_page_has_no_token_and_left_out_entries_do_not_count() {
        let pages = Pages::default();
        let listing = Listing::state_machines();
        let (items, next) = pages
            .page(&listing, 3, None, (1..=3).map(|key| (key, key)), Some)
            .expect("a page");
        assert_eq!((items, next), (vec![1, 2, 3], None));
        let odd = |key: u64| (key % 2 == 1).then_some(key);
        let (items, next) = pages
            .page(&listing, 2, None, (1..=6).map(|key| (key, key)), odd)
            .expect("a page");
        assert_eq!(items, [1, 3]);
        let (items, next) = pages
            .page(
                &listing,
                2,
                next.as_deref(),
                (1..=6).map(|key| (key, key)),
                odd,
            )
            .expect("a page");
        assert_eq!((items, next), (vec![5], None));
        let (items, next) = pages
            .page(&listing, 0, None, (0..150).map(|key| (key, key)), Some)
            .expect("a page");
        assert_eq!(items.len(), DEFAULT_PAGE_SIZE);
        assert!(next.is_some());
        for size in [-1, MAX_PAGE_SIZE + 1] {
            let refused = pages
                .page(&listing, size, None, (0..1).map(|key| (key, key)), Some)
                .expect_err("out of range");
            assert_eq!(refused.code(), "ValidationException");
        }
    }

    /// The token of the first page of `listing` over 0..10, pages of 1.
    fn token(pages: &Pages, listing: &Listing<'_>) -> String {
        let (_, next) = pages
            .page(listing, 1, None, (0..10).map(|key| (key, key)), Some)
            .expect("a page");
        next.expect("a token")
    }

    fn refused(pages: &Pages, listing: &Listing<'_>, token: &str) -> String {
        let error = pages
            .page(listing, 1, Some(token), (0..10).map(|key| (key, key)), Some)
            .expect_err("the token is refused");
        assert_eq!(error.code(), "InvalidToken", "{error}");
        error.message().to_string()
    }

    #[test]
    fn tokens_are_opaque_and_bound_to_their_call_and_engine() {
        let pages = Pages::default();
        let machine_a = Listing::executions("arn:a", None, None);
        let token = token(&pages, &machine_a);
        assert_eq!(token.len(), TOKEN_CHARS);
        assert!(!token.contains("page"), "{token}");
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{token}"
        );
        // Accepted by its own call.
        assert!(
            pages
                .page(
                    &machine_a,
                    1,
                    Some(&token),
                    (0..10).map(|key| (key, key)),
                    Some
                )
                .is_ok()
        );

        let message = refused(&pages, &Listing::executions("arn:b", None, None), &token);
        assert!(
            message.contains("was given by ListExecutions for another list")
                && message.contains("the state machine, status filter and redrive filter"),
            "{message}"
        );
        let message = refused(
            &pages,
            &Listing::executions("arn:a", Some(ExecutionStatus::Running), None),
            &token,
        );
        assert!(message.contains("for another list"), "{message}");
        let message = refused(
            &pages,
            &Listing::executions("arn:a", None, Some(ExecutionRedriveFilter::Redriven)),
            &token,
        );
        assert!(message.contains("for another list"), "{message}");
        let message = refused(&pages, &Listing::history("arn:a", true), &token);
        assert!(
            message.contains(
                "was given by ListExecutions; GetExecutionHistory takes only the page tokens it gives"
            ),
            "{message}"
        );
        let forward = self::token(&pages, &Listing::history("arn:e", false));
        let message = refused(&pages, &Listing::history("arn:e", true), &forward);
        assert!(message.contains("execution and order"), "{message}");

        let message = refused(&Pages::default(), &machine_a, &token);
        assert!(
            message.contains("was not given by this engine"),
            "{message}"
        );
        // Any byte changed: the tag no longer checks (or it is no token).
        let mut bytes = [0; TOKEN_BYTES];
        URL_SAFE_NO_PAD
            .decode_slice(&token, &mut bytes)
            .expect("base64");
        for at in 0..TOKEN_BYTES {
            let mut forged = bytes;
            forged[at] ^= 1;
            let forged = URL_SAFE_NO_PAD.encode(forged);
            refused(&pages, &machine_a, &forged);
        }
        for bad in [
            "page-1",
            "",
            "!!!",
            &format!("{token}A"),
            &"A".repeat(TOKEN_CHARS),
        ] {
            let message = refused(&pages, &machine_a, bad);
            assert!(
                message.contains("not a page token of this engine")
                    || message.contains("was not given by this engine"),
                "{bad}: {message}"
            );
        }
        let huge = "x".repeat(2 * 1024 * 1024);
        let message = refused(&pages, &machine_a, &huge);
        assert!(message.len() < 400, "{}", message.len());
        assert!(message.contains("(2097152 characters)"), "{message}");
    }
}
