//! SeaORM entities of Clientele: plain persistence, no API types and no rules.

pub mod client;
pub mod enums;
pub mod firm;
pub mod lifecycle_event;
pub mod user;

pub use enums::{Billing, ClientKind, ClientStatus, LifecycleAction, LifecycleReason, Role};
