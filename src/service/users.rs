use entity::{user, HolderKind, Role};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    SqlErr,
};
use uuid::Uuid;

use super::{Actor, Services};
use crate::domain::{Email, Name};
use crate::error::{AppError, AppResult, EmailHolder};

/// The active user behind a token, or `None` (unknown or deactivated). Read from the
/// database, or on PostgreSQL as last read while no change to `users` has been announced
/// since (see `signed_in`). On SQLite the read also brings the count of changes to
/// `users`, which tells whether the staff remembered for pages may still be used.
pub async fn authenticate(svc: &Services, user_id: Uuid) -> AppResult<Option<user::Model>> {
    if !crate::db::is_postgres(&svc.db) {
        return authenticate_counted(svc, user_id).await;
    }
    if let Some(user) = svc.signed_in.get(user_id) {
        return Ok(Some(user).filter(|u| u.active));
    }
    let read_at = svc.signed_in.before_read();
    let found: Vec<user::Model> = svc
        .read_select(sea_orm::QuerySelect::limit(
            user::Entity::find_by_id(user_id),
            1,
        ))
        .await?;
    let user = found.into_iter().next();
    if let (Some(at), Some(user)) = (read_at, &user) {
        svc.signed_in.keep(at, user);
    }
    Ok(user.filter(|u| u.active))
}

/// A user with the count of changes to `users` (SQLite's `user_changes`) read with it.
struct CountedUser {
    user: user::Model,
    changes: i64,
}

impl sea_orm::FromQueryResult for CountedUser {
    fn from_query_result(res: &sea_orm::QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(Self {
            user: user::Model::from_query_result(res, pre)?,
            changes: res.try_get(pre, "user_changes")?,
        })
    }
}

/// [`authenticate`] on SQLite: the user is always read, with the count of changes.
async fn authenticate_counted(svc: &Services, user_id: Uuid) -> AppResult<Option<user::Model>> {
    use sea_orm::QuerySelect;
    let select = user::Entity::find_by_id(user_id)
        .column_as(
            sea_orm::sea_query::Expr::cust("(SELECT changes FROM user_changes WHERE id = 1)"),
            "user_changes",
        )
        .limit(1);
    let found: Vec<CountedUser> = svc.read_select(select).await?;
    let Some(CountedUser { user, changes }) = found.into_iter().next() else {
        return Ok(None);
    };
    let at = svc.signed_in.counted(changes);
    svc.signed_in.keep(at, &user);
    Ok(Some(user).filter(|u| u.active))
}

/// A user by e-mail address (any firm), for the `token` command.
pub async fn by_email(svc: &Services, email: &Email) -> AppResult<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(&svc.db)
        .await?)
}

/// The firm's staff, by name.
pub async fn list(svc: &Services, actor: &Actor) -> AppResult<Vec<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::FirmId.eq(actor.firm_id()))
        .order_by_asc(user::Column::Name)
        .order_by_asc(user::Column::Id)
        .all(&svc.db)
        .await?)
}

/// Several users by id, for data loaders and pages (the actors of events, stakeholders).
/// Users remembered since a request read them are not read again, and the ones read are
/// remembered (see `signed_in`): the staff named on a page are few, and mostly the people
/// signed in.
pub async fn by_ids(svc: &Services, ids: &[Uuid]) -> AppResult<Vec<user::Model>> {
    let mut found = Vec::with_capacity(ids.len());
    let mut missing = Vec::new();
    for &id in ids {
        match svc.signed_in.get(id) {
            Some(user) => found.push(user),
            None => missing.push(id),
        }
    }
    if missing.is_empty() {
        return Ok(found);
    }
    let read_at = svc.signed_in.before_read();
    let read: Vec<user::Model> = svc
        .read_select(user::Entity::find().filter(user::Column::Id.is_in(missing)))
        .await?;
    if let Some(at) = read_at {
        for user in &read {
            svc.signed_in.keep(at, user);
        }
    }
    found.extend(read);
    Ok(found)
}

