//! Workflows: work in progress for a client.

use entity::{contact, workflow, ClientStatus, ContactStatus, Role, WorkflowKind, WorkflowStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::{lifecycle, Actor, Services};
use crate::domain::Name;
use crate::error::{AppError, AppResult};

/// Starts a workflow for an ACTIVE client (MEMBER); the assignee, if any, must be an
/// ACTIVE contact of that client.
pub async fn start(
    svc: &Services,
    actor: &Actor,
    client_id: Uuid,
    name: Name,
    kind: WorkflowKind,
    assignee_contact_id: Option<Uuid>,
) -> AppResult<workflow::Model> {
    actor.require(Role::Member, "start workflows")?;
    let firm_id = actor.firm_id();
    let txn = svc.begin_write().await?;
    let c = lifecycle::lock_for_rows(&txn, firm_id, client_id).await?;
    if c.status != ClientStatus::Active {
        return Err(AppError::State(format!(
            "Work can only start for an ACTIVE client; this client is {}.",
            c.status.as_str()
        )));
    }
    if let Some(contact_id) = assignee_contact_id {
        let assignee = contact::Entity::find_by_id(contact_id)
            .filter(contact::Column::ClientId.eq(client_id))
            .one(&txn)
            .await?
            .ok_or_else(|| {
                AppError::bad_field(
                    "assigneeContactId",
                    "The assignee is not a contact of this client.",
                )
            })?;
        if assignee.status != ContactStatus::Active {
            return Err(AppError::bad_field(
                "assigneeContactId",
                "An INACTIVE contact cannot be assigned work.",
            ));
        }
    }
    let now = svc.clock.now();
    let w = workflow::Model {
        id: Uuid::now_v7(),
        firm_id,
        client_id,
        name: name.into_inner(),
        kind,
        status: WorkflowStatus::Active,
        assignee_contact_id,
        created_at: now,
        updated_at: now,
    };
    workflow::Entity::insert(workflow::ActiveModel {
        id: Set(w.id),
        firm_id: Set(firm_id),
        client_id: Set(client_id),
        name: Set(w.name.clone()),
        kind: Set(kind),
        status: Set(w.status),
        assignee_contact_id: Set(assignee_contact_id),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(w)
}

/// ACTIVE to COMPLETED or CANCELLED (MEMBER).
pub async fn finish(
    svc: &Services,
    actor: &Actor,
    workflow_id: Uuid,
    to: WorkflowStatus,
) -> AppResult<workflow::Model> {
    actor.require(Role::Member, "manage workflows")?;
    let txn = svc.begin_write().await?;
    let find = || {
        workflow::Entity::find_by_id(workflow_id)
            .filter(workflow::Column::FirmId.eq(actor.firm_id()))
    };
    let w = find()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("workflow"))?;
    // Read again under the client's lock: an archive in flight may have moved it.
    lifecycle::lock_for_rows(&txn, actor.firm_id(), w.client_id).await?;
    let mut w = find()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("workflow"))?;
    if w.status != WorkflowStatus::Active {
        return Err(AppError::State(
            "Only an ACTIVE workflow can be completed or cancelled.".into(),
        ));
    }
    w.status = to;
    w.updated_at = svc.clock.now();
    workflow::Entity::update(workflow::ActiveModel {
        id: Set(w.id),
        status: Set(to),
        updated_at: Set(w.updated_at),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(w)
}

/// Moves the given ACTIVE workflows to `to` (ARCHIVE and DECOMMISSION effects).
pub async fn move_active<C: ConnectionTrait>(
    conn: &C,
    ids: &[Uuid],
    to: WorkflowStatus,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    workflow::Entity::update_many()
        .col_expr(workflow::Column::Status, Expr::val(to))
        .col_expr(workflow::Column::UpdatedAt, Expr::val(now))
        .filter(workflow::Column::Id.is_in(ids.iter().copied()))
        .filter(workflow::Column::Status.eq(WorkflowStatus::Active))
        .exec(conn)
        .await?;
    Ok(())
}

/// The workflows of several clients, newest first.
pub async fn of_clients(svc: &Services, client_ids: &[Uuid]) -> AppResult<Vec<workflow::Model>> {
    Ok(workflow::Entity::find()
        .filter(workflow::Column::ClientId.is_in(client_ids.iter().copied()))
        .order_by_desc(workflow::Column::CreatedAt)
        .order_by_desc(workflow::Column::Id)
        .all(&svc.db)
        .await?)
}
