//! Closed vocabularies stored as short strings.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A staff user's role, from most to least powerful.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Role {
    #[sea_orm(string_value = "ADMIN")]
    Admin,
    #[sea_orm(string_value = "MANAGER")]
    Manager,
    #[sea_orm(string_value = "MEMBER")]
    Member,
    #[sea_orm(string_value = "VIEWER")]
    Viewer,
}

impl Role {
    /// Rank used to compare roles: higher is more powerful.
    pub fn rank(self) -> u8 {
        match self {
            Role::Admin => 4,
            Role::Manager => 3,
            Role::Member => 2,
            Role::Viewer => 1,
        }
    }

    /// True when this role is at least `min`.
    pub fn at_least(self, min: Role) -> bool {
        self.rank() >= min.rank()
    }
}

/// Where a client stands in its lifecycle.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ClientStatus {
    #[sea_orm(string_value = "PROSPECT")]
    Prospect,
    #[sea_orm(string_value = "PENDING")]
    Pending,
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    #[sea_orm(string_value = "SUSPENDED")]
    Suspended,
    #[sea_orm(string_value = "INACTIVE")]
    Inactive,
    #[sea_orm(string_value = "ARCHIVED")]
    Archived,
    #[sea_orm(string_value = "DISCARDED")]
    Discarded,
    #[sea_orm(string_value = "DECOMMISSIONED")]
    Decommissioned,
    #[sea_orm(string_value = "DISCONNECTED")]
    Disconnected,
}

impl ClientStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [ClientStatus; 9] = [
        ClientStatus::Prospect,
        ClientStatus::Pending,
        ClientStatus::Active,
        ClientStatus::Suspended,
        ClientStatus::Inactive,
        ClientStatus::Archived,
        ClientStatus::Discarded,
        ClientStatus::Decommissioned,
        ClientStatus::Disconnected,
    ];

    /// The stored (and API) spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientStatus::Prospect => "PROSPECT",
            ClientStatus::Pending => "PENDING",
            ClientStatus::Active => "ACTIVE",
            ClientStatus::Suspended => "SUSPENDED",
            ClientStatus::Inactive => "INACTIVE",
            ClientStatus::Archived => "ARCHIVED",
            ClientStatus::Discarded => "DISCARDED",
            ClientStatus::Decommissioned => "DECOMMISSIONED",
            ClientStatus::Disconnected => "DISCONNECTED",
        }
    }
}

/// Business or individual client.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ClientKind {
    #[sea_orm(string_value = "BUSINESS")]
    Business,
    #[sea_orm(string_value = "INDIVIDUAL")]
    Individual,
}

/// Who pays for the client's subscription.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Billing {
    #[sea_orm(string_value = "FIRM_PAID")]
    FirmPaid,
    #[sea_orm(string_value = "SELF_PAYING")]
    SelfPaying,
}

/// Every action of the client lifecycle.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum LifecycleAction {
    #[sea_orm(string_value = "CREATE")]
    Create,
    #[sea_orm(string_value = "UPDATE")]
    Update,
    #[sea_orm(string_value = "ACTIVATE")]
    Activate,
    #[sea_orm(string_value = "SCHEDULE_ACTIVATION")]
    ScheduleActivation,
    #[sea_orm(string_value = "SUSPEND")]
    Suspend,
    #[sea_orm(string_value = "UNSUSPEND")]
    Unsuspend,
    #[sea_orm(string_value = "DEACTIVATE")]
    Deactivate,
    #[sea_orm(string_value = "REACTIVATE")]
    Reactivate,
    #[sea_orm(string_value = "ARCHIVE")]
    Archive,
    #[sea_orm(string_value = "UNARCHIVE")]
    Unarchive,
    #[sea_orm(string_value = "DISCARD")]
    Discard,
    #[sea_orm(string_value = "RESTORE")]
    Restore,
    #[sea_orm(string_value = "DECOMMISSION")]
    Decommission,
    #[sea_orm(string_value = "CANCEL_DECOMMISSION")]
    CancelDecommission,
    #[sea_orm(string_value = "DISCONNECT")]
    Disconnect,
    #[sea_orm(string_value = "DELETE")]
    Delete,
    #[sea_orm(string_value = "REVOKE_PORTAL_ACCESS")]
    RevokePortalAccess,
    #[sea_orm(string_value = "RESTORE_PORTAL_ACCESS")]
    RestorePortalAccess,
}

/// Why an action was taken (optional, stored on the event).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum LifecycleReason {
    #[sea_orm(string_value = "NON_PAYMENT")]
    NonPayment,
    #[sea_orm(string_value = "CLIENT_REQUEST")]
    ClientRequest,
    #[sea_orm(string_value = "MOVED_TO_ANOTHER_FIRM")]
    MovedToAnotherFirm,
    #[sea_orm(string_value = "SEASONAL")]
    Seasonal,
    #[sea_orm(string_value = "SERVICE_ENDED")]
    ServiceEnded,
    #[sea_orm(string_value = "DUPLICATE")]
    Duplicate,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// A contact's status.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ContactStatus {
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    #[sea_orm(string_value = "INACTIVE")]
    Inactive,
}

/// A stakeholder link's status.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum StakeholderStatus {
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    #[sea_orm(string_value = "ARCHIVED")]
    Archived,
}

/// The kind of work a workflow is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum WorkflowKind {
    #[sea_orm(string_value = "CDD")]
    Cdd,
    #[sea_orm(string_value = "PLAN")]
    Plan,
    #[sea_orm(string_value = "PROJECT")]
    Project,
}

/// Where a workflow stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum WorkflowStatus {
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    #[sea_orm(string_value = "COMPLETED")]
    Completed,
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
    #[sea_orm(string_value = "ARCHIVED")]
    Archived,
}

/// Whether a subscription period is charged.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Charge {
    #[sea_orm(string_value = "INVOICED")]
    Invoiced,
    #[sea_orm(string_value = "NONE")]
    None,
}

/// Delivery state of an outbox notification.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum NotificationStatus {
    #[sea_orm(string_value = "PENDING")]
    Pending,
    #[sea_orm(string_value = "SENT")]
    Sent,
    #[sea_orm(string_value = "FAILED")]
    Failed,
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

/// Who holds an address in the firm's address book of contacts and staff.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum HolderKind {
    #[sea_orm(string_value = "CONTACT")]
    Contact,
    #[sea_orm(string_value = "USER")]
    User,
}

/// Delivery state of a webhook delivery.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum WebhookDeliveryStatus {
    #[sea_orm(string_value = "PENDING")]
    Pending,
    #[sea_orm(string_value = "DELIVERED")]
    Delivered,
    #[sea_orm(string_value = "FAILED")]
    Failed,
}
