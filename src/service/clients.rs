use chrono::{DateTime, Utc};
use entity::{client, Billing, ClientKind, ClientStatus, LifecycleAction, Role};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    Order, PaginatorTrait, QueryFilter, QuerySelect, SqlErr,
};
use uuid::Uuid;

use super::audit::{self, EventDraft};
use super::pagination::{fetch_page, Keyset, Page, PageArgs, SortValue};
use super::rows::{ClientPageRow, COUNT_COLUMNS, LATEST_COLUMNS};
use super::{emails, Actor, Services};
use crate::domain::{Email, Name, SearchText};
use crate::error::{AppError, AppResult, EmailHolder};

/// A new client.
#[derive(Debug, Clone)]
pub struct NewClient {
    pub name: Name,
    pub email: Option<Email>,
    pub kind: ClientKind,
    pub billing: Billing,
    /// Schedules the activation (PENDING until then).
    pub activate_at: Option<DateTime<Utc>>,
    /// PENDING without a date: waits for a manual activation.
    pub pending: bool,
}

/// Changes to a client's details; `email: Some(None)` removes the address.
#[derive(Debug, Clone, Default)]
pub struct ClientPatch {
    pub name: Option<Name>,
    pub email: Option<Option<Email>>,
    pub expected_version: Option<i32>,
}

/// Creates a PROSPECT, or a PENDING client when an activation is scheduled or asked for.
pub async fn create(svc: &Services, actor: &Actor, input: NewClient) -> AppResult<client::Model> {
    actor.require(Role::Member, "create clients")?;
    let now = svc.clock.now();
    if let Some(at) = input.activate_at {
        if at <= now {
            return Err(AppError::bad_field(
                "activateAt",
                "activateAt must be in the future.",
            ));
        }
    }
    let status = if input.activate_at.is_some() || input.pending {
        ClientStatus::Pending
    } else {
        ClientStatus::Prospect
    };
    let firm_id = actor.firm_id();
    let model = client::Model {
        id: Uuid::now_v7(),
        firm_id,
        name: input.name.into_inner(),
        email: input.email.map(Email::into_inner),
        kind: input.kind,
        billing: input.billing,
        status,
        portal_access: true,
        activation_scheduled_at: input.activate_at,
        decommission_scheduled_at: None,
        status_before_archive: None,
        account_owner_contact_id: None,
        version: 1,
        created_at: now,
        updated_at: now,
        status_changed_at: now,
    };
    let txn = svc.begin_write().await?;
    if let Some(email) = &model.email {
        ensure_email_free(&txn, firm_id, email, None).await?;
    }
    let active = client::ActiveModel {
        id: Set(model.id),
        firm_id: Set(model.firm_id),
        name: Set(model.name.clone()),
        email: Set(model.email.clone()),
        kind: Set(model.kind),
        billing: Set(model.billing),
        status: Set(model.status),
        portal_access: Set(model.portal_access),
        activation_scheduled_at: Set(model.activation_scheduled_at),
        decommission_scheduled_at: Set(None),
        status_before_archive: Set(None),
        account_owner_contact_id: Set(None),
        version: Set(model.version),
        created_at: Set(now),
        updated_at: Set(now),
        status_changed_at: Set(now),
    };
    let inserted = client::Entity::insert(active)
        .exec_without_returning(&txn)
        .await;
    if let Err(err) = inserted {
        // PostgreSQL aborts the transaction on the violation: read the holder outside it.
        txn.rollback().await?;
        return Err(email_clash(&svc.db, firm_id, model.email.as_deref(), err).await);
    }
    let event = audit::record(
        &txn,
        EventDraft {
            firm_id,
            client_id: model.id,
            action: LifecycleAction::Create,
            from_status: None,
            to_status: Some(status),
            actor_id: actor.user_id(),
            reason: None,
            feedback: None,
            details: input
                .activate_at
                .map(|at| serde_json::json!({ "activateAt": at })),
            at: now,
        },
    )
    .await?;
    txn.commit().await?;
    svc.events.committed(&event);
    Ok(model)
}

