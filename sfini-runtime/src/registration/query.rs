//! Listing and counting a state machine's executions.

use time::OffsetDateTime;

use super::{Machine, RegistrationError};
use crate::api::{ExecutionListItem, ExecutionStatus, ListExecutionsInput};

/// Which executions of a machine to list: [`Machine::executions`] starts
/// one, each method narrows it.
///
/// The status is filtered by the engine; the start-time window, the name
/// prefix and the limit are applied while reading the pages, newest
/// execution first, and reading stops at the first execution that started
/// before the window.
///
/// ```
/// use sfini_runtime::api::ExecutionStatus;
/// use sfini_runtime::client::Sfn;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let sfn = Sfn::local();
/// let machine = sfn.machine(
///     "echo",
///     r#"{"StartAt": "echo", "States": {"echo": {"Type": "Pass", "End": true}}}"#,
/// );
/// machine.register().await?;
/// for night in ["monday", "tuesday"] {
///     machine.start_named(format!("nightly-{night}"), &serde_json::json!({})).await?.wait().await?;
/// }
/// machine.start_named("adhoc", &serde_json::json!({})).await?.wait().await?;
/// let nightly = machine
///     .executions()
///     .status(ExecutionStatus::Succeeded)
///     .name_prefix("nightly-")
///     .list()
///     .await?;
/// assert_eq!(nightly.len(), 2);
/// assert_eq!(nightly[0].name, "nightly-tuesday"); // newest first
/// assert_eq!(machine.executions().count().await?, 3);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ExecutionQuery {
    machine: Machine,
    status: Option<ExecutionStatus>,
    started_after: Option<OffsetDateTime>,
    started_before: Option<OffsetDateTime>,
    name_prefix: Option<String>,
    limit: Option<usize>,
    page_size: i32,
}

impl ExecutionQuery {
    pub(super) fn new(machine: Machine) -> ExecutionQuery {
        ExecutionQuery {
            machine,
            status: None,
            started_after: None,
            started_before: None,
            name_prefix: None,
            limit: None,
            page_size: 0,
        }
    }

    /// Only executions with this status.
    pub fn status(mut self, status: ExecutionStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Only executions started at `time` or later.
    pub fn started_after(mut self, time: OffsetDateTime) -> Self {
        self.started_after = Some(time);
        self
    }

    /// Only executions started before `time`.
    pub fn started_before(mut self, time: OffsetDateTime) -> Self {
        self.started_before = Some(time);
        self
    }

    /// Only executions whose name starts with `prefix`.
    pub fn name_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.name_prefix = Some(prefix.into());
        self
    }

    /// At most `limit` executions, the newest.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = Some(limit);
        self
    }

    /// How many executions to ask for per `ListExecutions` page (1 to 1000;
    /// the engine's default of 100 unless set).
    pub fn page_size(mut self, size: u16) -> Self {
        self.page_size = i32::from(size.clamp(1, 1000));
        self
    }

    /// The matching executions, newest first.
    pub async fn list(&self) -> Result<Vec<ExecutionListItem>, RegistrationError> {
        let mut found = Vec::new();
        self.visit(|item| found.push(item)).await?;
        Ok(found)
    }

    /// How many executions match.
    pub async fn count(&self) -> Result<usize, RegistrationError> {
        let mut count = 0;
        self.visit(|_| count += 1).await?;
        Ok(count)
    }

    /// Calls `found` for each matching execution, newest first, reading as
    /// few pages as the filters allow.
    async fn visit(
        &self,
        mut found: impl FnMut(ExecutionListItem),
    ) -> Result<(), RegistrationError> {
        let limit = self.limit.unwrap_or(usize::MAX);
        if limit == 0 {
            return Ok(());
        }
        let arn = self.machine.arn().await?;
        let api = self.machine.sfn().api();
        let mut taken = 0;
        let mut next_token = None;
        loop {
            let page = api
                .list_executions(ListExecutionsInput {
                    state_machine_arn: arn.clone(),
                    status_filter: self.status,
                    max_results: self.page_size,
                    next_token,
                    redrive_filter: None,
                })
                .await
                .map_err(|source| self.machine.api_error("ListExecutions", source))?;
            for item in page.executions {
                if self
                    .started_after
                    .is_some_and(|after| item.start_date < after)
                {
                    // Newest first: every execution after this one started
                    // earlier still.
                    return Ok(());
                }
                if self
                    .started_before
                    .is_some_and(|before| item.start_date >= before)
                {
                    continue;
                }
                if self
                    .name_prefix
                    .as_deref()
                    .is_some_and(|prefix| !item.name.starts_with(prefix))
                {
                    continue;
                }
                found(item);
                taken += 1;
                if taken == limit {
                    return Ok(());
                }
            }
            match page.next_token {
                Some(token) => next_token = Some(token),
                None => return Ok(()),
            }
        }
    }
}
