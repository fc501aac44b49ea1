//! Per-request data loaders: one statement per kind of related row, whatever the page size.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::ErrorExtensions;
use entity::{client, lifecycle_event, user};
use uuid::Uuid;

use crate::service::{audit, clients, users, Services};

/// Staff users by id (event actors).
pub struct UserLoader(pub Services);

impl Loader<Uuid> for UserLoader {
    type Value = user::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, user::Model>, Self::Error> {
        let rows = users::by_ids(&self.0, keys).await.map_err(|e| e.extend())?;
        Ok(rows.into_iter().map(|u| (u.id, u)).collect())
    }
}

/// Clients by id (the client of an event; absent once deleted).
pub struct ClientLoader(pub Services);

impl Loader<Uuid> for ClientLoader {
    type Value = client::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, client::Model>, Self::Error> {
        let rows = clients::by_ids(&self.0, keys)
            .await
            .map_err(|e| e.extend())?;
        Ok(rows.into_iter().map(|c| (c.id, c)).collect())
    }
}

/// The newest N events of a client, keyed by (client id, N): one windowed statement per N.
pub struct NewestEventsLoader(pub Services);

impl Loader<(Uuid, u64)> for NewestEventsLoader {
    type Value = Vec<lifecycle_event::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[(Uuid, u64)],
    ) -> Result<HashMap<(Uuid, u64), Self::Value>, Self::Error> {
        let mut by_limit: HashMap<u64, Vec<Uuid>> = HashMap::new();
        for (id, n) in keys {
            by_limit.entry(*n).or_default().push(*id);
        }
        let mut out = HashMap::new();
        for (n, ids) in by_limit {
            // One extra row tells whether a next page exists.
            let mut rows = audit::newest_events(&self.0, &ids, n + 1)
                .await
                .map_err(|e| e.extend())?;
            for id in ids {
                out.insert((id, n), rows.remove(&id).unwrap_or_default());
            }
        }
        Ok(out)
    }
}

/// Every loader of one request.
pub struct Loaders {
    pub users: DataLoader<UserLoader>,
    pub clients: DataLoader<ClientLoader>,
    pub newest_events: DataLoader<NewestEventsLoader>,
}

impl Loaders {
    pub fn new(services: &Services) -> Self {
        Loaders {
            users: DataLoader::new(UserLoader(services.clone()), tokio::spawn),
            clients: DataLoader::new(ClientLoader(services.clone()), tokio::spawn),
            newest_events: DataLoader::new(NewestEventsLoader(services.clone()), tokio::spawn),
        }
    }
}