/// Edits a client's name or e-mail address, in any status.
pub async fn update(
    svc: &Services,
    actor: &Actor,
    client_id: Uuid,
    patch: ClientPatch,
) -> AppResult<client::Model> {
    use client::Column as C;
    actor.require(Role::Member, "edit clients")?;
    let firm_id = actor.firm_id();
    let txn = svc.begin_write().await?;
    let current = super::lifecycle::load(&txn, firm_id, client_id)
        .await?
        .ok_or(AppError::NotFound("client"))?;
    if let Some(expected) = patch.expected_version {
        if expected != current.version {
            return Err(AppError::VersionConflict {
                expected,
                actual: current.version,
            });
        }
    }
    let mut next = current.clone();
    let mut changed = Vec::new();
    if let Some(name) = patch.name {
        if name.as_str() != current.name {
            next.name = name.into_inner();
            changed.push("name");
        }
    }
    if let Some(email) = patch.email {
        let email = email.map(Email::into_inner);
        if email != current.email {
            if let Some(e) = &email {
                ensure_email_free(&txn, firm_id, e, Some(client_id)).await?;
            }
            next.email = email;
            changed.push("email");
        }
    }
    if changed.is_empty() {
        return Ok(current);
    }
    let now = svc.clock.now();
    next.version += 1;
    next.updated_at = now;
    let res = client::Entity::update_many()
        .col_expr(C::Name, Expr::val(next.name.clone()))
        .col_expr(C::Email, Expr::val(next.email.clone()))
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .col_expr(C::UpdatedAt, Expr::val(now))
        .filter(C::Id.eq(client_id))
        .filter(C::FirmId.eq(firm_id))
        .filter(C::Version.eq(current.version))
        .exec(&txn)
        .await;
    match res {
        Ok(r) if r.rows_affected == 1 => {}
        Ok(_) => {
            // Changed by someone else since it was read: say what it is at now.
            let actual = super::lifecycle::load(&txn, firm_id, client_id)
                .await?
                .ok_or(AppError::NotFound("client"))?
                .version;
            return Err(AppError::VersionConflict {
                expected: current.version,
                actual,
            });
        }
        Err(err) => {
            txn.rollback().await?;
            return Err(email_clash(&svc.db, firm_id, next.email.as_deref(), err).await);
        }
    }
    let event = audit::record(
        &txn,
        EventDraft {
            firm_id,
            client_id,
            action: LifecycleAction::Update,
            from_status: Some(current.status),
            to_status: Some(current.status),
            actor_id: actor.user_id(),
            reason: None,
            feedback: None,
            details: Some(serde_json::json!({ "changed": changed })),
            at: now,
        },
    )
    .await?;
    txn.commit().await?;
    svc.events.committed(&event);
    Ok(next)
}

/// Refuses with `EMAIL_IN_USE` when another client of the firm holds `email`.
async fn ensure_email_free<C: ConnectionTrait>(
    conn: &C,
    firm_id: Uuid,
    email: &str,
    except: Option<Uuid>,
) -> AppResult<()> {
    match emails::client_holder(conn, firm_id, email, except).await? {
        Some(holder) => Err(emails::in_use(email, holder)),
        None => Ok(()),
    }
}

/// Maps a unique-index violation on the e-mail (a concurrent create won) to
/// `EMAIL_IN_USE`; anything else is internal.
async fn email_clash<C: ConnectionTrait>(
    conn: &C,
    firm_id: Uuid,
    email: Option<&str>,
    err: DbErr,
) -> AppError {
    if let (Some(SqlErr::UniqueConstraintViolation(_)), Some(email)) = (err.sql_err(), email) {
        return match ensure_email_free(conn, firm_id, email, None).await {
            Err(e) => e,
            Ok(()) => AppError::EmailInUse {
                email: email.to_string(),
                holder: EmailHolder {
                    kind: "CLIENT",
                    id: None,
                    status: None,
                },
            },
        };
    }
    AppError::from(err)
}

