//! Query roots, one per area, merged in `schema`.

use async_graphql::{Context, Enum, InputObject, Object, ID};
use entity::Role as DbRole;

use super::context::ContextExt;
use super::guards::RoleGuard;
use super::types::{
    Client, ClientConnection, ClientStatus, ClientStatusCount, HistoryScope,
    LifecycleEventConnection, User,
};
use crate::domain::{parse_id, SearchText};
use crate::error::ResultExt;
use crate::service::clients::{ClientFilter, SortField, SortOrder};
use crate::service::pagination::PageArgs;
use crate::service::{audit, clients, users};

/// Filters of the client list; all given filters must match.
#[derive(InputObject, Default)]
pub struct ClientFilterInput {
    /// Only clients in one of these statuses.
    pub status: Option<Vec<ClientStatus>>,
    /// Case-insensitive text found in the name or e-mail address.
    pub search: Option<String>,
    /// Only clients with (true) or without (false) a scheduled decommission.
    pub decommission_scheduled: Option<bool>,
    /// Only clients with (true) or without (false) portal access.
    pub portal_access: Option<bool>,
    /// Only clients the viewer is an ACTIVE stakeholder of (true).
    pub assigned_to_me: Option<bool>,
}

/// Fields the client list can be sorted by.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ClientOrderField {
    /// Alphabetical by name (byte order).
    Name,
    /// By creation time.
    CreatedAt,
    /// By time of the last change.
    UpdatedAt,
    /// By time of the last status change.
    StatusChangedAt,
}

/// Sort direction.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum OrderDirection {
    /// Smallest first.
    Asc,
    /// Largest first.
    Desc,
}

/// How to sort the client list; ties are broken by id in the same direction.
#[derive(InputObject)]
pub struct ClientOrder {
    /// The field to sort by.
    pub field: ClientOrderField,
    /// The direction.
    pub direction: OrderDirection,
}

/// Reading clients.
#[derive(Default)]
pub struct ClientQuery;

/// Reading clients.
#[Object]
impl ClientQuery {
    /// One client of the viewer's firm, or null when no such client exists there.
    async fn client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client's id.")] id: ID,
    ) -> async_graphql::Result<Option<Client>> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let id = parse_id("id", &id).gql()?;
        match clients::get(svc, actor, id).await {
            Ok(c) => Ok(Some(Client(c))),
            Err(crate::error::AppError::NotFound(_)) => Ok(None),
            Err(e) => Err(e).gql(),
        }
    }

    /// The firm's clients as a Relay connection (keyset pagination), newest first by
    /// default.
    #[graphql(complexity = "super::limits::page_complexity(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn clients(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which clients to list.")] filter: Option<ClientFilterInput>,
        #[graphql(desc = "Sort order; default CREATED_AT DESC.")] order_by: Option<ClientOrder>,
        #[graphql(desc = "Page size from the start (at most 100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts.")] after: Option<String>,
        #[graphql(desc = "Page size from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Cursor before which the page ends.")] before: Option<String>,
    ) -> async_graphql::Result<ClientConnection> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let f = filter.unwrap_or_default();
        let filter = ClientFilter {
            status: f.status.map(|v| v.into_iter().map(Into::into).collect()),
            search: SearchText::parse(f.search.as_deref()).gql()?,
            decommission_scheduled: f.decommission_scheduled,
            portal_access: f.portal_access,
            assigned_to: f
                .assigned_to_me
                .unwrap_or(false)
                .then(|| actor.user_id())
                .flatten(),
        };
        let order = order_by.map_or_else(SortOrder::default, |o| SortOrder {
            field: match o.field {
                ClientOrderField::Name => SortField::Name,
                ClientOrderField::CreatedAt => SortField::CreatedAt,
                ClientOrderField::UpdatedAt => SortField::UpdatedAt,
                ClientOrderField::StatusChangedAt => SortField::StatusChangedAt,
            },
            descending: o.direction == OrderDirection::Desc,
        });
        let page = PageArgs {
            first,
            after,
            last,
            before,
        };
        let wanted = super::loaders::Wanted::of_page(ctx);
        let listed = clients::list(svc, actor, &filter, order, &page, wanted.page_extras())
            .await
            .gql()?;
        let result = listed.page;
        let rows: Vec<_> = result.items.iter().map(|(_, c)| c).collect();
        super::loaders::prefetch_for_clients(
            ctx,
            svc,
            &rows,
            &wanted,
            listed.latest_events,
            listed.counts,
        )
        .await?;
        Ok(ClientConnection::new(result, filter))
    }

    /// The number of the firm's clients in every status (zeros included), for tabs.
    async fn client_status_counts(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ClientStatusCount>> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let counts = clients::status_counts(svc, actor).await.gql()?;
        Ok(counts
            .into_iter()
            .map(|(status, count)| ClientStatusCount {
                status: status.into(),
                count,
            })
            .collect())
    }
}

/// Reading staff and the audit trail.
#[derive(Default)]
pub struct StaffQuery;

/// Reading staff and the audit trail.
#[Object]
impl StaffQuery {
    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        match ctx.actor()? {
            crate::service::Actor::Staff(u) => Ok(User(u.clone())),
            crate::service::Actor::Scheduler { .. } => {
                Err(crate::error::AppError::Unauthenticated).gql()
            }
        }
    }

    /// The firm's staff, by name.
    async fn users(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<User>> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        Ok(users::list(svc, actor)
            .await
            .gql()?
            .into_iter()
            .map(User)
            .collect())
    }

    /// Every lifecycle event of the firm, newest first (ADMIN).
    #[graphql(
        guard = "RoleGuard(DbRole::Admin)",
        complexity = "super::limits::page_complexity(first, last, child_complexity)"
    )]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start (at most 100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts.")] after: Option<String>,
        #[graphql(desc = "Page size from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Cursor before which the page ends.")] before: Option<String>,
    ) -> async_graphql::Result<LifecycleEventConnection> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let page = PageArgs {
            first,
            after,
            last,
            before,
        };
        let result = audit::audit_log(svc, actor, &page).await.gql()?;
        Ok(LifecycleEventConnection::new(result, HistoryScope::Firm))
    }
}
