//! One mutation per action of the transition table.

use async_graphql::{Context, ErrorExtensions, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::LifecycleAction as A;
use uuid::Uuid;

use crate::domain::{parse_id, ConfirmName, Feedback};
use crate::error::{AppError, AppResult, ResultExt};
use crate::graphql::context::ContextExt;
use crate::graphql::guards::ActionGuard;
use crate::graphql::types::{Client, LifecycleEvent, LifecycleReason};
use crate::service::lifecycle::{self, ActionArgs, Command, Outcome};

/// Declares a lifecycle input: the common fields, then the action's own.
macro_rules! lifecycle_input {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$doc])*
        #[derive(InputObject)]
        pub struct $name {
            /// The client to act on.
            pub client_id: ID,
            /// Refuse with VERSION_CONFLICT unless the client is still at this version.
            pub expected_version: Option<i32>,
            /// Why the action is taken (stored on the event).
            pub reason: Option<LifecycleReason>,
            /// Optional free-text feedback, up to 2,000 characters (stored on the event).
            pub feedback: Option<String>,
            $($(#[$fdoc])* pub $field: $ty,)*
        }

        impl $name {
            fn common(&self) -> AppResult<(Uuid, Command)> {
                Ok((
                    parse_id("clientId", &self.client_id)?,
                    Command {
                        expected_version: self.expected_version,
                        reason: self.reason.map(Into::into),
                        feedback: Feedback::parse(self.feedback.as_deref())?,
                        args: ActionArgs::default(),
                    },
                ))
            }
        }
    };
}

/// Declares the payload of an action that leaves the client in place.
macro_rules! lifecycle_payload {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(SimpleObject)]
        pub struct $name {
            /// The client after the action.
            pub client: Client,
            /// The event written to the client's history.
            pub event: LifecycleEvent,
        }

        impl $name {
            fn from_outcome(out: Outcome) -> async_graphql::Result<Self> {
                let client = out
                    .client
                    .ok_or_else(|| AppError::internal("client missing after action").extend())?;
                Ok($name {
                    client: Client(client),
                    event: LifecycleEvent(out.event),
                })
            }
        }
    };
}

lifecycle_input!(
    /// Activate a PROSPECT or PENDING client.
    ActivateClientInput {}
);
lifecycle_input!(
    /// Schedule a PROSPECT or PENDING client's activation.
    ScheduleActivationInput {
        /// When to activate; must be in the future.
        at: DateTime<Utc>,
    }
);
lifecycle_input!(
    /// Suspend an ACTIVE client.
    SuspendClientInput {}
);
lifecycle_input!(
    /// Unsuspend a SUSPENDED client.
    UnsuspendClientInput {}
);
lifecycle_input!(
    /// Deactivate an ACTIVE or SUSPENDED client.
    DeactivateClientInput {
        /// Also send the confirmation e-mail to the client (default false).
        notify_client: Option<bool>,
    }
);
lifecycle_input!(
    /// Reactivate an INACTIVE client.
    ReactivateClientInput {}
);
lifecycle_input!(
    /// Archive an ACTIVE, SUSPENDED or INACTIVE client.
    ArchiveClientInput {}
);
lifecycle_input!(
    /// Unarchive an ARCHIVED client.
    UnarchiveClientInput {}
);
lifecycle_input!(
    /// Discard (soft-delete) a client.
    DiscardClientInput {}
);
lifecycle_input!(
    /// Restore a DISCARDED client as a PROSPECT.
    RestoreClientInput {}
);
lifecycle_input!(
    /// Decommission a client now or at a later date.
    DecommissionClientInput {
        /// When; absent or in the past means now (irreversible), in the future only
        /// schedules it.
        effective_at: Option<DateTime<Utc>>,
    }
);
lifecycle_input!(
    /// Cancel a client's scheduled decommission.
    CancelScheduledDecommissionInput {}
);
lifecycle_input!(
    /// Disconnect a client, handing its account to an account owner.
    DisconnectClientInput {
        /// The ACTIVE contact of the client who takes the account over.
        account_owner_contact_id: Option<ID>,
    }
);
lifecycle_input!(
    /// Permanently delete a client.
    DeleteClientInput {
        /// The client's name, typed exactly, to confirm.
        confirm_name: String,
    }
);
lifecycle_input!(
    /// Revoke a client's portal access.
    RevokePortalAccessInput {}
);
lifecycle_input!(
    /// Restore a client's portal access.
    RestorePortalAccessInput {}
);