/// One client of the actor's firm.
pub async fn get(svc: &Services, actor: &Actor, client_id: Uuid) -> AppResult<client::Model> {
    super::lifecycle::load(&svc.db, actor.firm_id(), client_id)
        .await?
        .ok_or(AppError::NotFound("client"))
}

/// Several clients by id, for data loaders (no firm check: callers pass ids they got
/// from rows of the viewer's firm).
pub async fn by_ids(svc: &Services, ids: &[Uuid]) -> AppResult<Vec<client::Model>> {
    Ok(client::Entity::find()
        .filter(client::Column::Id.is_in(ids.iter().copied()))
        .all(&svc.db)
        .await?)
}

/// The filters of `clients(filter: …)`.
#[derive(Debug, Clone, Default)]
pub struct ClientFilter {
    pub status: Option<Vec<ClientStatus>>,
    pub search: Option<SearchText>,
    pub decommission_scheduled: Option<bool>,
    pub portal_access: Option<bool>,
    /// Only clients this staff user is an ACTIVE stakeholder of.
    pub assigned_to: Option<Uuid>,
}

/// The sortable fields of the client list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    Name,
    CreatedAt,
    UpdatedAt,
    StatusChangedAt,
}

impl SortField {
    fn tag(self) -> &'static str {
        match self {
            SortField::Name => "name",
            SortField::CreatedAt => "created_at",
            SortField::UpdatedAt => "updated_at",
            SortField::StatusChangedAt => "status_changed_at",
        }
    }

    fn column(self) -> client::Column {
        match self {
            SortField::Name => client::Column::Name,
            SortField::CreatedAt => client::Column::CreatedAt,
            SortField::UpdatedAt => client::Column::UpdatedAt,
            SortField::StatusChangedAt => client::Column::StatusChangedAt,
        }
    }

    fn value(self, c: &client::Model) -> SortValue {
        match self {
            SortField::Name => SortValue::Text(c.name.clone()),
            SortField::CreatedAt => SortValue::Time(c.created_at),
            SortField::UpdatedAt => SortValue::Time(c.updated_at),
            SortField::StatusChangedAt => SortValue::Time(c.status_changed_at),
        }
    }
}

/// Ordering of the client list; ties are broken by id in the same direction.
#[derive(Debug, Clone, Copy)]
pub struct SortOrder {
    pub field: SortField,
    pub descending: bool,
}

impl Default for SortOrder {
    fn default() -> Self {
        SortOrder {
            field: SortField::CreatedAt,
            descending: true,
        }
    }
}

fn filter_condition(firm_id: Uuid, filter: &ClientFilter) -> Condition {
    use client::Column as C;
    let mut cond = Condition::all().add(C::FirmId.eq(firm_id));
    if let Some(statuses) = &filter.status {
        // Written into the text (names of a closed set), not bound: PostgreSQL keeps
        // planning a page anew when the statuses are parameters (see
        // `pagination::page_statement`).
        let names = statuses.iter().map(|s| Expr::Constant((*s).into()));
        cond = cond.add(Expr::col((client::Entity, C::Status)).is_in(names));
    }
    if let Some(search) = &filter.search {
        let pattern = search.like_pattern();
        let like = |col: C| {
            Expr::expr(Func::lower(Expr::col(col)))
                .like(sea_orm::sea_query::LikeExpr::new(pattern.clone()).escape('\\'))
        };
        cond = cond.add(Condition::any().add(like(C::Name)).add(like(C::Email)));
    }
    if let Some(scheduled) = filter.decommission_scheduled {
        cond = cond.add(if scheduled {
            C::DecommissionScheduledAt.is_not_null()
        } else {
            C::DecommissionScheduledAt.is_null()
        });
    }
    if let Some(portal) = filter.portal_access {
        cond = cond.add(C::PortalAccess.eq(portal));
    }
    if let Some(user_id) = filter.assigned_to {
        use entity::stakeholder::{self, Column as S};
        let mine = sea_orm::sea_query::Query::select()
            .column(S::ClientId)
            .from(stakeholder::Entity)
            .and_where(S::UserId.eq(user_id))
            .and_where(S::Status.eq(entity::StakeholderStatus::Active))
            .to_owned();
        cond = cond.add(C::Id.in_subquery(mine));
    }
    cond
}

