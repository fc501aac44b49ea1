//! Previewing a lifecycle action, and running one on many clients at once.

use std::collections::HashSet;

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::context::ContextExt;
use super::loaders::{Loaders, WorkflowsOf};
use super::types::{
    Charge, Client, ClientStatus, LifecycleAction, LifecycleEvent, LifecycleReason, Subscription,
    Workflow,
};
use crate::domain::{parse_id, ConfirmName, Feedback};
use crate::error::{AppError, ErrorCode, ResultExt};
use crate::service::bulk::{self, BulkOutcome, BulkRequest};
use crate::service::lifecycle::{self, ActionArgs, Command, Preview};

/// What `previewAction` asks about: the action and the arguments its mutation would get.
#[derive(InputObject)]
pub struct PreviewActionInput {
    /// The client.
    pub client_id: ID,
    /// The action (one of the transition table; CREATE and UPDATE are not actions).
    pub action: LifecycleAction,
    /// DEACTIVATE: whether the client would get the confirmation e-mail too.
    pub notify_client: Option<bool>,
    /// DECOMMISSION: when; absent or in the past means now.
    pub effective_at: Option<DateTime<Utc>>,
    /// SCHEDULE_ACTIVATION: when the client would be activated.
    pub at: Option<DateTime<Utc>>,
    /// DISCONNECT: the contact who would take the account over.
    pub account_owner_contact_id: Option<ID>,
    /// DELETE: the name as typed so far (empty: not typed yet).
    pub confirm_name: Option<String>,
}

/// The subscription period an action would start.
#[derive(SimpleObject)]
pub struct SubscriptionStart {
    /// INVOICED for a new period; NONE for the free rest of a period already paid for.
    pub charge: Charge,
    /// When the period would start (now).
    pub period_start: DateTime<Utc>,
    /// When it would end.
    pub period_end: DateTime<Utc>,
}

/// An e-mail an action would send.
#[derive(SimpleObject)]
pub struct PlannedNotification {
    /// The kind of message, as in `Notification.kind`.
    pub kind: String,
    /// Who would receive it.
    pub recipient: String,
}

/// What a lifecycle action would do to a client now, computed by the code that runs the
/// mutation, without changing anything. When it is not allowed, `code` and `reason` are
/// what the mutation would answer and the effects are empty.
pub struct ActionPreview(pub Preview);

