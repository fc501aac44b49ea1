//! One row per action on a client: the append-only audit trail.
//!
//! `client_id` has no foreign key on purpose: events outlive the client they describe.

use sea_orm::entity::prelude::*;

use crate::enums::{ClientStatus, LifecycleAction, LifecycleReason};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lifecycle_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub firm_id: Uuid,
    pub client_id: Uuid,
    pub action: LifecycleAction,
    pub from_status: Option<ClientStatus>,
    pub to_status: Option<ClientStatus>,
    /// The staff user who acted; `None` for the scheduler.
    pub actor_id: Option<Uuid>,
    pub reason: Option<LifecycleReason>,
    pub feedback: Option<String>,
    pub details: Option<Json>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
