use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use entity::Role as DbRole;

use crate::domain::{parse_id, Email, Name};
use crate::error::ResultExt;
use crate::graphql::context::ContextExt;
use crate::graphql::guards::RoleGuard;
use crate::graphql::types::{Role, User};
use crate::service::users;

/// A new staff user.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// Display name.
    pub name: String,
    /// E-mail address, unique across all firms.
    pub email: String,
    /// What the user may do.
    pub role: Role,
}

/// A new role for a staff user.
#[derive(InputObject)]
pub struct ChangeUserRoleInput {
    /// The user (not yourself).
    pub user_id: ID,
    /// The new role.
    pub role: Role,
}

/// The staff user to deactivate.
#[derive(InputObject)]
pub struct DeactivateUserInput {
    /// The user (not yourself).
    pub user_id: ID,
}

/// The result of `createUser`.
#[derive(SimpleObject)]
pub struct CreateUserPayload {
    /// The new user.
    pub user: User,
}

/// The result of `changeUserRole`.
#[derive(SimpleObject)]
pub struct ChangeUserRolePayload {
    /// The user after the change.
    pub user: User,
}

/// The result of `deactivateUser`.
#[derive(SimpleObject)]
pub struct DeactivateUserPayload {
    /// The user, now inactive.
    pub user: User,
}

/// Managing the firm's staff (ADMIN).
#[derive(Default)]
pub struct StaffMutation;

/// Managing the firm's staff (ADMIN).
#[Object]
impl StaffMutation {
    /// Adds a staff user to the firm (ADMIN).
    #[graphql(guard = "RoleGuard(DbRole::Admin)")]
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new user.")] input: CreateUserInput,
    ) -> async_graphql::Result<CreateUserPayload> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let name = Name::parse("name", &input.name).gql()?;
        let email = Email::parse("email", &input.email).gql()?;
        let user = users::create(svc, actor, name, email, input.role.into())
            .await
            .gql()?;
        Ok(CreateUserPayload { user: User(user) })
    }

    /// Changes another staff user's role (ADMIN).
    #[graphql(guard = "RoleGuard(DbRole::Admin)")]
    async fn change_user_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user and the new role.")] input: ChangeUserRoleInput,
    ) -> async_graphql::Result<ChangeUserRolePayload> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let id = parse_id("userId", &input.user_id).gql()?;
        let user = users::change_role(svc, actor, id, input.role.into())
            .await
            .gql()?;
        Ok(ChangeUserRolePayload { user: User(user) })
    }

    /// Deactivates another staff user (ADMIN); their tokens stop working at once.
    #[graphql(guard = "RoleGuard(DbRole::Admin)")]
    async fn deactivate_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user to deactivate.")] input: DeactivateUserInput,
    ) -> async_graphql::Result<DeactivateUserPayload> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let id = parse_id("userId", &input.user_id).gql()?;
        let user = users::deactivate(svc, actor, id).await.gql()?;
        Ok(DeactivateUserPayload { user: User(user) })
    }
}
