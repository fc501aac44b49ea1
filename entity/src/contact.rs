//! A person on the client's side (a team member who uses the client portal).

use sea_orm::entity::prelude::*;

use crate::enums::ContactStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub firm_id: Uuid,
    pub client_id: Uuid,
    pub name: String,
    /// Stored trimmed and lower-cased; claimed in `email_claims`.
    pub email: String,
    pub status: ContactStatus,
    pub portal_access: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
