//! The firm's address book of contacts and staff: one row per address, unique per firm,
//! so the database refuses two holders of one address even under concurrency.

use sea_orm::entity::prelude::*;

use crate::enums::HolderKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_claims")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub firm_id: Uuid,
    pub email: String,
    pub holder_kind: HolderKind,
    pub holder_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