/// What a page of clients reads with each client, besides its columns.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageExtras {
    /// Each client's latest event, from the copy on its row.
    pub latest_event: bool,
    /// How many ACTIVE contacts and workflows each client has, from its row: all the
    /// rules' verdicts need.
    pub counts: bool,
}

/// One page of the firm's clients, with what `extras` asks for read by the same
/// statement.
pub async fn list(
    svc: &Services,
    actor: &Actor,
    filter: &ClientFilter,
    order: SortOrder,
    page: &PageArgs,
    extras: PageExtras,
) -> AppResult<Listed> {
    let field = order.field;
    let window = page.window(field.tag())?;
    let mut select = client::Entity::find().filter(filter_condition(actor.firm_id(), filter));
    if let Some(columns) = extra_columns(extras) {
        select = select.expr(Expr::cust(columns));
    }
    let direction = if order.descending {
        Order::Desc
    } else {
        Order::Asc
    };
    let keyset = Keyset {
        tag: field.tag(),
        key: field.column(),
        id: client::Column::Id,
        direction,
    };
    let page = fetch_page(svc, select, keyset, &window, |r: &ClientPageRow| {
        (field.value(&r.client), r.client.id)
    })
    .await?;
    // Kept only when every row brought them (a row of an unexpected shape brings the
    // client alone, and the page reads the rest apart).
    let n = page.items.len();
    let mut latest_events = extras.latest_event.then(|| super::id_map(n));
    let mut counts = extras.counts.then(|| super::id_map(n));
    let mut items = Vec::with_capacity(n);
    for (cursor, row) in page.items {
        match (&mut latest_events, row.latest) {
            (Some(map), Some(latest)) => {
                map.insert(row.client.id, latest);
            }
            (Some(_), None) => latest_events = None,
            _ => {}
        }
        match (&mut counts, row.counts) {
            (Some(map), Some(c)) => {
                map.insert(row.client.id, c);
            }
            (Some(_), None) => counts = None,
            _ => {}
        }
        items.push((cursor, row.client));
    }
    Ok(Listed {
        page: Page {
            items,
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
        },
        latest_events,
        counts,
    })
}

/// The columns a page selects after the client's own, as SQL text (the same on SQLite
/// and PostgreSQL), written once instead of as 11 quoted, aliased expressions (each an
/// allocated alias) on every request.
fn extra_columns(extras: PageExtras) -> Option<&'static str> {
    use std::sync::LazyLock;
    fn text(columns: &[&str]) -> String {
        let table = sea_orm::EntityName::table_name(&client::Entity);
        columns
            .iter()
            .map(|c| format!("\"{table}\".\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ")
    }
    static LATEST: LazyLock<String> = LazyLock::new(|| text(&LATEST_COLUMNS));
    static COUNTS: LazyLock<String> = LazyLock::new(|| text(&COUNT_COLUMNS));
    static BOTH: LazyLock<String> =
        LazyLock::new(|| text(&[&LATEST_COLUMNS[..], &COUNT_COLUMNS[..]].concat()));
    match (extras.latest_event, extras.counts) {
        (true, true) => Some(BOTH.as_str()),
        (true, false) => Some(LATEST.as_str()),
        (false, true) => Some(COUNTS.as_str()),
        (false, false) => None,
    }
}

