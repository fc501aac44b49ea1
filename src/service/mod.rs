//! The service layer: every rule of the product lives here, and every change runs in one
//! database transaction together with its audit event.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, DurationRound, Utc};
use entity::{user, Role};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// Event history and the firm-wide audit log.
pub mod audit;
/// Subscriptions and the billing rule.
pub mod billing;
/// One lifecycle action on many clients.
pub mod bulk;
/// Creating, editing, reading and listing clients.
pub mod clients;
/// Contacts of a client.
pub mod contacts;
/// Who holds an e-mail address; the firm's address book of contacts and staff.
pub mod emails;
/// Committed lifecycle events for live subscribers (LISTEN/NOTIFY on PostgreSQL).
pub mod events;
/// `Client.statusExplanation`: why a client is where it is, in one sentence.
pub mod explain;
/// Firms and their first administrator.
pub mod firms;
/// THE transition table and the one `check` that mutations and `availableActions` share.
pub mod lifecycle;
/// The transactional outbox of e-mails and its delivery worker.
pub mod outbox;
/// Keyset pagination: cursors and page windows.
pub mod pagination;
/// Client rows decoded by position for list pages.
pub mod rows;
/// Applying due scheduled activations and decommissions.
pub mod scheduler;
/// Signed-in users remembered between requests (PostgreSQL).
pub mod signed_in;
/// Staff users assigned to clients.
pub mod stakeholders;
/// Staff users and their roles.
pub mod users;
/// Webhooks and their deliveries.
pub mod webhooks;
/// Work in progress for a client.
pub mod workflows;

/// The time source of every rule. Tests move it forward instead of sleeping.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_micros: Arc<AtomicI64>,
}

impl Clock {
    /// Now, to the microsecond (what both databases store).
    pub fn now(&self) -> DateTime<Utc> {
        let now = Utc::now() + Duration::microseconds(self.offset_micros.load(Ordering::Relaxed));
        now.duration_trunc(Duration::microseconds(1)).unwrap_or(now)
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, by: Duration) {
        let micros = by.num_microseconds().unwrap_or(i64::MAX / 4);
        self.offset_micros.fetch_add(micros, Ordering::Relaxed);
    }
}

/// What every service call needs: the database and the clock.
#[derive(Debug, Clone)]
pub struct Services {
    /// Reads, and writes outside a transaction.
    pub db: DatabaseConnection,
    /// On PostgreSQL, the connections of list pages' reads ([`Services::read_all`]).
    pub pages: Option<crate::db::PageReads>,
    /// Write transactions (see [`crate::db::Pools`]); open them with
    /// [`Services::begin_write`].
    pub writer: DatabaseConnection,
    /// Whether `writer` is a pool of its own (SQLite on a file) or `db` again.
    pub separate_writer: bool,
    pub clock: Clock,
    /// Committed lifecycle events, for `clientEvents` subscribers.
    pub events: events::EventBus,
    /// Retry delay and target rules of webhooks.
    pub webhooks: webhooks::WebhookSettings,
    /// Statements sent (also by the reads that bypass SeaORM's connection).
    pub stats: Arc<crate::db::DbStats>,
    /// Users read for requests, while nothing has changed them (see `signed_in`).
    pub signed_in: Arc<signed_in::SignedIn>,
}

impl Services {
    /// Each distinct pool with its name, for the metrics.
    pub fn pool_stats(&self) -> Vec<(&'static str, crate::db::PoolStats)> {
        let mut pools = vec![("read", crate::db::pool_stats(&self.db))];
        if let Some(pages) = &self.pages {
            pools.push(("pages", crate::db::page_pool_stats(pages)));
        }
        if self.separate_writer {
            pools.push(("write", crate::db::pool_stats(&self.writer)));
        }
        pools
    }

