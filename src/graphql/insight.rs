//! The small answers users keep asking for: who holds an address, what is scheduled,
//! and how the lifecycle went in a period.

use async_graphql::{Context, Enum, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::Role as DbRole;

use super::context::ContextExt;
use super::guards::RoleGuard;
use super::types::{Client, LifecycleAction, LifecycleReason, PageInfo};
use crate::domain::Email;
use crate::error::ResultExt;
use crate::service::emails::{self, HolderOf};
use crate::service::pagination::PageArgs;
use crate::service::{audit, scheduler};

/// What kind of row holds an e-mail address.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailHolderKind {
    /// A client of the firm (any status until it is permanently deleted).
    Client,
    /// A contact of one of the firm's clients (ACTIVE or INACTIVE).
    Contact,
    /// A staff user of the firm.
    User,
}

/// Where `emailHolder` looks. A client's address is unique among the firm's clients,
/// and a contact's or staff user's among contacts and staff, so one address may have a
/// holder in each.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum EmailScope {
    /// The firm's clients (where `createClient` and `updateClient` look).
    Clients,
    /// The firm's contacts and staff users (where `addContact`, `updateContact` and
    /// staff invitations look).
    ContactsAndStaff,
}

/// Who of the firm holds an e-mail address.
#[derive(SimpleObject)]
pub struct EmailHolder {
    /// A client, a contact or a staff user.
    pub kind: EmailHolderKind,
    /// Its id (a client id, a contact id or a user id).
    pub id: ID,
    /// Its name.
    pub name: String,
    /// The client's or contact's status; ACTIVE or INACTIVE for a staff user.
    pub status: String,
}

/// A scheduled activation or decommission not yet applied.
#[derive(SimpleObject)]
pub struct ScheduledAction {
    /// ACTIVATE or DECOMMISSION.
    pub action: LifecycleAction,
    /// The client it applies to.
    pub client: Client,
    /// When it is due (it may already be due and wait for the scheduler's next pass).
    pub at: DateTime<Utc>,
}

/// An edge of the scheduled actions.
#[derive(SimpleObject)]
pub struct ScheduledActionEdge {
    /// Opaque position, to pass as `after`.
    pub cursor: String,
    /// The scheduled action.
    pub node: ScheduledAction,
}

/// A page of scheduled actions, soonest first.
#[derive(SimpleObject)]
pub struct ScheduledActionConnection {
    /// The scheduled actions with their cursors.
    pub edges: Vec<ScheduledActionEdge>,
    /// The scheduled actions of this page, without cursors.
    pub nodes: Vec<ScheduledAction>,
    /// Pagination state.
    pub page_info: PageInfo,
}

/// How many events of one action and reason a period holds.
#[derive(SimpleObject)]
pub struct LifecycleStat {
    /// The action.
    pub action: LifecycleAction,
    /// The reason given; null for the events given none.
    pub reason: Option<LifecycleReason>,
    /// How many events.
    pub count: u64,
}

/// Who holds an address, what is scheduled, and lifecycle statistics.
#[derive(Default)]
pub struct InsightQuery;

/// Who holds an address, what is scheduled, and lifecycle statistics.
#[Object]
impl InsightQuery {
    /// The client, contact or staff user of the viewer's firm holding an e-mail address
    /// (compared case-insensitively), or null when the address is free. The answer to
    /// EMAIL_IN_USE: find the holder, then free the address by deleting it for good.
    async fn email_holder(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The e-mail address.")] email: String,
        #[graphql(
            desc = "Where to look; when omitted, the clients first, then contacts and staff."
        )]
        among: Option<EmailScope>,
    ) -> async_graphql::Result<Option<EmailHolder>> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let email = Email::parse("email", &email).gql()?;
        let book = among.map(|scope| match scope {
            EmailScope::Clients => emails::AddressBook::Clients,
            EmailScope::ContactsAndStaff => emails::AddressBook::ContactsAndStaff,
        });
        let holder = emails::holder(svc, actor, &email, book).await.gql()?;
        Ok(holder.map(|h| EmailHolder {
            kind: match h.kind {
                HolderOf::Client => EmailHolderKind::Client,
                HolderOf::Contact => EmailHolderKind::Contact,
                HolderOf::User => EmailHolderKind::User,
            },
            id: ID(h.id.to_string()),
            name: h.name,
            status: h.status,
        }))
    }

    /// The firm's scheduled activations and decommissions not yet applied, soonest
    /// first (at the same moment: activations first).
    #[graphql(complexity = "super::limits::page_complexity(first, None, child_complexity)")]
    async fn scheduled_actions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size (at most 100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts.")] after: Option<String>,
    ) -> async_graphql::Result<ScheduledActionConnection> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let page = PageArgs {
            first,
            after,
            ..PageArgs::default()
        };
        let page = scheduler::upcoming(svc, actor, &page).await.gql()?;
        let page_info = PageInfo::of(&page);
        let node = |u: &scheduler::Upcoming| ScheduledAction {
            action: u.action.into(),
            client: Client(u.client.clone()),
            at: u.at,
        };
        Ok(ScheduledActionConnection {
            nodes: page.items.iter().map(|(_, u)| node(u)).collect(),
            edges: page
                .items
                .iter()
                .map(|(cursor, u)| ScheduledActionEdge {
                    cursor: cursor.clone(),
                    node: node(u),
                })
                .collect(),
            page_info,
        })
    }

    /// How many lifecycle events of each action and reason the firm had with
    /// `from <= at < to` (either bound may be left out), the most frequent first (ADMIN).
    #[graphql(guard = "RoleGuard(DbRole::Admin)")]
    async fn lifecycle_stats(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Start of the period, inclusive.")] from: Option<DateTime<Utc>>,
        #[graphql(desc = "End of the period, exclusive.")] to: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Vec<LifecycleStat>> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let rows = audit::stats(svc, actor, from, to).await.gql()?;
        Ok(rows
            .into_iter()
            .map(|r| LifecycleStat {
                action: r.action.into(),
                reason: r.reason.map(Into::into),
                count: r.count,
            })
            .collect())
    }
}
