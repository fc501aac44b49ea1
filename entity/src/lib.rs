//! SeaORM entities of Clientele: plain persistence, no API types and no rules.

pub mod client;
pub mod contact;
pub mod email_claim;
pub mod enums;
pub mod firm;
pub mod lifecycle_event;
pub mod notification;
pub mod stakeholder;
pub mod subscription;
pub mod user;
pub mod webhook;
pub mod webhook_delivery;
pub mod workflow;

pub use enums::{
    Billing, Charge, ClientKind, ClientStatus, ContactStatus, HolderKind, LifecycleAction,
    LifecycleReason, NotificationStatus, Role, StakeholderStatus, WebhookDeliveryStatus,
    WorkflowKind, WorkflowStatus,
};