/// What a lifecycle action would do to a client now, computed by the code that runs the
/// mutation, without changing anything. When it is not allowed, `code` and `reason` are
/// what the mutation would answer and the effects are empty.
#[Object]
impl ActionPreview {
    /// The action previewed.
    async fn action(&self) -> LifecycleAction {
        self.0.action.into()
    }
    /// True when the mutation, given these arguments (and any listed in
    /// `missingArguments`), would succeed now.
    async fn allowed(&self) -> bool {
        self.0.result.is_ok()
    }
    /// When not allowed: the error code the mutation would answer.
    async fn code(&self) -> Option<ErrorCode> {
        self.0.result.as_ref().err().map(AppError::code)
    }
    /// When not allowed: a sentence to show the user.
    async fn reason(&self) -> Option<String> {
        self.0.result.as_ref().err().map(AppError::public_message)
    }
    /// Arguments the mutation requires that the preview was not given (`at`,
    /// `accountOwnerContactId`, `confirmName`): the confirmation dialog asks for them.
    async fn missing_arguments(&self) -> Vec<&'static str> {
        self.0.missing.clone()
    }
    /// The client as it is now. Pass its `version` as `expectedVersion` to the mutation so
    /// that it is refused if the client changes after this preview.
    async fn client(&self) -> Client {
        Client(self.0.client.clone())
    }
    /// The status the client would have; null when it would be removed or when not allowed.
    async fn to_status(&self) -> Option<ClientStatus> {
        let p = self.0.result.as_ref().ok()?;
        p.plan.to.map(Into::into)
    }
    /// True when the client would be removed entirely (discarded in its loading phase).
    async fn purged(&self) -> bool {
        self.0.result.as_ref().is_ok_and(|p| p.plan.effects.purged)
    }
    /// True when the client's portal access would be turned off (or go with the client).
    async fn portal_access_revoked(&self) -> bool {
        self.0
            .result
            .as_ref()
            .is_ok_and(lifecycle::Prepared::portal_access_revoked)
    }
    /// The running subscription that would end.
    async fn subscription_ends(&self) -> Option<Subscription> {
        let p = self.0.result.as_ref().ok()?;
        p.plan.effects.subscription_ends.clone().map(Subscription)
    }
    /// The subscription period that would start (billing rule); null when none would.
    async fn subscription_starts(&self) -> Option<SubscriptionStart> {
        let p = self.0.result.as_ref().ok()?;
        let (period_start, period_end, charge) =
            p.plan.effects.subscription_start.as_ref()?.period(p.now)?;
        Some(SubscriptionStart {
            charge: charge.into(),
            period_start,
            period_end,
        })
    }
    /// ACTIVE workflows that would become ARCHIVED.
    async fn workflows_archived(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Workflow>> {
        let ids = self
            .0
            .result
            .as_ref()
            .map(|p| p.plan.effects.workflows_archived.clone());
        self.workflows(ctx, ids.unwrap_or_default()).await
    }
    /// ACTIVE workflows that would become CANCELLED.
    async fn workflows_cancelled(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Workflow>> {
        let ids = self
            .0
            .result
            .as_ref()
            .map(|p| p.plan.effects.workflows_cancelled.clone());
        self.workflows(ctx, ids.unwrap_or_default()).await
    }
    /// The e-mails that would be sent.
    async fn notifications(&self) -> Vec<PlannedNotification> {
        let Ok(p) = &self.0.result else {
            return Vec::new();
        };
        p.notifications
            .iter()
            .map(|d| PlannedNotification {
                kind: d.kind.to_string(),
                recipient: d.recipient.clone(),
            })
            .collect()
    }
    /// E-mail addresses that would become free for others (the client's and its
    /// contacts', when the client would be removed).
    async fn email_addresses_freed(&self) -> Vec<String> {
        self.0
            .result
            .as_ref()
            .map(lifecycle::Prepared::freed_emails)
            .unwrap_or_default()
    }
}

impl ActionPreview {
    async fn workflows(
        &self,
        ctx: &Context<'_>,
        ids: Vec<Uuid>,
    ) -> async_graphql::Result<Vec<Workflow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let wanted: HashSet<Uuid> = ids.into_iter().collect();
        let all = ctx
            .data::<Loaders>()?
            .children
            .load_one(WorkflowsOf(self.0.client.id))
            .await?
            .unwrap_or_default();
        Ok(all
            .into_iter()
            .filter(|w| wanted.contains(&w.id))
            .map(Workflow)
            .collect())
    }
}

fn optional_id(field: &'static str, raw: Option<&ID>) -> async_graphql::Result<Option<Uuid>> {
    raw.map(|id| parse_id(field, id)).transpose().gql()
}

/// Previewing actions.
#[derive(Default)]
pub struct PreviewQuery;

/// Previewing actions.
#[Object]
impl PreviewQuery {
    /// What a lifecycle action would do to a client now, without doing it: whether it is
    /// allowed (with the same code and reason as `availableActions` and the mutation),
    /// the status it leads to, and every effect (subscription, workflows, e-mails, freed
    /// addresses, portal access). A role that may not act gets `allowed: false` with
    /// FORBIDDEN. Arguments not given are listed in `missingArguments` rather than
    /// refused; those given are judged as the mutation judges them.
    async fn preview_action(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client, the action and its arguments.")] input: PreviewActionInput,
    ) -> async_graphql::Result<ActionPreview> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let client_id = parse_id("clientId", &input.client_id).gql()?;
        let confirm_name = match input.confirm_name.as_deref() {
            None | Some("") => None,
            Some(raw) => Some(ConfirmName::parse(raw).gql()?),
        };
        let args = ActionArgs {
            at: input.at,
            notify_client: input.notify_client.unwrap_or(false),
            effective_at: input.effective_at,
            account_owner_contact_id: optional_id(
                "accountOwnerContactId",
                input.account_owner_contact_id.as_ref(),
            )?,
            confirm_name,
            preview: true,
        };
        lifecycle::preview(svc, actor, client_id, input.action.into(), args)
            .await
            .gql()
            .map(ActionPreview)
    }
}

/// One lifecycle action for many clients.
#[derive(InputObject)]
pub struct BulkLifecycleActionInput {
    /// The action. DISCONNECT and DELETE take a confirmation per client and are not
    /// available in bulk.
    pub action: LifecycleAction,
    /// The clients, 1 to 500 distinct ids; results come back in this order.
    pub client_ids: Vec<ID>,
    /// Why (stored on every event).
    pub reason: Option<LifecycleReason>,
    /// Optional free-text feedback, up to 2,000 characters (stored on every event).
    pub feedback: Option<String>,
    /// True: change nothing and answer each client's preview instead.
    pub dry_run: Option<bool>,
    /// SCHEDULE_ACTIVATION (required): when to activate.
    pub at: Option<DateTime<Utc>>,
    /// DECOMMISSION: when; absent or in the past means now.
    pub effective_at: Option<DateTime<Utc>>,
    /// DEACTIVATE: also e-mail each client (default false).
    pub notify_client: Option<bool>,
}

