//! [`WorkerBuilder`]: which activities a worker serves, and how.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::activity::{Activity, ActivityDefinition, Cancellation};
use crate::api::{CreateActivityInput, StepFunctions};
use crate::retry::RetryPolicy;
use crate::workflow::Workflow;

use super::name::{MAX_WORKER_NAME_LENGTH, default_worker_name};
use super::stats::Counters;
use super::{ServedActivity, Shared, Worker, WorkerError, poll};

/// The default number of tasks a worker runs at once.
pub const DEFAULT_CONCURRENCY: usize = 16;
/// The default interval between heartbeats of a task whose activity sets
/// no heartbeat timeout.
pub const DEFAULT_IDLE_HEARTBEAT: Duration = Duration::from_secs(60);

/// Settings of a [`Worker`]: the activities it serves and how; from
/// [`WorkerBuilder::new`], started with [`start`](Self::start).
#[derive(Clone)]
pub struct WorkerBuilder {
    api: Arc<dyn StepFunctions>,
    prefix: String,
    activities: Vec<&'static ActivityDefinition>,
    pollers: usize,
    concurrency: usize,
    name: Option<String>,
    retry: RetryPolicy,
    shutdown_timeout: Option<Duration>,
    idle_heartbeat: Duration,
}

impl std::fmt::Debug for WorkerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerBuilder")
            .field("prefix", &self.prefix)
            .field(
                "activities",
                &self.activities.iter().map(|a| a.name).collect::<Vec<_>>(),
            )
            .field("pollers", &self.pollers)
            .field("concurrency", &self.concurrency)
            .field("name", &self.name)
            .field("retry", &self.retry)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .field("idle_heartbeat", &self.idle_heartbeat)
            .finish_non_exhaustive()
    }
}

impl WorkerBuilder {
    /// A worker of the engine `api`, serving no activity yet: one poller per
    /// activity, [`DEFAULT_CONCURRENCY`] tasks at once, the default
    /// [`RetryPolicy`], a name made of the host's name and a random id, and
    /// no shutdown deadline.
    pub fn new(api: Arc<dyn StepFunctions>) -> Self {
        WorkerBuilder {
            api,
            prefix: String::new(),
            activities: Vec::new(),
            pollers: 1,
            concurrency: DEFAULT_CONCURRENCY,
            name: None,
            retry: RetryPolicy::default(),
            shutdown_timeout: None,
            idle_heartbeat: DEFAULT_IDLE_HEARTBEAT,
        }
    }

    /// Serves each activity under the name `prefix` + its name, as
    /// registration creates it.
    #[must_use]
    pub fn activity_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Serves the activity `A` (a type `#[activity]` generated).
    #[must_use]
    pub fn activity<A: Activity>(self) -> Self {
        self.definition(&A::DEFINITION)
    }

    /// Serves the activity `definition` describes.
    #[must_use]
    pub fn definition(mut self, definition: &'static ActivityDefinition) -> Self {
        self.activities.push(definition);
        self
    }

    /// Serves every activity of the workflow `W`.
    #[must_use]
    pub fn workflow<W: Workflow>(mut self) -> Self {
        self.activities.extend_from_slice(W::ACTIVITIES);
        self
    }

    /// How many long polls each activity keeps waiting at once (default 1).
    /// More pollers hand out tasks faster when they come in bursts; each
    /// takes a place of the worker's [`concurrency`](Self::concurrency)
    /// while it polls.
    #[must_use]
    pub fn pollers(mut self, pollers: usize) -> Self {
        self.pollers = pollers;
        self
    }

