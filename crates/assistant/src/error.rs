use thiserror::Error;

/// Why an agent could not run or finish.
#[derive(Debug, Error)]
pub enum AgentError {
    #[error(transparent)]
    Api(#[from] claurst_api::ApiError),
    #[error("invalid permission rule in {list}: {message}")]
    InvalidRule { list: &'static str, message: String },
    #[error("unknown tool `{0}`; the built-in tools are: {1}")]
    UnknownTool(String, String),
    #[error("the agent could not be set up: {0}")]
    Setup(String),
    #[error("there is no prompt to answer: the conversation must end with a user message")]
    NoPrompt,
    #[error("the turn limit ({0}) was reached before the model finished")]
    MaxTurns(u32),
    #[error("the session's cost (${spent:.4}) passed the budget (--max-budget-usd {limit})")]
    MaxBudget { spent: f64, limit: f64 },
    #[error("the run was interrupted")]
    Interrupted,
    #[error("the conversation could not be compacted: {0}")]
    Compaction(String),
    #[error(transparent)]
    Session(#[from] claurst_session::SessionError),
    #[error("cannot set up the session directory {path}: {source}")]
    SessionDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
}
