use chrono::{DateTime, Utc};
use entity::{lifecycle_event, ClientStatus, LifecycleAction, LifecycleReason};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, Order, QueryFilter,
    Statement,
};
use uuid::Uuid;

use super::pagination::{fetch_page, Keyset, Page, PageArgs, SortValue};
use super::rows::EventRow;
use super::{Actor, Services};
use crate::error::AppResult;
use entity::Role;

/// An event about to be written.
#[derive(Debug, Clone)]
pub struct EventDraft {
    pub firm_id: Uuid,
    pub client_id: Uuid,
    pub action: LifecycleAction,
    pub from_status: Option<ClientStatus>,
    pub to_status: Option<ClientStatus>,
    pub actor_id: Option<Uuid>,
    pub reason: Option<LifecycleReason>,
    pub feedback: Option<String>,
    pub details: Option<serde_json::Value>,
    pub at: DateTime<Utc>,
}

/// Appends one event; call it inside the transaction of the change it records, and
/// `svc.events.committed(&event)` after the commit.
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    draft: EventDraft,
) -> AppResult<lifecycle_event::Model> {
    let model = lifecycle_event::Model {
        id: Uuid::now_v7(),
        firm_id: draft.firm_id,
        client_id: draft.client_id,
        action: draft.action,
        from_status: draft.from_status,
        to_status: draft.to_status,
        actor_id: draft.actor_id,
        reason: draft.reason,
        feedback: draft.feedback,
        details: draft.details,
        at: draft.at,
    };
    let active = lifecycle_event::ActiveModel {
        id: Set(model.id),
        firm_id: Set(model.firm_id),
        client_id: Set(model.client_id),
        action: Set(model.action),
        from_status: Set(model.from_status),
        to_status: Set(model.to_status),
        actor_id: Set(model.actor_id),
        reason: Set(model.reason),
        feedback: Set(model.feedback.clone()),
        details: Set(model.details.clone()),
        at: Set(model.at),
    };
    lifecycle_event::Entity::insert(active)
        .exec_without_returning(conn)
        .await?;
    // Webhooks get their deliveries in the same transaction; subscribers of other
    // processes hear of it once the transaction commits.
    super::webhooks::enqueue(conn, &model).await?;
    super::events::notify_in(conn, model.id).await?;
    Ok(model)
}

/// Erases the free text and details of a client's events (kept: who did what, when).
pub async fn erase_personal_data<C: ConnectionTrait>(conn: &C, client_id: Uuid) -> AppResult<()> {
    use lifecycle_event::Column as E;
    lifecycle_event::Entity::update_many()
        .col_expr(E::Feedback, Expr::val(Option::<String>::None))
        .col_expr(E::Details, Expr::val(Option::<serde_json::Value>::None))
        .filter(E::ClientId.eq(client_id))
        .exec(conn)
        .await?;
    Ok(())
}

const ORDER_TAG: &str = "event_at";

fn events_order() -> Keyset<'static, lifecycle_event::Entity> {
    Keyset {
        tag: ORDER_TAG,
        key: lifecycle_event::Column::At,
        id: lifecycle_event::Column::Id,
        direction: Order::Desc,
    }
}

fn key(e: &lifecycle_event::Model) -> (SortValue, Uuid) {
    (SortValue::Time(e.at), e.id)
}

/// A client's events, newest first. The caller has already checked the client is in the
/// viewer's firm.
pub async fn history(
    svc: &Services,
    firm_id: Uuid,
    client_id: Uuid,
    page: &PageArgs,
) -> AppResult<Page<lifecycle_event::Model>> {
    use lifecycle_event::Column as E;
    let window = page.window(ORDER_TAG)?;
    let select = lifecycle_event::Entity::find()
        .filter(E::FirmId.eq(firm_id))
        .filter(E::ClientId.eq(client_id));
    fetch_page(svc, select, events_order(), &window, key).await
}

/// The number of events of one client.
pub async fn history_count(svc: &Services, firm_id: Uuid, client_id: Uuid) -> AppResult<u64> {
    use lifecycle_event::Column as E;
    use sea_orm::PaginatorTrait;
    Ok(lifecycle_event::Entity::find()
        .filter(E::FirmId.eq(firm_id))
        .filter(E::ClientId.eq(client_id))
        .count(&svc.db)
        .await?)
}

/// Every event of the actor's firm, newest first (ADMIN).
pub async fn audit_log(
    svc: &Services,
    actor: &Actor,
    page: &PageArgs,
) -> AppResult<Page<lifecycle_event::Model>> {
    use lifecycle_event::Column as E;
    actor.require(Role::Admin, "read the audit log")?;
    let window = page.window(ORDER_TAG)?;
    let select = lifecycle_event::Entity::find().filter(E::FirmId.eq(actor.firm_id()));
    fetch_page(svc, select, events_order(), &window, key).await
}

/// The firm's event count (ADMIN).
pub async fn audit_log_count(svc: &Services, actor: &Actor) -> AppResult<u64> {
    use lifecycle_event::Column as E;
    use sea_orm::PaginatorTrait;
    actor.require(Role::Admin, "read the audit log")?;
    Ok(lifecycle_event::Entity::find()
        .filter(E::FirmId.eq(actor.firm_id()))
        .count(&svc.db)
        .await?)
}

/// Most clients whose newest events one statement reads (a page has at most 100).
const NEWEST_EVENTS_BATCH: usize = 200;

