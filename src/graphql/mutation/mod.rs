//! Mutation roots, one per area, merged in `schema`.

mod clients;
mod lifecycle;
mod staff;

pub use clients::ClientMutation;
pub use lifecycle::LifecycleMutation;
pub use staff::StaffMutation;
