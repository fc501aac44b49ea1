//! One lifecycle action on many clients: each client in its own transaction, so one
//! refusal never blocks the others.

use std::collections::HashSet;

use entity::LifecycleAction;
use uuid::Uuid;

use super::lifecycle::{self, Command, Outcome, Preview};
use super::{Actor, Services};
use crate::error::{AppError, AppResult};

/// The most clients one request may name.
pub const MAX_CLIENTS: usize = 500;

/// What a bulk action asks for.
#[derive(Debug, Clone)]
pub struct BulkRequest {
    pub action: LifecycleAction,
    pub client_ids: Vec<Uuid>,
    /// Reason, feedback and the arguments shared by every client.
    pub command: Command,
    /// Change nothing; answer each client's preview.
    pub dry_run: bool,
}

/// What happened to one client.
#[derive(Debug, Clone)]
pub enum BulkOutcome {
    Applied(Box<Outcome>),
    /// A dry run: what would happen (allowed or not).
    Previewed(Box<Preview>),
    /// Refused before anything was planned (role, missing client) or by the rules.
    Refused(AppError),
}

impl BulkOutcome {
    /// True when applied, or on a dry run when it would be.
    pub fn ok(&self) -> bool {
        match self {
            BulkOutcome::Applied(_) => true,
            BulkOutcome::Previewed(p) => p.result.is_ok(),
            BulkOutcome::Refused(_) => false,
        }
    }

    pub fn error(&self) -> Option<&AppError> {
        match self {
            BulkOutcome::Applied(_) => None,
            BulkOutcome::Previewed(p) => p.result.as_ref().err(),
            BulkOutcome::Refused(e) => Some(e),
        }
    }
}

/// Checks what is wrong with the request as a whole, before any client is touched.
fn validate(req: &BulkRequest) -> AppResult<()> {
    let field = "clientIds";
    if req.client_ids.is_empty() {
        return Err(AppError::bad_field(field, "Give at least one client id."));
    }
    if req.client_ids.len() > MAX_CLIENTS {
        return Err(AppError::bad_field(
            field,
            format!(
                "At most {MAX_CLIENTS} clients per request; {} were given.",
                req.client_ids.len()
            ),
        ));
    }
    let mut seen = HashSet::with_capacity(req.client_ids.len());
    if let Some(dup) = req.client_ids.iter().find(|id| !seen.insert(**id)) {
        return Err(AppError::bad_field(
            field,
            format!("Client {dup} is named more than once."),
        ));
    }
    match req.action {
        LifecycleAction::Disconnect | LifecycleAction::Delete => {
            return Err(AppError::bad_field(
                "action",
                "DISCONNECT and DELETE need a confirmation for each client (an account \
                 owner, the client's name); use disconnectClient or deleteClient.",
            ))
        }
        LifecycleAction::Create | LifecycleAction::Update => {
            return Err(AppError::bad_field(
                "action",
                "CREATE and UPDATE are not lifecycle actions.",
            ))
        }
        _ => {}
    }
    if let Some(missing) = lifecycle::missing_arguments(req.action, &req.command.args).first() {
        return Err(AppError::bad_field(
            missing,
            format!("{missing} is required for this action."),
        ));
    }
    Ok(())
}

/// What a client past the time budget is answered.
const NOT_ATTEMPTED: &str = "Not attempted: the request was running out of time before \
                             this client's turn, and nothing was changed for it. Send it again.";

/// Runs the action on each client in turn, each in its own transaction (or previews it on
/// a dry run), and answers one outcome per client in the order given. No client is
/// started after `stop_starting`: those left are answered as not attempted, so the
/// caller learns which clients changed rather than losing the answer to a timeout.
pub async fn run(
    svc: &Services,
    actor: &Actor,
    req: BulkRequest,
    stop_starting: Option<std::time::Instant>,
) -> AppResult<Vec<(Uuid, BulkOutcome)>> {
    validate(&req)?;
    let rule = lifecycle::rule_of(req.action)
        .ok_or_else(|| AppError::bad_field("action", "Not a lifecycle action."))?;
    let mut out = Vec::with_capacity(req.client_ids.len());
    // The role is checked before any client is read, so a refusal says nothing of the ids.
    if let Err(refusal) = actor.require(rule.min_role, rule.verb) {
        for id in req.client_ids {
            out.push((id, BulkOutcome::Refused(refusal.clone())));
        }
        return Ok(out);
    }
    for id in req.client_ids {
        if stop_starting.is_some_and(|at| std::time::Instant::now() >= at) {
            out.push((
                id,
                BulkOutcome::Refused(AppError::OutOfTime(NOT_ATTEMPTED.into())),
            ));
            continue;
        }
        let outcome = if req.dry_run {
            let mut args = req.command.args.clone();
            args.preview = true;
            match lifecycle::preview(svc, actor, id, req.action, args).await {
                Ok(p) => BulkOutcome::Previewed(Box::new(p)),
                Err(e) => BulkOutcome::Refused(e),
            }
        } else {
            match lifecycle::perform(svc, actor, id, req.action, req.command.clone()).await {
                Ok(done) => BulkOutcome::Applied(Box::new(done)),
                Err(e) => BulkOutcome::Refused(e),
            }
        };
        out.push((id, outcome));
    }
    Ok(out)
}
