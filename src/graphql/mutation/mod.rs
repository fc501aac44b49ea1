//! Mutation roots, one per area, merged in `schema`.

mod clients;
mod contacts;
mod lifecycle;
mod staff;
mod work;

pub use clients::ClientMutation;
pub use contacts::ContactMutation;
pub use lifecycle::LifecycleMutation;
pub use staff::StaffMutation;
pub use work::WorkMutation;