    /// The rows of a read on `db`, outside any transaction (see `db::read_all`).
    pub async fn read_all(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Vec<sea_orm::QueryResult>, sea_orm::DbErr> {
        crate::db::read_all(&self.db, self.pages.as_ref(), &self.stats, stmt).await
    }

    /// The rows of a read on `db` decoded as `M`.
    pub async fn read_models<M: sea_orm::FromQueryResult>(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Vec<M>, sea_orm::DbErr> {
        rows::decode_all(&self.read_all(stmt).await?)
    }

    /// The rows of a SELECT built with SeaORM, read as [`Services::read_models`] does.
    pub async fn read_select<E: sea_orm::EntityTrait, M: sea_orm::FromQueryResult>(
        &self,
        select: sea_orm::Select<E>,
    ) -> Result<Vec<M>, sea_orm::DbErr> {
        use sea_orm::QueryTrait;
        self.read_models(select.build(self.db.get_database_backend()))
            .await
    }

    /// Opens a transaction that will write (`BEGIN IMMEDIATE` on SQLite).
    pub async fn begin_write(&self) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
        crate::db::begin_write(&self.writer).await
    }
}

/// Rows by client id, hashed with foldhash: the keys are this server's UUIDs, and
/// SipHash's resistance to chosen keys buys nothing for maps that live one request.
pub type IdMap<V> = std::collections::HashMap<Uuid, V, foldhash::fast::RandomState>;

/// An empty [`IdMap`] with room for `n` clients.
pub fn id_map<V>(n: usize) -> IdMap<V> {
    IdMap::with_capacity_and_hasher(n, foldhash::fast::RandomState::default())
}

/// The rows of a `VALUES` list of `n` ids for a hand-written statement, the first bound
/// as parameter `first` on PostgreSQL: `($1::uuid), ($2::uuid)` there, `(?), (?)` on
/// SQLite. Written into one text (a `format!` per id was 2% of a rich page).
pub fn id_values(backend: sea_orm::DbBackend, n: usize, first: usize) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(n * 12);
    for i in 0..n {
        if i > 0 {
            out.push_str(", ");
        }
        if backend == sea_orm::DbBackend::Postgres {
            let _ = write!(out, "(${}::uuid)", first + i);
        } else {
            out.push_str("(?)");
        }
    }
    out
}

/// A value as an SQL literal of `backend`, quoted and escaped by sea-query: for the
/// names of a closed set (statuses) that a statement carries in its text, so that
/// PostgreSQL can keep one plan for it (see `pagination::page_statement`).
pub fn literal(backend: sea_orm::DbBackend, value: &sea_orm::Value) -> String {
    use sea_orm::sea_query::{PostgresQueryBuilder, QueryBuilder, SqliteQueryBuilder};
    match backend {
        sea_orm::DbBackend::Postgres => PostgresQueryBuilder.value_to_string(value),
        _ => SqliteQueryBuilder.value_to_string(value),
    }
}

/// Who performs an action.
#[derive(Debug, Clone)]
pub enum Actor {
    /// A signed-in, active staff user.
    Staff(user::Model),
    /// The background scheduler, acting for one firm.
    Scheduler { firm_id: Uuid },
}

impl Actor {
    pub fn firm_id(&self) -> Uuid {
        match self {
            Actor::Staff(u) => u.firm_id,
            Actor::Scheduler { firm_id } => *firm_id,
        }
    }

    /// The acting user, if a person acts.
    pub fn user_id(&self) -> Option<Uuid> {
        match self {
            Actor::Staff(u) => Some(u.id),
            Actor::Scheduler { .. } => None,
        }
    }

    /// The role a person acts with; `None` for the scheduler, which is not bound by roles.
    pub fn role(&self) -> Option<Role> {
        match self {
            Actor::Staff(u) => Some(u.role),
            Actor::Scheduler { .. } => None,
        }
    }

    /// Refuses with `FORBIDDEN` unless the actor has at least `min` (the scheduler always may).
    pub fn require(&self, min: Role, what: &str) -> AppResult<()> {
        match self.role() {
            Some(role) if !role.at_least(min) => Err(AppError::forbidden(format!(
                "Only {} or above may {what}.",
                role_name(min)
            ))),
            _ => Ok(()),
        }
    }
}

/// The API spelling of a role.
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Admin => "ADMIN",
        Role::Manager => "MANAGER",
        Role::Member => "MEMBER",
        Role::Viewer => "VIEWER",
    }
}

/// A client row for unit tests: created, changed and updated at `at`, with no e-mail.
#[cfg(test)]
pub(crate) fn sample_client(
    status: entity::ClientStatus,
    at: DateTime<Utc>,
) -> entity::client::Model {
    entity::client::Model {
        id: Uuid::now_v7(),
        firm_id: Uuid::now_v7(),
        name: "Acme".into(),
        email: None,
        kind: entity::ClientKind::Business,
        billing: entity::Billing::FirmPaid,
        status,
        portal_access: true,
        activation_scheduled_at: None,
        decommission_scheduled_at: None,
        status_before_archive: None,
        account_owner_contact_id: None,
        version: 1,
        created_at: at,
        updated_at: at,
        status_changed_at: at,
    }
}
