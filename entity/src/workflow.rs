//! Work in progress for a client.

use sea_orm::entity::prelude::*;

use crate::enums::{WorkflowKind, WorkflowStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workflows")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub firm_id: Uuid,
    pub client_id: Uuid,
    pub name: String,
    pub kind: WorkflowKind,
    pub status: WorkflowStatus,
    pub assignee_contact_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