    /// How many tasks the worker runs at once, all activities together
    /// (default [`DEFAULT_CONCURRENCY`]). A poll also takes a place before
    /// it starts, so that a task is only received when it can start at
    /// once.
    #[must_use]
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency;
        self
    }

    /// The worker's name, shown in the `ActivityStarted` events of the tasks
    /// it takes (at most 80 characters). Default: the host's name and a
    /// random id.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// How the worker retries its calls to the engine when they fail for a
    /// passing reason (see [`RetryPolicy`]). Reports are retried beyond the
    /// policy's attempts while the task may still accept them.
    #[must_use]
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How long [`Worker::shutdown`] lets running tasks finish; tasks still
    /// running then are cancelled and reported as failed with
    /// [`INTERRUPTED_ERROR`](crate::activity::INTERRUPTED_ERROR). Default:
    /// no deadline, tasks run to their end.
    #[must_use]
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.shutdown_timeout = Some(timeout);
        self
    }

    /// How often a running task heartbeats when its activity sets no
    /// heartbeat timeout (default [`DEFAULT_IDLE_HEARTBEAT`]), so that a
    /// stopped execution or timed-out task is noticed and its activity
    /// cancelled. Tasks of activities with a heartbeat timeout heartbeat
    /// twice per timeout.
    #[must_use]
    pub fn idle_heartbeat(mut self, interval: Duration) -> Self {
        self.idle_heartbeat = interval;
        self
    }

    /// Checks the settings, creates each activity (`CreateActivity` is
    /// idempotent, so this only resolves the ARNs of existing ones, and
    /// shows a problem now rather than at the first task), and starts
    /// polling.
    pub async fn start(self) -> Result<Worker, WorkerError> {
        let activities = self.distinct_activities()?;
        if self.pollers == 0 {
            return Err(WorkerError::InvalidSetting(
                "pollers(0): each activity needs at least one poller".into(),
            ));
        }
        if self.concurrency == 0 || self.concurrency > MAX_CONCURRENCY {
            return Err(WorkerError::InvalidSetting(format!(
                "concurrency({}): a worker runs from 1 to {MAX_CONCURRENCY} tasks at once",
                self.concurrency
            )));
        }
        let name = match self.name {
            Some(name) => {
                let length = name.chars().count();
                if name.is_empty() || length > MAX_WORKER_NAME_LENGTH {
                    return Err(WorkerError::InvalidSetting(format!(
                        "the worker name `{name}` has {length} characters; give 1 to \
                         {MAX_WORKER_NAME_LENGTH}"
                    )));
                }
                name
            }
            None => default_worker_name(),
        };
        let mut served = Vec::with_capacity(activities.len());
        for (name, definition) in activities {
            let created = self
                .retry
                .run(|| {
                    self.api.create_activity(CreateActivityInput {
                        name: name.clone(),
                        ..Default::default()
                    })
                })
                .await
                .map_err(|source| WorkerError::CreateActivity {
                    activity: name.clone(),
                    source,
                })?;
            served.push(Arc::new(ServedActivity {
                name,
                arn: created.activity_arn,
                definition,
            }));
        }
        // Checked against MAX_CONCURRENCY above, which fits in a u32.
        let concurrency = u32::try_from(self.concurrency).unwrap_or(u32::MAX);
        let shared = Arc::new(Shared {
            api: self.api,
            name,
            retry: self.retry,
            idle_heartbeat: self.idle_heartbeat,
            permits: Arc::new(Semaphore::new(self.concurrency)),
            concurrency,
            stopping: Cancellation::new(),
            interrupting: Cancellation::new(),
            stats: Counters::default(),
        });
        let mut pollers = Vec::with_capacity(served.len() * self.pollers);
        for activity in &served {
            for _ in 0..self.pollers {
                pollers.push(tokio::spawn(poll::poll_loop(
                    shared.clone(),
                    activity.clone(),
                )));
            }
        }
        tracing::info!(
            worker = %shared.name,
            activities = served.len(),
            pollers = self.pollers,
            concurrency = self.concurrency,
            "worker started"
        );
        Ok(Worker {
            shared,
            activities: served,
            pollers,
            shutdown_timeout: self.shutdown_timeout,
        })
    }

    /// The activities with their prefixed names, each once.
    fn distinct_activities(
        &self,
    ) -> Result<Vec<(String, &'static ActivityDefinition)>, WorkerError> {
        if self.activities.is_empty() {
            return Err(WorkerError::NoActivities);
        }
        let mut distinct: Vec<(String, &'static ActivityDefinition)> = Vec::new();
        for &definition in &self.activities {
            let name = format!("{}{}", self.prefix, definition.name);
            match distinct.iter().find(|(known, _)| *known == name) {
                Some((_, known)) if same_activity(known, definition) => {}
                Some(_) => return Err(WorkerError::DuplicateActivity(name)),
                None => distinct.push((name, definition)),
            }
        }
        Ok(distinct)
    }
}

/// The most tasks a worker runs at once.
pub const MAX_CONCURRENCY: usize = 1 << 20;

/// True when two definitions describe the same activity: the same
/// constant (which may be placed at two addresses), known by its id. Two
/// functions under one name are two activities even when they read the
/// same arguments.
fn same_activity(a: &ActivityDefinition, b: &ActivityDefinition) -> bool {
    std::ptr::eq(a, b) || a.id == b.id
}
