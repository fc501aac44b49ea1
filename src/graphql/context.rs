//! What a resolver reads from the request: the services and who is asking.

use async_graphql::context::ContextBase;
use async_graphql::ErrorExtensions;

use crate::error::AppError;
use crate::service::{Actor, Services};

/// The outcome of authenticating one request, put into its data by the HTTP layer.
#[derive(Debug, Clone)]
pub enum RequestAuth {
    /// An active staff user.
    Staff(Actor),
    /// No credentials were sent, or they were not valid.
    Anonymous,
}

/// The request's time budget: it runs out at its arrival plus the request timeout.
#[derive(Debug, Clone, Copy)]
pub struct RequestDeadline {
    /// When work done step by step should stop starting new steps: with a fifth of the
    /// request's time left, so that what was done is answered rather than lost to the
    /// timeout.
    pub stop_starting: std::time::Instant,
}

impl RequestDeadline {
    pub fn new(started: std::time::Instant, timeout: std::time::Duration) -> Self {
        RequestDeadline {
            stop_starting: started + timeout - timeout / 5,
        }
    }
}

/// Shorthands for resolvers.
pub trait ContextExt {
    fn services(&self) -> async_graphql::Result<&Services>;
    /// The signed-in actor, or `UNAUTHENTICATED`.
    fn actor(&self) -> async_graphql::Result<&Actor>;
}

impl<T> ContextExt for ContextBase<'_, T> {
    fn services(&self) -> async_graphql::Result<&Services> {
        self.data::<Services>()
            .map_err(|_| AppError::internal("services missing from schema data").extend())
    }

    fn actor(&self) -> async_graphql::Result<&Actor> {
        match self.data_opt::<RequestAuth>() {
            Some(RequestAuth::Staff(actor)) => Ok(actor),
            _ => Err(AppError::Unauthenticated.extend()),
        }
    }
}
