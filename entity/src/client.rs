//! A client of a firm and where it stands in its lifecycle.
//!
//! The table also holds a copy of the client's latest lifecycle event (`latest_event_*`,
//! see migration `m20261130_000005`) and how many ACTIVE contacts and workflows it has
//! (`active_contacts`, `active_workflows`, see `m20261130_000006`), kept by triggers.
//! Those columns are left out of this model, so that no other read carries them: list
//! pages that need them select them on their own (`rows::ClientPageRow` in the server).

use sea_orm::entity::prelude::*;

use crate::enums::{Billing, ClientKind, ClientStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub firm_id: Uuid,
    pub name: String,
    /// Stored trimmed and lower-cased; unique among the firm's clients.
    pub email: Option<String>,
    pub kind: ClientKind,
    pub billing: Billing,
    pub status: ClientStatus,
    pub portal_access: bool,
    pub activation_scheduled_at: Option<DateTimeUtc>,
    pub decommission_scheduled_at: Option<DateTimeUtc>,
    pub status_before_archive: Option<ClientStatus>,
    /// The contact who took the account over when the client was disconnected.
    pub account_owner_contact_id: Option<Uuid>,
    /// Bumped by every change; compared with `expectedVersion`.
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub status_changed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
