use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::Role as DbRole;

use crate::domain::{parse_id, Email, Name};
use crate::error::ResultExt;
use crate::graphql::context::ContextExt;
use crate::graphql::guards::RoleGuard;
use crate::graphql::types::{Billing, Client, ClientKind};
use crate::service::clients::{self, ClientPatch, NewClient};

/// A new client.
#[derive(InputObject)]
pub struct CreateClientInput {
    /// Display name, 1 to 200 characters.
    pub name: String,
    /// E-mail address; must not be held by another client of the firm.
    pub email: Option<String>,
    /// Business (default) or individual.
    pub kind: Option<ClientKind>,
    /// Who pays; FIRM_PAID by default.
    pub billing: Option<Billing>,
    /// Schedule the activation for this future time: the client is PENDING until then.
    pub activate_at: Option<DateTime<Utc>>,
    /// Create the client PENDING without a date, waiting for a manual `activateClient`.
    /// Implied by `activateAt`. Default false (a PROSPECT).
    pub pending: Option<bool>,
}

/// The result of `createClient`.
#[derive(SimpleObject)]
pub struct CreateClientPayload {
    /// The new client.
    pub client: Client,
}

/// Changes to a client's details; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateClientInput {
    /// The client to edit.
    pub client_id: ID,
    /// New display name.
    pub name: Option<String>,
    /// New e-mail address; null removes it.
    pub email: MaybeUndefined<String>,
    /// Refuse with VERSION_CONFLICT unless the client is still at this version.
    pub expected_version: Option<i32>,
}

/// The result of `updateClient`.
#[derive(SimpleObject)]
pub struct UpdateClientPayload {
    /// The client after the change.
    pub client: Client,
}

/// Creating and editing clients.
#[derive(Default)]
pub struct ClientMutation;

/// Creating and editing clients.
#[Object]
impl ClientMutation {
    /// Creates a client (MEMBER): a PROSPECT, or PENDING when `activateAt` or `pending`
    /// is given.
    #[graphql(guard = "RoleGuard(DbRole::Member)")]
    async fn create_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new client.")] input: CreateClientInput,
    ) -> async_graphql::Result<CreateClientPayload> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let new = NewClient {
            name: Name::parse("name", &input.name).gql()?,
            email: input
                .email
                .as_deref()
                .map(|e| Email::parse("email", e))
                .transpose()
                .gql()?,
            kind: input.kind.map_or(entity::ClientKind::Business, Into::into),
            billing: input.billing.map_or(entity::Billing::FirmPaid, Into::into),
            activate_at: input.activate_at,
            pending: input.pending.unwrap_or(false),
        };
        let client = clients::create(svc, actor, new).await.gql()?;
        Ok(CreateClientPayload {
            client: Client(client),
        })
    }

    /// Edits a client's name or e-mail address (MEMBER), in any status.
    #[graphql(guard = "RoleGuard(DbRole::Member)")]
    async fn update_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change.")] input: UpdateClientInput,
    ) -> async_graphql::Result<UpdateClientPayload> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let id = parse_id("clientId", &input.client_id).gql()?;
        let patch = ClientPatch {
            name: input
                .name
                .as_deref()
                .map(|n| Name::parse("name", n))
                .transpose()
                .gql()?,
            email: match input.email {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(e) => Some(Some(Email::parse("email", &e).gql()?)),
            },
            expected_version: input.expected_version,
        };
        let client = clients::update(svc, actor, id, patch).await.gql()?;
        Ok(UpdateClientPayload {
            client: Client(client),
        })
    }
}
