//! Contacts: people on the client's side. Their addresses are unique among the firm's
//! contacts and staff until permanently deleted.

use entity::{contact, ContactStatus, HolderKind, Role, WorkflowStatus};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, Statement,
};
use uuid::Uuid;

use super::{emails, lifecycle, Actor, Services};
use crate::domain::{Email, Name};
use crate::error::{AppError, AppResult};

fn contact_state(message: &str) -> AppError {
    AppError::State(message.to_string())
}

/// A contact of the actor's firm.
async fn load<C: ConnectionTrait>(conn: &C, actor: &Actor, id: Uuid) -> AppResult<contact::Model> {
    contact::Entity::find_by_id(id)
        .filter(contact::Column::FirmId.eq(actor.firm_id()))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound("contact"))
}

/// Loads a contact for a change: its client is locked first (see
/// [`lifecycle::lock_for_rows`]), then the contact read as it is after any lifecycle change
/// of that client in flight.
async fn load_for_change<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    id: Uuid,
) -> AppResult<contact::Model> {
    let c = load(conn, actor, id).await?;
    lifecycle::lock_for_rows(conn, actor.firm_id(), c.client_id)
        .await
        .map_err(|_| AppError::NotFound("contact"))?;
    load(conn, actor, id).await
}

/// Adds an ACTIVE contact with portal access to a client (MEMBER).
pub async fn add(
    svc: &Services,
    actor: &Actor,
    client_id: Uuid,
    name: Name,
    email: Email,
) -> AppResult<contact::Model> {
    actor.require(Role::Member, "manage contacts")?;
    let txn = svc.begin_write().await?;
    lifecycle::lock_for_rows(&txn, actor.firm_id(), client_id).await?;
    let now = svc.clock.now();
    let model = contact::Model {
        id: Uuid::now_v7(),
        firm_id: actor.firm_id(),
        client_id,
        name: name.into_inner(),
        email: email.into_inner(),
        status: ContactStatus::Active,
        portal_access: true,
        created_at: now,
        updated_at: now,
    };
    emails::claim(
        &txn,
        model.firm_id,
        &model.email,
        HolderKind::Contact,
        model.id,
    )
    .await?;
    contact::Entity::insert(active(&model))
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(model)
}

fn active(m: &contact::Model) -> contact::ActiveModel {
    contact::ActiveModel {
        id: Set(m.id),
        firm_id: Set(m.firm_id),
        client_id: Set(m.client_id),
        name: Set(m.name.clone()),
        email: Set(m.email.clone()),
        status: Set(m.status),
        portal_access: Set(m.portal_access),
        created_at: Set(m.created_at),
        updated_at: Set(m.updated_at),
    }
}

async fn save<C: ConnectionTrait>(conn: &C, m: &contact::Model) -> AppResult<()> {
    contact::Entity::update(active(m)).exec(conn).await?;
    Ok(())
}

/// Edits a contact's name or address (MEMBER).
pub async fn update(
    svc: &Services,
    actor: &Actor,
    contact_id: Uuid,
    name: Option<Name>,
    email: Option<Email>,
) -> AppResult<contact::Model> {
    actor.require(Role::Member, "manage contacts")?;
    let txn = svc.begin_write().await?;
    let mut c = load_for_change(&txn, actor, contact_id).await?;
    if let Some(name) = name {
        c.name = name.into_inner();
    }
    if let Some(email) = email {
        let email = email.into_inner();
        if email != c.email {
            emails::claim(&txn, c.firm_id, &email, HolderKind::Contact, c.id).await?;
            emails::release_other(&txn, c.id, &email).await?;
            c.email = email;
        }
    }
    c.updated_at = svc.clock.now();
    save(&txn, &c).await?;
    txn.commit().await?;
    Ok(c)
}

/// ACTIVE to INACTIVE (MEMBER): the contact loses portal access and cannot be assigned
/// work; its history and current assignments stay.
pub async fn deactivate(
    svc: &Services,
    actor: &Actor,
    contact_id: Uuid,
) -> AppResult<contact::Model> {
    set_status(svc, actor, contact_id, ContactStatus::Inactive).await
}

/// INACTIVE to ACTIVE (MEMBER), with portal access again.
pub async fn reactivate(
    svc: &Services,
    actor: &Actor,
    contact_id: Uuid,
) -> AppResult<contact::Model> {
    set_status(svc, actor, contact_id, ContactStatus::Active).await
}

/// Moves a contact to `to`; portal access follows (on only while ACTIVE).
async fn set_status(
    svc: &Services,
    actor: &Actor,
    contact_id: Uuid,
    to: ContactStatus,
) -> AppResult<contact::Model> {
    actor.require(Role::Member, "manage contacts")?;
    let txn = svc.begin_write().await?;
    let mut c = load_for_change(&txn, actor, contact_id).await?;
    if c.status == to {
        return Err(contact_state(match to {
            ContactStatus::Active => "The contact is already ACTIVE.",
            ContactStatus::Inactive => "The contact is already INACTIVE.",
        }));
    }
    c.status = to;
    c.portal_access = to == ContactStatus::Active;
    c.updated_at = svc.clock.now();
    save(&txn, &c).await?;
    txn.commit().await?;
    Ok(c)
}