/// The newest `limit` events of each client, for the data loader behind `Client.history`
/// first pages and `Client.latestEvent`: one statement for a page of clients.
///
/// Each client's events are read by an index seek on `(client_id, at, id)` that stops
/// after `limit` rows, so the cost does not grow with the length of a history: a
/// LATERAL join over the ids on PostgreSQL, and on SQLite (no LATERAL) a join of the ids
/// with the rows whose rowid is among that client's first `limit`. A window function over
/// all the clients' events was simpler, but a page holding one client with a thousand
/// events then read them all; a UNION ALL of one limited SELECT per client opened two
/// cursors per client and cost SQLite three times as much as this join.
pub async fn newest_events(
    svc: &Services,
    client_ids: &[Uuid],
    limit: u64,
) -> AppResult<super::IdMap<Vec<lifecycle_event::Model>>> {
    let mut out = super::id_map::<Vec<lifecycle_event::Model>>(client_ids.len());
    if limit == 0 {
        return Ok(out);
    }
    for chunk in client_ids.chunks(NEWEST_EVENTS_BATCH) {
        for row in newest_events_of(svc, chunk, limit).await? {
            out.entry(row.client_id).or_default().push(row);
        }
    }
    // Newest first, whatever order the rows came back in.
    for events in out.values_mut() {
        events.sort_by_key(|e| std::cmp::Reverse((e.at, e.id)));
    }
    Ok(out)
}

async fn newest_events_of(
    svc: &Services,
    client_ids: &[Uuid],
    limit: u64,
) -> AppResult<Vec<lifecycle_event::Model>> {
    let stmt = newest_events_statement(svc.db.get_database_backend(), client_ids, limit);
    let rows: Vec<EventRow> = svc.read_models(stmt).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The statement of [`newest_events_of`].
fn newest_events_statement(backend: DbBackend, client_ids: &[Uuid], limit: u64) -> Statement {
    const COLS: &str =
        "id, firm_id, client_id, action, from_status, to_status, actor_id, reason, feedback, \
         details, at";
    const E_COLS: &str = "e.id, e.firm_id, e.client_id, e.action, e.from_status, e.to_status, \
         e.actor_id, e.reason, e.feedback, e.details, e.at";
    // The limit is written into the text, not bound: PostgreSQL plans a statement whose
    // LIMIT is a parameter anew at every execution (see `pagination::page_statement`).
    let values: Vec<sea_orm::Value> = client_ids.iter().map(|id| (*id).into()).collect();
    let ids = super::id_values(backend, client_ids.len(), 1);
    let sql = if backend == DbBackend::Postgres {
        // In no particular order: `newest_events` sorts each client's rows.
        format!(
            "SELECT e.* FROM (VALUES {ids}) AS c(id) CROSS JOIN LATERAL (SELECT {COLS} \
             FROM lifecycle_events WHERE client_id = c.id ORDER BY at DESC, id DESC \
             LIMIT {limit}) e"
        )
    } else {
        // One row per client is found by `=`, which needs no temporary table for the
        // subquery's rows (one per client). With CROSS JOIN the ids are read as they are
        // bound (a co-routine), not copied into a temporary table first.
        let op = if limit == 1 { "=" } else { "IN" };
        format!(
            "SELECT {E_COLS} FROM (VALUES {ids}) AS c CROSS JOIN lifecycle_events e \
             ON e.rowid {op} (SELECT x.rowid FROM lifecycle_events x \
             WHERE x.client_id = c.column1 ORDER BY x.at DESC, x.id DESC LIMIT {limit})"
        )
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// How many events of one action and reason a period holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsRow {
    pub action: LifecycleAction,
    pub reason: Option<LifecycleReason>,
    pub count: u64,
}

/// Counts the firm's events per action and reason with `from <= at < to` (ADMIN); the
/// most frequent first.
pub async fn stats(
    svc: &Services,
    actor: &Actor,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> AppResult<Vec<StatsRow>> {
    use lifecycle_event::Column as E;
    use sea_orm::{QuerySelect, QueryTrait};
    actor.require(Role::Admin, "see lifecycle statistics")?;
    if let (Some(from), Some(to)) = (from, to) {
        if from >= to {
            return Err(crate::error::AppError::bad_field(
                "to",
                "to must be later than from.",
            ));
        }
    }
    let rows: Vec<(LifecycleAction, Option<LifecycleReason>, i64)> =
        lifecycle_event::Entity::find()
            .select_only()
            .column(E::Action)
            .column(E::Reason)
            .column_as(E::Id.count(), "n")
            .filter(E::FirmId.eq(actor.firm_id()))
            .apply_if(from, |q, from| q.filter(E::At.gte(from)))
            .apply_if(to, |q, to| q.filter(E::At.lt(to)))
            .group_by(E::Action)
            .group_by(E::Reason)
            .into_tuple()
            .all(&svc.db)
            .await?;
    let mut out: Vec<StatsRow> = rows
        .into_iter()
        .map(|(action, reason, n)| StatsRow {
            action,
            reason,
            count: u64::try_from(n).unwrap_or(0),
        })
        .collect();
    // The most frequent first; ties in a stable order.
    out.sort_by_cached_key(|r| {
        (
            std::cmp::Reverse(r.count),
            format!("{:?}", r.action),
            format!("{:?}", r.reason),
        )
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The limit is in the text (so PostgreSQL keeps one plan); only the ids are bound.
    #[test]
    fn newest_events_carry_their_limit_in_their_text() {
        let ids = [Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7()];
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            for limit in [1, 21] {
                let stmt = newest_events_statement(backend, &ids, limit);
                assert!(
                    stmt.sql.contains(&format!("LIMIT {limit})")),
                    "{}",
                    stmt.sql
                );
                let values = stmt.values.expect("the ids are bound").0;
                let bound: Vec<sea_orm::Value> = ids.iter().map(|id| (*id).into()).collect();
                assert_eq!(values, bound, "{}", stmt.sql);
            }
        }
    }
}