/// What happened to one client of a bulk action.
pub struct BulkActionResult {
    client_id: Uuid,
    outcome: BulkOutcome,
}

/// What happened to one client of a bulk action.
#[Object]
impl BulkActionResult {
    /// The client, as given.
    async fn client_id(&self) -> ID {
        ID(self.client_id.to_string())
    }
    /// True when the action was applied (on a dry run: when it would be).
    async fn ok(&self) -> bool {
        self.outcome.ok()
    }
    /// When not ok: the error code the single mutation would answer.
    async fn code(&self) -> Option<ErrorCode> {
        self.outcome.error().map(AppError::code)
    }
    /// When not ok: a sentence to show the user.
    async fn message(&self) -> Option<String> {
        self.outcome.error().map(AppError::public_message)
    }
    /// The event written (null on a dry run or a refusal).
    async fn event(&self) -> Option<LifecycleEvent> {
        match &self.outcome {
            BulkOutcome::Applied(out) => Some(LifecycleEvent(out.event.clone())),
            _ => None,
        }
    }
    /// The client after the action (null when refused, removed, or on a dry run of a
    /// missing client); on a dry run, the client as it is.
    async fn client(&self) -> Option<Client> {
        match &self.outcome {
            BulkOutcome::Applied(out) => out.client.clone().map(Client),
            BulkOutcome::Previewed(p) => Some(Client(p.client.clone())),
            BulkOutcome::Refused(_) => None,
        }
    }
    /// On a dry run: what the action would do to this client.
    async fn preview(&self) -> Option<ActionPreview> {
        match &self.outcome {
            BulkOutcome::Previewed(p) => Some(ActionPreview((**p).clone())),
            _ => None,
        }
    }
}

/// The result of `bulkLifecycleAction`.
#[derive(SimpleObject)]
pub struct BulkLifecycleActionPayload {
    /// One result per client, in the order given.
    pub results: Vec<BulkActionResult>,
    /// How many were applied (on a dry run: would be).
    pub succeeded: i32,
    /// How many were refused.
    pub failed: i32,
}

/// Bulk actions.
#[derive(Default)]
pub struct BulkMutation;

/// Bulk actions.
#[Object]
impl BulkMutation {
    /// Runs one lifecycle action on up to 500 clients, each in its own transaction with
    /// its own event, so one refusal never blocks the others; answers one result per
    /// client. With `dryRun`, nothing changes and each result carries its preview. A
    /// role below the action's minimum gets FORBIDDEN for every client.
    async fn bulk_lifecycle_action(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action, the clients and the shared arguments.")]
        input: BulkLifecycleActionInput,
    ) -> async_graphql::Result<BulkLifecycleActionPayload> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let client_ids = input
            .client_ids
            .iter()
            .map(|id| parse_id("clientIds", id))
            .collect::<Result<Vec<_>, _>>()
            .gql()?;
        let request = BulkRequest {
            action: input.action.into(),
            client_ids,
            command: Command {
                expected_version: None,
                reason: input.reason.map(Into::into),
                feedback: Feedback::parse(input.feedback.as_deref()).gql()?,
                args: ActionArgs {
                    at: input.at,
                    notify_client: input.notify_client.unwrap_or(false),
                    effective_at: input.effective_at,
                    ..ActionArgs::default()
                },
            },
            dry_run: input.dry_run.unwrap_or(false),
        };
        let stop_starting = ctx
            .data_opt::<super::context::RequestDeadline>()
            .map(|d| d.stop_starting);
        let results = bulk::run(svc, actor, request, stop_starting).await.gql()?;
        let succeeded = results.iter().filter(|(_, o)| o.ok()).count();
        let failed = results.len() - succeeded;
        Ok(BulkLifecycleActionPayload {
            results: results
                .into_iter()
                .map(|(client_id, outcome)| BulkActionResult { client_id, outcome })
                .collect(),
            succeeded: i32::try_from(succeeded).unwrap_or(i32::MAX),
            failed: i32::try_from(failed).unwrap_or(i32::MAX),
        })
    }
}
