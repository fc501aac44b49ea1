use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use entity::{Role as DbRole, WorkflowStatus};

use crate::domain::{parse_id, Name};
use crate::error::ResultExt;
use crate::graphql::context::ContextExt;
use crate::graphql::guards::RoleGuard;
use crate::graphql::types::{Stakeholder, Workflow, WorkflowKind};
use crate::service::{stakeholders, workflows};

/// A staff user and a client.
#[derive(InputObject)]
pub struct StakeholderInput {
    /// The client.
    pub client_id: ID,
    /// The staff user.
    pub user_id: ID,
}

/// A stakeholder link after a change.
#[derive(SimpleObject)]
pub struct StakeholderPayload {
    /// The link.
    pub stakeholder: Stakeholder,
}

/// New work for a client.
#[derive(InputObject)]
pub struct StartWorkflowInput {
    /// The client; must be ACTIVE.
    pub client_id: ID,
    /// What the work is called.
    pub name: String,
    /// CDD, PLAN or PROJECT.
    pub kind: WorkflowKind,
    /// An ACTIVE contact of the client who does the work.
    pub assignee_contact_id: Option<ID>,
}

/// The workflow to act on.
#[derive(InputObject)]
pub struct WorkflowIdInput {
    /// The workflow.
    pub workflow_id: ID,
}

/// A workflow after a change.
#[derive(SimpleObject)]
pub struct WorkflowPayload {
    /// The workflow.
    pub workflow: Workflow,
}

fn ids(input: &StakeholderInput) -> async_graphql::Result<(uuid::Uuid, uuid::Uuid)> {
    Ok((
        parse_id("clientId", &input.client_id).gql()?,
        parse_id("userId", &input.user_id).gql()?,
    ))
}

/// Assigning staff to clients and tracking their work (MEMBER).
#[derive(Default)]
pub struct WorkMutation;

/// Assigning staff to clients and tracking their work (MEMBER).
#[Object]
impl WorkMutation {
    /// Assigns a staff user to a client (again ACTIVE if the link was archived).
    #[graphql(guard = "RoleGuard(DbRole::Member)")]
    async fn assign_stakeholder(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client and the user.")] input: StakeholderInput,
    ) -> async_graphql::Result<StakeholderPayload> {
        let (svc, actor) = (ctx.services()?, ctx.actor()?);
        let (client_id, user_id) = ids(&input)?;
        let s = stakeholders::assign(svc, actor, client_id, user_id)
            .await
            .gql()?;
        Ok(StakeholderPayload {
            stakeholder: Stakeholder(s),
        })
    }

    /// Archives one user's link to a client; the client's status is untouched.
    #[graphql(guard = "RoleGuard(DbRole::Member)")]
    async fn archive_stakeholder(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client and the user.")] input: StakeholderInput,
    ) -> async_graphql::Result<StakeholderPayload> {
        let (svc, actor) = (ctx.services()?, ctx.actor()?);
        let (client_id, user_id) = ids(&input)?;
        let s = stakeholders::archive(svc, actor, client_id, user_id)
            .await
            .gql()?;
        Ok(StakeholderPayload {
            stakeholder: Stakeholder(s),
        })
    }

    /// Starts a workflow for an ACTIVE client.
    #[graphql(guard = "RoleGuard(DbRole::Member)")]
    async fn start_workflow(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The work.")] input: StartWorkflowInput,
    ) -> async_graphql::Result<WorkflowPayload> {
        let (svc, actor) = (ctx.services()?, ctx.actor()?);
        let client_id = parse_id("clientId", &input.client_id).gql()?;
        let name = Name::parse("name", &input.name).gql()?;
        let assignee = input
            .assignee_contact_id
            .as_deref()
            .map(|raw| parse_id("assigneeContactId", raw))
            .transpose()
            .gql()?;
        let w = workflows::start(svc, actor, client_id, name, input.kind.into(), assignee)
            .await
            .gql()?;
        Ok(WorkflowPayload {
            workflow: Workflow(w),
        })
    }

    /// ACTIVE to COMPLETED.
    #[graphql(guard = "RoleGuard(DbRole::Member)")]
    async fn complete_workflow(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The workflow.")] input: WorkflowIdInput,
    ) -> async_graphql::Result<WorkflowPayload> {
        let (svc, actor) = (ctx.services()?, ctx.actor()?);
        let id = parse_id("workflowId", &input.workflow_id).gql()?;
        let w = workflows::finish(svc, actor, id, WorkflowStatus::Completed)
            .await
            .gql()?;
        Ok(WorkflowPayload {
            workflow: Workflow(w),
        })
    }

    /// ACTIVE to CANCELLED.
    #[graphql(guard = "RoleGuard(DbRole::Member)")]
    async fn cancel_workflow(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The workflow.")] input: WorkflowIdInput,
    ) -> async_graphql::Result<WorkflowPayload> {
        let (svc, actor) = (ctx.services()?, ctx.actor()?);
        let id = parse_id("workflowId", &input.workflow_id).gql()?;
        let w = workflows::finish(svc, actor, id, WorkflowStatus::Cancelled)
            .await
            .gql()?;
        Ok(WorkflowPayload {
            workflow: Workflow(w),
        })
    }
}
