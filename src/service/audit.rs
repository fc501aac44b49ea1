use chrono::{DateTime, Utc};
use entity::{lifecycle_event, ClientStatus, LifecycleAction, LifecycleReason};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, Order,
    QueryFilter, Statement,
};
use std::collections::HashMap;
use uuid::Uuid;

use super::pagination::{fetch_page, Keyset, Page, PageArgs, SortValue};
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

/// Appends one event; call it inside the transaction of the change it records.
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
    fetch_page(&svc.db, select, events_order(), &window, key).await
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
    fetch_page(&svc.db, select, events_order(), &window, key).await
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

/// The newest `limit` events of each client, in one statement (a window function), for
/// the data loader behind `Client.history` first pages and `Client.latestEvent`.
pub async fn newest_events(
    svc: &Services,
    client_ids: &[Uuid],
    limit: u64,
) -> AppResult<HashMap<Uuid, Vec<lifecycle_event::Model>>> {
    let mut out: HashMap<Uuid, Vec<lifecycle_event::Model>> = HashMap::new();
    if client_ids.is_empty() || limit == 0 {
        return Ok(out);
    }
    let backend = svc.db.get_database_backend();
    let placeholder = |i: usize| match backend {
        DbBackend::Postgres => format!("${i}"),
        _ => "?".to_string(),
    };
    let list: Vec<String> = (1..=client_ids.len()).map(placeholder).collect();
    let limit_ph = placeholder(client_ids.len() + 1);
    let sql = format!(
        "SELECT id, firm_id, client_id, action, from_status, to_status, actor_id, reason, \
         feedback, details, at FROM (SELECT e.*, ROW_NUMBER() OVER (PARTITION BY client_id \
         ORDER BY at DESC, id DESC) AS rn FROM lifecycle_events e WHERE client_id IN ({})) \
         ranked WHERE rn <= {} ORDER BY client_id, at DESC, id DESC",
        list.join(", "),
        limit_ph
    );
    let mut values: Vec<sea_orm::Value> = client_ids.iter().map(|id| (*id).into()).collect();
    values.push(i64::try_from(limit).unwrap_or(i64::MAX).into());
    let rows = lifecycle_event::Model::find_by_statement(Statement::from_sql_and_values(
        backend, sql, values,
    ))
    .all(&svc.db)
    .await?;
    for row in rows {
        out.entry(row.client_id).or_default().push(row);
    }
    Ok(out)
}
