use entity::{firm, user, Role};
use sea_orm::{ActiveValue::Set, EntityTrait, PaginatorTrait};
use uuid::Uuid;

use super::{users, Services};
use crate::domain::{Email, Name};
use crate::error::{AppError, AppResult};

/// Creates a firm and its first ADMIN, together.
pub async fn create(
    svc: &Services,
    name: Name,
    admin_name: Name,
    admin_email: Email,
) -> AppResult<(firm::Model, user::Model)> {
    let now = svc.clock.now();
    let firm = firm::Model {
        id: Uuid::now_v7(),
        name: name.into_inner(),
        created_at: now,
    };
    let txn = svc.begin_write().await?;
    firm::Entity::insert(firm::ActiveModel {
        id: Set(firm.id),
        name: Set(firm.name.clone()),
        created_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    let admin = users::insert(&txn, firm.id, admin_name, admin_email, Role::Admin, now).await?;
    txn.commit().await?;
    Ok((firm, admin))
}

/// One firm by id.
pub async fn get(svc: &Services, id: Uuid) -> AppResult<firm::Model> {
    firm::Entity::find_by_id(id)
        .one(&svc.db)
        .await?
        .ok_or(AppError::NotFound("firm"))
}

/// True when no firm exists yet (an empty database).
pub async fn none_exist(svc: &Services) -> AppResult<bool> {
    Ok(firm::Entity::find().count(&svc.db).await? == 0)
}
