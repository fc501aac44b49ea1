use async_graphql::{ErrorExtensions, Value};
use entity::{ClientStatus, LifecycleAction};
use sea_orm::DbErr;
use uuid::Uuid;

/// The stable codes found in `extensions.code` of every GraphQL error, and in
/// `AvailableAction.code`.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// No valid bearer token was sent, it expired, or its user is deactivated.
    Unauthenticated,
    /// The signed-in user's role does not allow this.
    Forbidden,
    /// Nothing with that id exists in the viewer's firm.
    NotFound,
    /// An argument is malformed, too long, or out of range.
    BadUserInput,
    /// The action is not allowed from the client's current status.
    InvalidTransition,
    /// The client changed since the `expectedVersion` the caller had.
    VersionConflict,
    /// The e-mail address is already held by another client, contact or user.
    EmailInUse,
    /// `confirmName` does not equal the client's name exactly.
    ConfirmationMismatch,
    /// The client still has ACTIVE workflows.
    ActiveWorkflows,
    /// Disconnecting needs an ACTIVE contact of the client as account owner.
    AccountOwnerRequired,
    /// The action is not available for a self-paying client.
    SelfPayingClient,
    /// Something went wrong on the server; details are in its logs only.
    Internal,
}

impl ErrorCode {
    /// Every code.
    pub const ALL: [ErrorCode; 12] = [
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::BadUserInput,
        ErrorCode::InvalidTransition,
        ErrorCode::VersionConflict,
        ErrorCode::EmailInUse,
        ErrorCode::ConfirmationMismatch,
        ErrorCode::ActiveWorkflows,
        ErrorCode::AccountOwnerRequired,
        ErrorCode::SelfPayingClient,
        ErrorCode::Internal,
    ];

    /// The spelling used in `extensions.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::InvalidTransition => "INVALID_TRANSITION",
            ErrorCode::VersionConflict => "VERSION_CONFLICT",
            ErrorCode::EmailInUse => "EMAIL_IN_USE",
            ErrorCode::ConfirmationMismatch => "CONFIRMATION_MISMATCH",
            ErrorCode::ActiveWorkflows => "ACTIVE_WORKFLOWS",
            ErrorCode::AccountOwnerRequired => "ACCOUNT_OWNER_REQUIRED",
            ErrorCode::SelfPayingClient => "SELF_PAYING_CLIENT",
            ErrorCode::Internal => "INTERNAL",
        }
    }
}

/// The fixed message of every internal error.
pub const INTERNAL_MESSAGE: &str = "Internal server error. The details were logged.";

/// Who holds an e-mail address, as far as the viewer may know.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailHolder {
    /// `CLIENT`, `CONTACT` or `USER`.
    pub kind: &'static str,
    /// Only set when the holder belongs to the viewer's firm.
    pub id: Option<Uuid>,
    pub status: Option<String>,
}

/// Every failure the service layer can answer with. Equal errors answer the same code,
/// message and extensions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
pub enum AppError {
    #[error("Authentication required: send a valid, unexpired bearer token of an active user.")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("No {0} with that id exists.")]
    NotFound(&'static str),
    #[error("{message}")]
    BadInput {
        message: String,
        field: Option<&'static str>,
    },
    #[error("{}", transition_message(*.action, *.from, .allowed, *.detail))]
    InvalidTransition {
        action: LifecycleAction,
        from: ClientStatus,
        /// The rule's statuses (rules are static data).
        allowed: &'static [ClientStatus],
        /// Why not, when the status alone allows it (the rules' own sentences).
        detail: Option<&'static str>,
    },
    /// A contact or workflow is not in a state that allows the change.
    #[error("{0}")]
    State(String),
    #[error("The client was changed by someone else: it is at version {actual}, not {expected}. Reload it and try again.")]
    VersionConflict { expected: i32, actual: i32 },
    #[error("The e-mail address {email} is already in use by a {kind}: emailHolder(email: \"{email}\", among: {among}) shows which one. Permanently delete that {kind} to free the address, or use another one.", kind = .holder.kind.to_lowercase(), among = if .holder.kind == "CLIENT" { "CLIENTS" } else { "CONTACTS_AND_STAFF" })]
    EmailInUse { email: String, holder: EmailHolder },
    #[error("The name typed does not match the client's name exactly; nothing was deleted.")]
    ConfirmationMismatch,
    /// `count` ACTIVE workflows; their ids when known (a verdict of a page knows only
    /// how many: see `lifecycle::Active`).
    #[error("The client has {count} active workflow(s); complete or cancel them first.")]
    ActiveWorkflows {
        count: usize,
        workflow_ids: Vec<Uuid>,
    },
    #[error("{0}")]
    AccountOwnerRequired(String),
    #[error("{0}")]
    SelfPayingClient(String),
    #[error("internal error: {0}")]
    Internal(String),
    /// Work not started because the request's time was running out; answered as
    /// `INTERNAL`, like a request timeout, with this message.
    #[error("{0}")]
    OutOfTime(String),
}

fn transition_message(
    action: LifecycleAction,
    from: ClientStatus,
    allowed: &[ClientStatus],
    detail: Option<&str>,
) -> String {
    let action = action_name(action);
    if let Some(detail) = detail {
        return format!("Cannot {action}: {detail}");
    }
    let allowed: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
    format!(
        "Cannot {action} a client that is {}; allowed only from {}.",
        from.as_str(),
        allowed.join(", ")
    )
}

/// The action's API spelling, e.g. `SUSPEND`.
pub fn action_name(action: LifecycleAction) -> String {
    use sea_orm::ActiveEnum;
    action.to_value()
}

impl AppError {
    pub fn bad_input(message: impl Into<String>) -> Self {
        AppError::BadInput {
            message: message.into(),
            field: None,
        }
    }