/// Permanently deletes an INACTIVE contact (MEMBER), freeing its address. Workflows it
/// was assigned keep going without an assignee; a client it owns keeps the owner's id.
pub async fn delete(svc: &Services, actor: &Actor, contact_id: Uuid) -> AppResult<Uuid> {
    actor.require(Role::Member, "manage contacts")?;
    let txn = svc.begin_write().await?;
    let c = load_for_change(&txn, actor, contact_id).await?;
    if c.status != ContactStatus::Inactive {
        return Err(contact_state(
            "Only an INACTIVE contact can be deleted: deactivate it first.",
        ));
    }
    emails::release(&txn, &[c.id]).await?;
    contact::Entity::delete_by_id(c.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(c.id)
}

/// The contacts of several clients, by name.
pub async fn of_clients(svc: &Services, client_ids: &[Uuid]) -> AppResult<Vec<contact::Model>> {
    Ok(contact::Entity::find()
        .filter(contact::Column::ClientId.is_in(client_ids.iter().copied()))
        .order_by_asc(contact::Column::Name)
        .order_by_asc(contact::Column::Id)
        .all(&svc.db)
        .await?)
}

/// Contacts by id (loaders; no firm check: ids come from the firm's own rows).
pub async fn by_ids(svc: &Services, ids: &[Uuid]) -> AppResult<Vec<contact::Model>> {
    Ok(contact::Entity::find()
        .filter(contact::Column::Id.is_in(ids.iter().copied()))
        .all(&svc.db)
        .await?)
}

/// (client, contact) pairs of ACTIVE contacts and (client, workflow) pairs of ACTIVE
/// workflows.
pub type ActiveIds = (Vec<(Uuid, Uuid)>, Vec<(Uuid, Uuid)>);

/// The ACTIVE contacts' ids and ACTIVE workflows' ids of several clients, each in id
/// order: one statement for both, the clients' ids bound once.
pub async fn active_ids<C: ConnectionTrait>(conn: &C, client_ids: &[Uuid]) -> AppResult<ActiveIds> {
    match active_ids_statement(conn.get_database_backend(), client_ids) {
        Some(stmt) => active_ids_of(conn.query_all_raw(stmt).await?),
        None => Ok((Vec::new(), Vec::new())),
    }
}

/// The statement of [`active_ids`]; `None` for no clients.
pub fn active_ids_statement(backend: DbBackend, client_ids: &[Uuid]) -> Option<Statement> {
    let n = client_ids.len();
    if n == 0 {
        return None;
    }
    let ids = super::id_values(backend, n, 1);
    // The statuses are written into the text, not bound, so that PostgreSQL can keep
    // one plan for the statement (see `pagination::page_statement`).
    let contact_status = sea_orm::Value::from(ContactStatus::Active);
    let workflow_status = sea_orm::Value::from(WorkflowStatus::Active);
    let (contact_status, workflow_status) = (
        super::literal(backend, &contact_status),
        super::literal(backend, &workflow_status),
    );
    // Joined with the ids rather than `IN (SELECT id FROM c)`, and sorted by the caller:
    // SQLite built a temporary index of the ids for each `IN` and a temporary B-tree for
    // the `ORDER BY`, whose allocations cost more than the probes themselves.
    let sql = format!(
        "WITH c(id) AS (VALUES {ids}) \
         SELECT 0 AS kind, x.client_id, x.id FROM c JOIN contacts x \
         ON x.client_id = c.id AND x.status = {contact_status} \
         UNION ALL SELECT 1 AS kind, w.client_id, w.id FROM c JOIN workflows w \
         ON w.client_id = c.id AND w.status = {workflow_status}"
    );
    let values: Vec<sea_orm::Value> = client_ids.iter().map(|id| (*id).into()).collect();
    Some(Statement::from_sql_and_values(backend, sql, values))
}

/// The rows of [`active_ids_statement`]: (client, contact) and (client, workflow) pairs,
/// each in id order.
pub fn active_ids_of(rows: Vec<sea_orm::QueryResult>) -> AppResult<ActiveIds> {
    let (mut contacts, mut workflows): ActiveIds = (Vec::new(), Vec::new());
    for row in rows {
        let kind: i32 = row.try_get_by_index(0)?;
        let pair = (row.try_get_by_index(1)?, row.try_get_by_index(2)?);
        if kind == 0 {
            contacts.push(pair);
        } else {
            workflows.push(pair);
        }
    }
    contacts.sort_unstable_by_key(|&(_, id)| id);
    workflows.sort_unstable_by_key(|&(_, id)| id);
    Ok((contacts, workflows))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The statuses are in the text (so PostgreSQL keeps one plan); only the ids are
    /// bound.
    #[test]
    fn active_ids_carry_their_statuses_in_their_text() {
        let ids = [Uuid::now_v7(), Uuid::now_v7()];
        assert!(active_ids_statement(DbBackend::Postgres, &[]).is_none());
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            let stmt = active_ids_statement(backend, &ids).expect("a statement");
            assert!(stmt.sql.contains("x.status = 'ACTIVE'"), "{}", stmt.sql);
            assert!(stmt.sql.contains("w.status = 'ACTIVE'"), "{}", stmt.sql);
            let values = stmt.values.expect("the ids are bound").0;
            let bound: Vec<sea_orm::Value> = ids.iter().map(|id| (*id).into()).collect();
            assert_eq!(values, bound, "{}", stmt.sql);
        }
    }
}
