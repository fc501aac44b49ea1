//! Field guards: the first line of authorization (the service checks again).

use async_graphql::{Context, ErrorExtensions, Guard};
use entity::{LifecycleAction, Role};

use super::context::ContextExt;
use crate::service::lifecycle::rule_of;

/// Lets through only staff with at least this role.
pub struct RoleGuard(pub Role);

impl Guard for RoleGuard {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        let actor = ctx.actor()?;
        actor.require(self.0, "do this").map_err(|e| e.extend())
    }
}

/// Lets through only staff whose role the transition table allows for this action.
pub struct ActionGuard(pub LifecycleAction);

impl Guard for ActionGuard {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        let actor = ctx.actor()?;
        match rule_of(self.0) {
            Some(rule) => actor
                .require(rule.min_role, rule.verb)
                .map_err(|e| e.extend()),
            None => Ok(()),
        }
    }
}
