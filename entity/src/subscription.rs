//! A paid (or free) period of service for a client.

use sea_orm::entity::prelude::*;

use crate::enums::Charge;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscriptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub firm_id: Uuid,
    pub client_id: Uuid,
    pub plan: String,
    pub period_start: DateTimeUtc,
    /// Twelve months after the first period's start.
    pub period_end: DateTimeUtc,
    pub charge: Charge,
    pub ended_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
