//! The Task state.

use serde_json::Value;

use super::{
    Catcher, DataPath, QueryLanguage, Retrier, Transition, ValueOrPath, error_handling_builders,
    setters, transition_builders,
};

/// Does work through a resource: an activity, a Lambda function, or a
/// service integration (`.sync`, `.waitForTaskToken`...).
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// A human-readable description.
    pub comment: Option<String>,
    /// The ARN of what does the work.
    pub resource: String,
    /// The query language, when the state names its own (`QueryLanguage`).
    pub query_language: Option<QueryLanguage>,
    /// Selects the part of the input the state works on.
    pub input_path: DataPath,
    /// A payload template that builds the resource's input.
    pub parameters: Option<Value>,
    /// A payload template that reshapes the resource's result.
    pub result_selector: Option<Value>,
    /// Where the result goes in the state's input to make its output.
    pub result_path: DataPath,
    /// Selects the part of the combined data that leaves the state.
    pub output_path: DataPath,
    /// The longest the task may run (`TimeoutSeconds` or `TimeoutSecondsPath`).
    pub timeout: Option<ValueOrPath<u64>>,
    /// The longest allowed between heartbeats (`HeartbeatSeconds` or `HeartbeatSecondsPath`).
    pub heartbeat: Option<ValueOrPath<u64>>,
    /// JSONata: the input of the work (`Arguments`), a value in which
    /// `{% ... %}` strings are expressions.
    pub arguments: Option<Value>,
    /// JSONata: the state's output (`Output`), a value in which
    /// `{% ... %}` strings are expressions.
    pub output: Option<Value>,
    /// Workflow variables to assign (`Assign`): names and the values,
    /// templates or expressions that give them.
    pub assign: Option<Value>,
    /// A payload template with the IAM role to assume (`RoleArn` or `RoleArn.$`).
    pub credentials: Option<Value>,
    /// Retry policies, tried in order.
    pub retry: Vec<Retrier>,
    /// Fallback transitions on errors, tried in order.
    pub catch: Vec<Catcher>,
    /// Where the state goes when it completes.
    pub transition: Transition,
}

impl Task {
    /// A task on `resource` that ends its scope.
    pub fn new(resource: impl Into<String>) -> Task {
        Task {
            comment: None,
            resource: resource.into(),
            query_language: None,
            input_path: DataPath::default(),
            parameters: None,
            result_selector: None,
            result_path: DataPath::default(),
            output_path: DataPath::default(),
            timeout: None,
            heartbeat: None,
            credentials: None,
            arguments: None,
            output: None,
            assign: None,
            retry: Vec::new(),
            catch: Vec::new(),
            transition: Transition::End,
        }
    }

    setters! {
        /// Sets the description.
        comment(comment: String) as Some;
        /// Sets InputPath.
        input_path(input_path: DataPath);
        /// Sets Parameters.
        parameters(parameters: Value) as Some;
        /// Sets ResultSelector.
        result_selector(result_selector: Value) as Some;
        /// Sets ResultPath.
        result_path(result_path: DataPath);
        /// Sets OutputPath.
        output_path(output_path: DataPath);
        /// Sets the state's own query language.
        query_language(query_language = QueryLanguage) as Some;
        /// Sets Arguments (JSONata).
        arguments(arguments: Value) as Some;
        /// Sets Output (JSONata).
        output(output: Value) as Some;
        /// Sets Assign: the workflow variables the state assigns.
        assign(assign: Value) as Some;
        /// Sets TimeoutSeconds: the longest the task may run.
        timeout_seconds(timeout = u64) as SomeValue;
        /// Sets TimeoutSecondsPath: where the input holds the timeout.
        timeout_seconds_path(timeout: String) as SomePath;
        /// Sets HeartbeatSeconds: the longest allowed between heartbeats.
        heartbeat_seconds(heartbeat = u64) as SomeValue;
        /// Sets HeartbeatSecondsPath: where the input holds the heartbeat interval.
        heartbeat_seconds_path(heartbeat: String) as SomePath;
        /// Sets TimeoutSeconds to a JSONata expression (the text between `{%` and `%}`).
        timeout_seconds_expression(timeout: String) as SomeExpression;
        /// Sets HeartbeatSeconds to a JSONata expression (the text between `{%` and `%}`).
        heartbeat_seconds_expression(heartbeat: String) as SomeExpression;
        /// Sets Credentials.
        credentials(credentials: Value) as Some;
    }

    error_handling_builders!();

    transition_builders!();
}
