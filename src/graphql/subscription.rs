//! The subscription root: lifecycle events as they commit.

use std::time::{Duration, Instant};

use async_graphql::{Context, Subscription, ID};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::context::ContextExt;
use super::loaders::Loaders;
use super::types::LifecycleEvent;
use crate::domain::parse_id;
use crate::error::ResultExt;
use crate::service::users;

/// How often a long subscription checks that its user is still active.
const RECHECK_USER: Duration = Duration::from_secs(30);

/// Live updates.
#[derive(Default)]
pub struct SubscriptionRoot;

/// Live updates.
#[Subscription]
impl SubscriptionRoot {
    /// Every lifecycle event of the viewer's firm as it commits, from any server process
    /// (or only those of one client). Served over graphql-transport-ws at `/graphql/ws`,
    /// with `{"Authorization": "Bearer <token>"}` as the `connection_init` payload. A
    /// subscriber that falls more than 1,024 events behind, or whose user is deactivated,
    /// is dropped: its subscription completes, and it subscribes again and reads the
    /// history for what it missed.
    async fn client_events<'ctx>(
        &self,
        ctx: &Context<'ctx>,
        #[graphql(desc = "Only the events of this client.")] client_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = LifecycleEvent> + 'ctx> {
        // Borrowed for the life of the subscription, not of this call.
        let svc: &'ctx crate::service::Services = ctx.data()?;
        let actor = ctx.actor()?;
        let firm_id = actor.firm_id();
        let user_id = actor.user_id();
        let client_id = client_id
            .map(|id| parse_id("clientId", &id))
            .transpose()
            .gql()?;
        let loaders = ctx.data::<Loaders>()?;
        let receiver = svc.events.subscribe();
        let state = (receiver, Instant::now());
        Ok(futures_util::stream::unfold(
            state,
            move |(mut receiver, mut checked)| async move {
                loop {
                    let event = match receiver.recv().await {
                        Ok(event) => event,
                        // Too slow: dropped rather than buffered without bound.
                        Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => return None,
                    };
                    if event.firm_id != firm_id || client_id.is_some_and(|id| id != event.client_id)
                    {
                        continue;
                    }
                    if checked.elapsed() > RECHECK_USER {
                        let id = user_id?;
                        match users::authenticate(svc, id).await {
                            Ok(Some(_)) => checked = Instant::now(),
                            _ => return None,
                        }
                    }
                    loaders.clear();
                    return Some((LifecycleEvent((*event).clone()), (receiver, checked)));
                }
            },
        ))
    }
}
