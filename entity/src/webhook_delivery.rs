//! One event to POST to one webhook: written with the event, sent by a worker.

use sea_orm::entity::prelude::*;

use crate::enums::WebhookDeliveryStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub firm_id: Uuid,
    pub webhook_id: Uuid,
    pub event_id: Uuid,
    pub client_id: Uuid,
    pub status: WebhookDeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub response_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub delivered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