    pub fn bad_field(field: &'static str, message: impl Into<String>) -> Self {
        AppError::BadInput {
            message: message.into(),
            field: Some(field),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden(message.into())
    }

    /// Logs the cause and returns an opaque internal error.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        AppError::Internal(cause.to_string())
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Unauthenticated => ErrorCode::Unauthenticated,
            AppError::Forbidden(_) => ErrorCode::Forbidden,
            AppError::NotFound(_) => ErrorCode::NotFound,
            AppError::BadInput { .. } => ErrorCode::BadUserInput,
            AppError::InvalidTransition { .. } | AppError::State(_) => ErrorCode::InvalidTransition,
            AppError::VersionConflict { .. } => ErrorCode::VersionConflict,
            AppError::EmailInUse { .. } => ErrorCode::EmailInUse,
            AppError::ConfirmationMismatch => ErrorCode::ConfirmationMismatch,
            AppError::ActiveWorkflows { .. } => ErrorCode::ActiveWorkflows,
            AppError::AccountOwnerRequired(_) => ErrorCode::AccountOwnerRequired,
            AppError::SelfPayingClient(_) => ErrorCode::SelfPayingClient,
            AppError::Internal(_) | AppError::OutOfTime(_) => ErrorCode::Internal,
        }
    }

    /// The message a user may see (internal causes stay in the logs).
    pub fn public_message(&self) -> String {
        match self {
            AppError::Internal(_) => INTERNAL_MESSAGE.to_string(),
            other => other.to_string(),
        }
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        crate::db::note_error(&err);
        AppError::internal(format!("database: {err}"))
    }
}

impl ErrorExtensions for AppError {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.public_message()).extend_with(|_, e| {
            e.set("code", self.code().as_str());
            match self {
                AppError::BadInput {
                    field: Some(field), ..
                } => e.set("field", *field),
                AppError::InvalidTransition {
                    action,
                    from,
                    allowed,
                    ..
                } => {
                    e.set("action", action_name(*action));
                    e.set("currentStatus", from.as_str());
                    e.set(
                        "allowedStatuses",
                        Value::List(allowed.iter().map(|s| Value::from(s.as_str())).collect()),
                    );
                }
                AppError::VersionConflict { expected, actual } => {
                    e.set("expectedVersion", *expected);
                    e.set("currentVersion", *actual);
                }
                AppError::EmailInUse { holder, .. } => {
                    e.set("holderKind", holder.kind);
                    if let Some(id) = holder.id {
                        e.set("holderId", id.to_string());
                    }
                    if let Some(status) = &holder.status {
                        e.set("holderStatus", status.as_str());
                    }
                }
                AppError::ActiveWorkflows { workflow_ids, .. } => e.set(
                    "workflowIds",
                    Value::List(
                        workflow_ids
                            .iter()
                            .map(|id| Value::from(id.to_string()))
                            .collect(),
                    ),
                ),
                _ => {}
            }
        })
    }
}

/// Shorthand for service results.
pub type AppResult<T> = Result<T, AppError>;

/// Ends a service call in a resolver: keeps the code in `extensions`.
pub trait ResultExt<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> ResultExt<T> for AppResult<T> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| e.extend())
    }
}
