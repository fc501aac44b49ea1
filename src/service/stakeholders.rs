//! Stakeholders: staff users assigned to a client.

use entity::{stakeholder, user, Role, StakeholderStatus};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{lifecycle, Actor, Services};
use crate::error::{AppError, AppResult};

/// Assigns a staff user of the firm to a client (MEMBER); assigning an archived
/// stakeholder again makes it ACTIVE.
pub async fn assign(
    svc: &Services,
    actor: &Actor,
    client_id: Uuid,
    user_id: Uuid,
) -> AppResult<stakeholder::Model> {
    actor.require(Role::Member, "assign stakeholders")?;
    let firm_id = actor.firm_id();
    let txn = svc.begin_write().await?;
    lifecycle::lock_shared(&txn, firm_id, client_id).await?;
    let staff = user::Entity::find_by_id(user_id)
        .filter(user::Column::FirmId.eq(firm_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    if !staff.active {
        return Err(AppError::bad_field(
            "userId",
            "A deactivated user cannot be assigned to a client.",
        ));
    }
    let now = svc.clock.now();
    let existing = stakeholder::Entity::find()
        .filter(stakeholder::Column::ClientId.eq(client_id))
        .filter(stakeholder::Column::UserId.eq(user_id))
        .one(&txn)
        .await?;
    let model = match existing {
        Some(mut s) => {
            if s.status == StakeholderStatus::Active {
                return Ok(s);
            }
            s.status = StakeholderStatus::Active;
            s.assigned_at = now;
            s.archived_at = None;
            stakeholder::Entity::update(stakeholder::ActiveModel {
                id: Set(s.id),
                status: Set(s.status),
                assigned_at: Set(now),
                archived_at: Set(None),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
            s
        }
        None => {
            let s = stakeholder::Model {
                id: Uuid::now_v7(),
                firm_id,
                client_id,
                user_id,
                status: StakeholderStatus::Active,
                assigned_at: now,
                archived_at: None,
            };
            stakeholder::Entity::insert(stakeholder::ActiveModel {
                id: Set(s.id),
                firm_id: Set(firm_id),
                client_id: Set(client_id),
                user_id: Set(user_id),
                status: Set(s.status),
                assigned_at: Set(now),
                archived_at: Set(None),
            })
            .exec_without_returning(&txn)
            .await?;
            s
        }
    };
    txn.commit().await?;
    Ok(model)
}

/// Archives one user's link to a client (MEMBER); the client is untouched.
pub async fn archive(
    svc: &Services,
    actor: &Actor,
    client_id: Uuid,
    user_id: Uuid,
) -> AppResult<stakeholder::Model> {
    actor.require(Role::Member, "archive stakeholders")?;
    let txn = svc.begin_write().await?;
    let mut s = stakeholder::Entity::find()
        .filter(stakeholder::Column::FirmId.eq(actor.firm_id()))
        .filter(stakeholder::Column::ClientId.eq(client_id))
        .filter(stakeholder::Column::UserId.eq(user_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("stakeholder"))?;
    if s.status == StakeholderStatus::Archived {
        return Err(AppError::State(
            "The stakeholder is already ARCHIVED.".into(),
        ));
    }
    let now = svc.clock.now();
    s.status = StakeholderStatus::Archived;
    s.archived_at = Some(now);
    stakeholder::Entity::update(stakeholder::ActiveModel {
        id: Set(s.id),
        status: Set(s.status),
        archived_at: Set(s.archived_at),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(s)
}

/// The stakeholders of several clients, ACTIVE and ARCHIVED, oldest assignment first.
pub async fn of_clients(svc: &Services, client_ids: &[Uuid]) -> AppResult<Vec<stakeholder::Model>> {
    Ok(stakeholder::Entity::find()
        .filter(stakeholder::Column::ClientId.is_in(client_ids.iter().copied()))
        .order_by_asc(stakeholder::Column::AssignedAt)
        .order_by_asc(stakeholder::Column::Id)
        .all(&svc.db)
        .await?)
}