lifecycle_payload!(
    /// The result of `activateClient`.
    ActivateClientPayload
);
lifecycle_payload!(
    /// The result of `scheduleActivation`.
    ScheduleActivationPayload
);
lifecycle_payload!(
    /// The result of `suspendClient`.
    SuspendClientPayload
);
lifecycle_payload!(
    /// The result of `unsuspendClient`.
    UnsuspendClientPayload
);
lifecycle_payload!(
    /// The result of `deactivateClient`.
    DeactivateClientPayload
);
lifecycle_payload!(
    /// The result of `reactivateClient`.
    ReactivateClientPayload
);
lifecycle_payload!(
    /// The result of `archiveClient`.
    ArchiveClientPayload
);
lifecycle_payload!(
    /// The result of `unarchiveClient`.
    UnarchiveClientPayload
);
lifecycle_payload!(
    /// The result of `restoreClient`.
    RestoreClientPayload
);
lifecycle_payload!(
    /// The result of `decommissionClient`.
    DecommissionClientPayload
);
lifecycle_payload!(
    /// The result of `cancelScheduledDecommission`.
    CancelScheduledDecommissionPayload
);
lifecycle_payload!(
    /// The result of `disconnectClient`.
    DisconnectClientPayload
);
lifecycle_payload!(
    /// The result of `revokePortalAccess`.
    RevokePortalAccessPayload
);
lifecycle_payload!(
    /// The result of `restorePortalAccess`.
    RestorePortalAccessPayload
);

/// The result of `discardClient`.
#[derive(SimpleObject)]
pub struct DiscardClientPayload {
    /// The client, now DISCARDED; null when it was purged.
    pub client: Option<Client>,
    /// The event written to the client's history.
    pub event: LifecycleEvent,
    /// True when the client was removed entirely (discarded in its loading phase).
    pub purged: bool,
}

/// The result of `deleteClient`.
#[derive(SimpleObject)]
pub struct DeleteClientPayload {
    /// The id of the client that no longer exists.
    pub deleted_client_id: ID,
    /// The DELETE event, kept in the audit trail.
    pub event: LifecycleEvent,
}

async fn run(
    ctx: &Context<'_>,
    action: A,
    client_id: Uuid,
    cmd: Command,
) -> async_graphql::Result<Outcome> {
    let svc = ctx.services()?;
    let actor = ctx.actor()?;
    lifecycle::perform(svc, actor, client_id, action, cmd)
        .await
        .gql()
}

/// The lifecycle actions of the transition table.
#[derive(Default)]
pub struct LifecycleMutation;