/// A page of clients as [`list`] reads it.
pub struct Listed {
    pub page: Page<client::Model>,
    /// Each client's latest event, when read with the page.
    pub latest_events: Option<super::IdMap<Option<entity::lifecycle_event::Model>>>,
    /// How many ACTIVE contacts and workflows each client has, when read with the page.
    pub counts: Option<super::IdMap<(usize, usize)>>,
}

/// How many clients match `filter`.
pub async fn count(svc: &Services, actor: &Actor, filter: &ClientFilter) -> AppResult<u64> {
    Ok(client::Entity::find()
        .filter(filter_condition(actor.firm_id(), filter))
        .count(&svc.db)
        .await?)
}

#[derive(Debug, FromQueryResult)]
struct StatusCount {
    status: ClientStatus,
    n: i64,
}

/// The number of the firm's clients in every status (zeros included), in lifecycle order.
pub async fn status_counts(svc: &Services, actor: &Actor) -> AppResult<Vec<(ClientStatus, u64)>> {
    use client::Column as C;
    let rows = client::Entity::find()
        .select_only()
        .column(C::Status)
        .column_as(C::Id.count(), "n")
        .filter(C::FirmId.eq(actor.firm_id()))
        .group_by(C::Status)
        .into_model::<StatusCount>()
        .all(&svc.db)
        .await?;
    Ok(ClientStatus::ALL
        .iter()
        .map(|s| {
            let n = rows.iter().find(|r| r.status == *s).map_or(0, |r| r.n);
            (*s, u64::try_from(n).unwrap_or(0))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::pagination::{page_statement, Cursor};
    use sea_orm::DbBackend;

    /// A page's LIMIT and statuses are in the statement's text, so that PostgreSQL can
    /// keep one plan for it; the firm and the cursor stay parameters.
    #[test]
    fn a_page_carries_its_limit_and_statuses_in_its_text() {
        let filter = ClientFilter {
            status: Some(vec![ClientStatus::Active, ClientStatus::Suspended]),
            ..ClientFilter::default()
        };
        let order = Keyset {
            tag: SortField::CreatedAt.tag(),
            key: SortField::CreatedAt.column(),
            id: client::Column::Id,
            direction: Order::Asc,
        };
        let args = PageArgs {
            first: Some(50),
            ..PageArgs::default()
        };
        let window = args.window(SortField::CreatedAt.tag()).unwrap();
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            let select = client::Entity::find().filter(filter_condition(Uuid::nil(), &filter));
            let stmt = page_statement(select, &order, &window, backend);
            assert!(stmt.sql.ends_with(" LIMIT 51"), "{}", stmt.sql);
            assert!(
                stmt.sql.contains(r#""status" IN ('ACTIVE', 'SUSPENDED')"#),
                "{}",
                stmt.sql
            );
            let values = stmt.values.expect("the firm is bound").0;
            assert_eq!(
                values,
                vec![sea_orm::Value::from(Uuid::nil())],
                "{}",
                stmt.sql
            );
        }

        // The cursor's values are bound; the LIMIT is still written.
        let first = Cursor::encode_parts(
            SortField::CreatedAt.tag(),
            &SortValue::Time(chrono::DateTime::UNIX_EPOCH),
            Uuid::nil(),
        );
        let args = PageArgs {
            first: Some(10),
            after: Some(first),
            ..PageArgs::default()
        };
        let window = args.window(SortField::CreatedAt.tag()).unwrap();
        let select = client::Entity::find().filter(filter_condition(Uuid::nil(), &filter));
        let stmt = page_statement(select, &order, &window, DbBackend::Postgres);
        assert!(stmt.sql.ends_with(" LIMIT 11"), "{}", stmt.sql);
        // On PostgreSQL, from a one-row subquery (see `page_statement`).
        let from_subquery = r#"("created_at", "id") > (SELECT $2, $3)"#;
        assert!(stmt.sql.contains(from_subquery), "{}", stmt.sql);
        assert_eq!(
            stmt.values.expect("bound values").0.len(),
            3,
            "{}",
            stmt.sql
        );
    }
}