/// Inserts a user; the address is unique across all firms.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    firm_id: Uuid,
    name: Name,
    email: Email,
    role: Role,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<user::Model> {
    let model = user::Model {
        id: Uuid::now_v7(),
        firm_id,
        name: name.into_inner(),
        email: email.into_inner(),
        role,
        active: true,
        created_at: now,
        updated_at: now,
    };
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(model.email.as_str()))
        .one(conn)
        .await?;
    if let Some(holder) = existing {
        return Err(user_email_in_use(&model.email, firm_id, &holder));
    }
    let res = user::Entity::insert(user::ActiveModel {
        id: Set(model.id),
        firm_id: Set(firm_id),
        name: Set(model.name.clone()),
        email: Set(model.email.clone()),
        role: Set(role),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(conn)
    .await;
    match res {
        Ok(_) => {
            // Staff and contacts of one firm share an address book.
            super::emails::claim(conn, firm_id, &model.email, HolderKind::User, model.id).await?;
            Ok(model)
        }
        Err(err) if is_unique_violation(&err) => Err(AppError::EmailInUse {
            email: model.email,
            holder: EmailHolder {
                kind: "USER",
                id: None,
                status: None,
            },
        }),
        Err(err) => Err(err.into()),
    }
}

fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Staff addresses are unique across firms, but a firm only learns who holds an address
/// when the holder is one of its own.
fn user_email_in_use(email: &str, firm_id: Uuid, holder: &user::Model) -> AppError {
    let own = holder.firm_id == firm_id;
    AppError::EmailInUse {
        email: email.to_string(),
        holder: EmailHolder {
            kind: "USER",
            id: own.then_some(holder.id),
            status: own.then(|| if holder.active { "ACTIVE" } else { "INACTIVE" }.to_string()),
        },
    }
}

/// Adds a staff user to the actor's firm (ADMIN).
pub async fn create(
    svc: &Services,
    actor: &Actor,
    name: Name,
    email: Email,
    role: Role,
) -> AppResult<user::Model> {
    actor.require(Role::Admin, "manage staff")?;
    let txn = svc.begin_write().await?;
    let user = insert(&txn, actor.firm_id(), name, email, role, svc.clock.now()).await?;
    txn.commit().await?;
    svc.signed_in.changed();
    Ok(user)
}

async fn load_staff(svc: &Services, actor: &Actor, user_id: Uuid) -> AppResult<user::Model> {
    user::Entity::find_by_id(user_id)
        .filter(user::Column::FirmId.eq(actor.firm_id()))
        .one(&svc.db)
        .await?
        .ok_or(AppError::NotFound("user"))
}

/// Changes a staff user's role (ADMIN; not one's own, so a firm keeps an administrator).
pub async fn change_role(
    svc: &Services,
    actor: &Actor,
    user_id: Uuid,
    role: Role,
) -> AppResult<user::Model> {
    actor.require(Role::Admin, "manage staff")?;
    let target = load_staff(svc, actor, user_id).await?;
    if Some(target.id) == actor.user_id() {
        return Err(AppError::bad_field(
            "userId",
            "You cannot change your own role; ask another ADMIN.",
        ));
    }
    save(svc, target, |u| u.role = role).await
}

/// Deactivates a staff user (ADMIN; not oneself): their tokens stop working at once.
pub async fn deactivate(svc: &Services, actor: &Actor, user_id: Uuid) -> AppResult<user::Model> {
    actor.require(Role::Admin, "manage staff")?;
    let target = load_staff(svc, actor, user_id).await?;
    if Some(target.id) == actor.user_id() {
        return Err(AppError::bad_field(
            "userId",
            "You cannot deactivate your own account; ask another ADMIN.",
        ));
    }
    save(svc, target, |u| u.active = false).await
}

async fn save(
    svc: &Services,
    mut target: user::Model,
    change: impl FnOnce(&mut user::Model),
) -> AppResult<user::Model> {
    change(&mut target);
    target.updated_at = svc.clock.now();
    let updated = user::Entity::update(user::ActiveModel {
        id: Set(target.id),
        role: Set(target.role),
        active: Set(target.active),
        updated_at: Set(target.updated_at),
        ..Default::default()
    })
    .exec(&svc.writer)
    .await;
    // Forgotten even when the update failed: it may have been applied.
    svc.signed_in.changed();
    updated?;
    Ok(target)
}