/// The lifecycle actions of the transition table.
#[Object]
impl LifecycleMutation {
    /// PROSPECT or PENDING to ACTIVE (MANAGER). Clears a scheduled activation.
    #[graphql(guard = "ActionGuard(A::Activate)")]
    async fn activate_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client to activate.")] input: ActivateClientInput,
    ) -> async_graphql::Result<ActivateClientPayload> {
        let (id, cmd) = input.common().gql()?;
        ActivateClientPayload::from_outcome(run(ctx, A::Activate, id, cmd).await?)
    }

    /// PROSPECT or PENDING to PENDING, activated by the scheduler at `at` (MANAGER).
    #[graphql(guard = "ActionGuard(A::ScheduleActivation)")]
    async fn schedule_activation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client and the time.")] input: ScheduleActivationInput,
    ) -> async_graphql::Result<ScheduleActivationPayload> {
        let (id, mut cmd) = input.common().gql()?;
        cmd.args.at = Some(input.at);
        ScheduleActivationPayload::from_outcome(run(ctx, A::ScheduleActivation, id, cmd).await?)
    }

    /// ACTIVE to SUSPENDED (MANAGER).
    #[graphql(guard = "ActionGuard(A::Suspend)")]
    async fn suspend_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client to suspend.")] input: SuspendClientInput,
    ) -> async_graphql::Result<SuspendClientPayload> {
        let (id, cmd) = input.common().gql()?;
        SuspendClientPayload::from_outcome(run(ctx, A::Suspend, id, cmd).await?)
    }

    /// SUSPENDED to ACTIVE (MANAGER).
    #[graphql(guard = "ActionGuard(A::Unsuspend)")]
    async fn unsuspend_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client to unsuspend.")] input: UnsuspendClientInput,
    ) -> async_graphql::Result<UnsuspendClientPayload> {
        let (id, cmd) = input.common().gql()?;
        UnsuspendClientPayload::from_outcome(run(ctx, A::Unsuspend, id, cmd).await?)
    }

    /// ACTIVE or SUSPENDED to INACTIVE (ADMIN); refused with SELF_PAYING_CLIENT for
    /// self-paying clients.
    #[graphql(guard = "ActionGuard(A::Deactivate)")]
    async fn deactivate_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client to deactivate.")] input: DeactivateClientInput,
    ) -> async_graphql::Result<DeactivateClientPayload> {
        let (id, mut cmd) = input.common().gql()?;
        cmd.args.notify_client = input.notify_client.unwrap_or(false);
        DeactivateClientPayload::from_outcome(run(ctx, A::Deactivate, id, cmd).await?)
    }

    /// INACTIVE to ACTIVE (ADMIN).
    #[graphql(guard = "ActionGuard(A::Reactivate)")]
    async fn reactivate_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client to reactivate.")] input: ReactivateClientInput,
    ) -> async_graphql::Result<ReactivateClientPayload> {
        let (id, cmd) = input.common().gql()?;
        ReactivateClientPayload::from_outcome(run(ctx, A::Reactivate, id, cmd).await?)
    }

    /// ACTIVE, SUSPENDED or INACTIVE to ARCHIVED (MANAGER); remembers the status left.
    #[graphql(guard = "ActionGuard(A::Archive)")]
    async fn archive_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client to archive.")] input: ArchiveClientInput,
    ) -> async_graphql::Result<ArchiveClientPayload> {
        let (id, cmd) = input.common().gql()?;
        ArchiveClientPayload::from_outcome(run(ctx, A::Archive, id, cmd).await?)
    }

    /// ARCHIVED back to the status it had before archiving (MANAGER).
    #[graphql(guard = "ActionGuard(A::Unarchive)")]
    async fn unarchive_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client to unarchive.")] input: UnarchiveClientInput,
    ) -> async_graphql::Result<UnarchiveClientPayload> {
        let (id, cmd) = input.common().gql()?;
        UnarchiveClientPayload::from_outcome(run(ctx, A::Unarchive, id, cmd).await?)
    }

    /// Any status but DISCARDED, DECOMMISSIONED and DISCONNECTED to DISCARDED (MANAGER).
    #[graphql(guard = "ActionGuard(A::Discard)")]
    async fn discard_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client to discard.")] input: DiscardClientInput,
    ) -> async_graphql::Result<DiscardClientPayload> {
        let (id, cmd) = input.common().gql()?;
        let out = run(ctx, A::Discard, id, cmd).await?;
        Ok(DiscardClientPayload {
            client: out.client.map(Client),
            event: LifecycleEvent(out.event),
            purged: out.purged,
        })
    }

    /// DISCARDED to PROSPECT (MANAGER).
    #[graphql(guard = "ActionGuard(A::Restore)")]
    async fn restore_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client to restore.")] input: RestoreClientInput,
    ) -> async_graphql::Result<RestoreClientPayload> {
        let (id, cmd) = input.common().gql()?;
        RestoreClientPayload::from_outcome(run(ctx, A::Restore, id, cmd).await?)
    }

    /// PENDING, ACTIVE, SUSPENDED or INACTIVE to DECOMMISSIONED (ADMIN): now and
    /// irreversibly, or, with a future `effectiveAt`, scheduled for then.
    #[graphql(guard = "ActionGuard(A::Decommission)")]
    async fn decommission_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client and when.")] input: DecommissionClientInput,
    ) -> async_graphql::Result<DecommissionClientPayload> {
        let (id, mut cmd) = input.common().gql()?;
        cmd.args.effective_at = input.effective_at;
        DecommissionClientPayload::from_outcome(run(ctx, A::Decommission, id, cmd).await?)
    }

    /// Clears a scheduled decommission (ADMIN); the status is unchanged.
    #[graphql(guard = "ActionGuard(A::CancelDecommission)")]
    async fn cancel_scheduled_decommission(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client.")] input: CancelScheduledDecommissionInput,
    ) -> async_graphql::Result<CancelScheduledDecommissionPayload> {
        let (id, cmd) = input.common().gql()?;
        CancelScheduledDecommissionPayload::from_outcome(
            run(ctx, A::CancelDecommission, id, cmd).await?,
        )
    }

    /// To DISCONNECTED, handing the account to an ACTIVE contact of the client (ADMIN).
    /// A client without one is refused with ACCOUNT_OWNER_REQUIRED: delete it instead.
    #[graphql(guard = "ActionGuard(A::Disconnect)")]
    async fn disconnect_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client and its account owner.")] input: DisconnectClientInput,
    ) -> async_graphql::Result<DisconnectClientPayload> {
        let (id, mut cmd) = input.common().gql()?;
        cmd.args.account_owner_contact_id = input
            .account_owner_contact_id
            .as_deref()
            .map(|raw| parse_id("accountOwnerContactId", raw))
            .transpose()
            .gql()?;
        DisconnectClientPayload::from_outcome(run(ctx, A::Disconnect, id, cmd).await?)
    }

    /// Permanently deletes an INACTIVE, ARCHIVED, DISCARDED, DECOMMISSIONED or
    /// DISCONNECTED client (ADMIN). `confirmName` must equal its name exactly. Its events
    /// stay, with free text erased.
    #[graphql(guard = "ActionGuard(A::Delete)")]
    async fn delete_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client and its name, typed to confirm.")] input: DeleteClientInput,
    ) -> async_graphql::Result<DeleteClientPayload> {
        let (id, mut cmd) = input.common().gql()?;
        cmd.args.confirm_name = Some(ConfirmName::parse(&input.confirm_name).gql()?);
        let out = run(ctx, A::Delete, id, cmd).await?;
        Ok(DeleteClientPayload {
            deleted_client_id: ID(id.to_string()),
            event: LifecycleEvent(out.event),
        })
    }

    /// Turns portal access off, in any status (MANAGER).
    #[graphql(guard = "ActionGuard(A::RevokePortalAccess)")]
    async fn revoke_portal_access(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client.")] input: RevokePortalAccessInput,
    ) -> async_graphql::Result<RevokePortalAccessPayload> {
        let (id, cmd) = input.common().gql()?;
        RevokePortalAccessPayload::from_outcome(run(ctx, A::RevokePortalAccess, id, cmd).await?)
    }

    /// Turns portal access back on (MANAGER); not for DISCARDED, DECOMMISSIONED or
    /// DISCONNECTED clients.
    #[graphql(guard = "ActionGuard(A::RestorePortalAccess)")]
    async fn restore_portal_access(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client.")] input: RestorePortalAccessInput,
    ) -> async_graphql::Result<RestorePortalAccessPayload> {
        let (id, cmd) = input.common().gql()?;
        RestorePortalAccessPayload::from_outcome(run(ctx, A::RestorePortalAccess, id, cmd).await?)
    }
}
