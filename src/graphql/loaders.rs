//! Per-request data loaders: one statement per kind of related row, whatever the page size.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use async_graphql::ErrorExtensions;
use chrono::{DateTime, Utc};
use entity::{client, contact, lifecycle_event, stakeholder, user, workflow};
use uuid::Uuid;

use crate::service::{
    audit, clients, contacts, lifecycle, stakeholders, users, workflows, Services,
};

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

/// The loaders' caches: hash maps with foldhash's seeded hasher. Their keys are UUIDs,
/// and SipHash (the standard one) was most of the cost of priming a page's rows.
type Cache = HashMapCache<foldhash::fast::RandomState>;

/// Every loader of one request.
/// Each caches for the request, so rows primed by a prefetch are not read again.
pub struct Loaders {
    pub users: DataLoader<UserLoader, Cache>,
    pub clients: DataLoader<ClientLoader, Cache>,
    pub newest_events: DataLoader<NewestEventsLoader, Cache>,
    pub facts: DataLoader<FactsLoader, Cache>,
    pub contacts: DataLoader<ContactLoader, Cache>,
    pub children: DataLoader<ClientChildrenLoader, Cache>,
    /// `availableActions` values already resolved in this request.
    pub resolved_actions: super::types::ResolvedActions,
    /// Rows a list page read for all its clients at once.
    pub primed: Primed,
}

/// Rows read for a whole page of clients by [`prefetch_for_clients`], kept where a
/// resolver can take them without waiting: the objects of a page are then answered
/// whole by the plain walk (`plain::resolve_now`), with no future or loader round per
/// client. The data loaders serve whatever is not here.
#[derive(Default)]
pub struct Primed(std::sync::Mutex<PrimedRows>);

type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

#[derive(Default)]
struct PrimedRows {
    /// The rules' facts of a client, and whether they hold its subscriptions (without
    /// them they serve only the rules' verdicts; see `lifecycle::Facts`).
    facts: FastMap<Uuid, (Arc<lifecycle::Facts>, bool)>,
    /// When the facts were read: the instant the rules judge the page's clients at.
    facts_read_at: Option<DateTime<Utc>>,
    /// The newest `limit + 1` events of a client, by (client, limit), as
    /// `NewestEventsLoader` gives them.
    newest_events: FastMap<(Uuid, u64), Arc<[lifecycle_event::Model]>>,
    /// The latest event of a client (`None`: it has none).
    latest: FastMap<Uuid, Option<Arc<lifecycle_event::Model>>>,
    users: FastMap<Uuid, Arc<user::Model>>,
}

impl Primed {
    fn rows(&self) -> std::sync::MutexGuard<'_, PrimedRows> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The rules' facts about a client, if its page read them (with its subscriptions
    /// when `with_subscriptions`), and when they were read (one instant for the whole
    /// page).
    pub fn facts(
        &self,
        client: Uuid,
        with_subscriptions: bool,
    ) -> Option<(Arc<lifecycle::Facts>, DateTime<Utc>)> {
        let rows = self.rows();
        match rows.facts.get(&client)? {
            (facts, complete) if *complete || !with_subscriptions => {
                Some((facts.clone(), rows.facts_read_at?))
            }
            _ => None,
        }
    }

    /// The newest events of a client as `NewestEventsLoader` gives them for `limit`, if
    /// its page read them.
    pub fn newest_events(&self, client: Uuid, limit: u64) -> Option<Arc<[lifecycle_event::Model]>> {
        self.rows().newest_events.get(&(client, limit)).cloned()
    }

    /// The latest event of a client (`Some(None)`: it has none), if its page read it.
    pub fn latest_event(&self, client: Uuid) -> Option<Option<Arc<lifecycle_event::Model>>> {
        self.rows().latest.get(&client).cloned()
    }

    /// A staff user, if a page read them (as the actor of an event).
    pub fn user(&self, id: Uuid) -> Option<Arc<user::Model>> {
        self.rows().users.get(&id).cloned()
    }

    /// Keeps the facts a page read at `read_at`, with the clients' subscriptions or not;
    /// facts with subscriptions that another page of the request read are kept over ones
    /// without.
    fn keep_facts(
        &self,
        facts: impl IntoIterator<Item = (Uuid, lifecycle::Facts)>,
        with_subscriptions: bool,
        read_at: DateTime<Utc>,
    ) {
        let facts = facts.into_iter();
        let mut rows = self.rows();
        rows.facts_read_at = Some(read_at);
        rows.facts.reserve(facts.size_hint().0);
        for (id, f) in facts {
            let complete = rows.facts.get(&id).is_some_and(|(_, complete)| *complete);
            if with_subscriptions || !complete {
                rows.facts.insert(id, (Arc::new(f), with_subscriptions));
            }
        }
    }

    fn clear(&self) {
        *self.rows() = PrimedRows::default();
    }
}

impl Loaders {
    /// The rules' facts about a client; its subscriptions too when `with_subscriptions`
    /// (the rules' verdicts do without).
    pub async fn facts_of(
        &self,
        client: Uuid,
        with_subscriptions: bool,
    ) -> async_graphql::Result<lifecycle::Facts> {
        if let Some((facts, _)) = self.primed.facts(client, with_subscriptions) {
            return Ok((*facts).clone());
        }
        Ok(self.facts.load_one(client).await?.unwrap_or_default())
    }

    /// The newest `limit` events of a client, and one more when there are more.
    pub async fn newest_events_of(
        &self,
        client: Uuid,
        limit: u64,
    ) -> async_graphql::Result<Vec<lifecycle_event::Model>> {
        if let Some(rows) = self.primed.newest_events(client, limit) {
            return Ok(rows.to_vec());
        }
        Ok(self
            .newest_events
            .load_one((client, limit))
            .await?
            .unwrap_or_default())
    }

    /// The latest event of a client.
    pub async fn latest_event_of(
        &self,
        client: Uuid,
    ) -> async_graphql::Result<Option<lifecycle_event::Model>> {
        if let Some(latest) = self.primed.latest_event(client) {
            return Ok(latest.map(|e| (*e).clone()));
        }
        Ok(self.newest_events_of(client, 1).await?.into_iter().next())
    }

    /// A staff user by id.
    pub async fn user(&self, id: Uuid) -> async_graphql::Result<Option<user::Model>> {
        if let Some(user) = self.primed.user(id) {
            return Ok(Some((*user).clone()));
        }
        self.users.load_one(id).await
    }
}

impl Loaders {
    pub fn new(services: &Services) -> Self {
        Loaders {
            users: DataLoader::with_cache(UserLoader(services.clone()), tokio::spawn, Cache::new()),
            clients: DataLoader::with_cache(
                ClientLoader(services.clone()),
                tokio::spawn,
                Cache::new(),
            ),
            newest_events: DataLoader::with_cache(
                NewestEventsLoader(services.clone()),
                tokio::spawn,
                Cache::new(),
            ),
            facts: DataLoader::with_cache(
                FactsLoader(services.clone()),
                tokio::spawn,
                Cache::new(),
            ),
            contacts: DataLoader::with_cache(
                ContactLoader(services.clone()),
                tokio::spawn,
                Cache::new(),
            ),
            children: DataLoader::with_cache(
                ClientChildrenLoader(services.clone()),
                tokio::spawn,
                Cache::new(),
            ),
            resolved_actions: Default::default(),
            primed: Primed::default(),
        }
    }

    /// Forgets everything loaded, so what is resolved next is read afresh (a subscription
    /// resolves each event it delivers with the loaders of its operation).
    pub fn clear(&self) {
        self.users.clear::<Uuid>();
        self.clients.clear::<Uuid>();
        self.newest_events.clear::<(Uuid, u64)>();
        self.facts.clear::<Uuid>();
        self.contacts.clear::<Uuid>();
        self.children.clear::<ContactsOf>();
        self.children.clear::<StakeholdersOf>();
        self.children.clear::<WorkflowsOf>();
        self.resolved_actions.clear();
        self.primed.clear();
    }
}

/// Reads the page size of a `history` selection that the loader can serve (a first page
/// without cursors); `None` for any other window.
fn first_page_limit(field: &async_graphql::SelectionField<'_>) -> Option<u64> {
    let args = field.arguments().ok()?;
    let mut first = None;
    for (name, value) in args {
        match (name.as_str(), value) {
            ("first", async_graphql::Value::Number(n)) => first = n.as_i64(),
            ("first", async_graphql::Value::Null) => {}
            (_, async_graphql::Value::Null) => {}
            _ => return None,
        }
    }
    let n = first
        .unwrap_or(i64::from(crate::service::pagination::DEFAULT_PAGE))
        .clamp(0, i64::from(crate::service::pagination::MAX_PAGE));
    u64::try_from(n).ok()
}

/// What the selection below a page of clients asks for.
#[derive(Default)]
pub struct Wanted {
    /// The page sizes of first `history` pages.
    event_limits: std::collections::BTreeSet<u64>,
    latest_event: bool,
    actors: bool,
    /// An event's `client`: the page's own clients, fed to the client loader.
    event_clients: bool,
    /// The rules' facts: for their verdicts (`availableActions`), and with the
    /// subscriptions when `subscriptions`.
    facts: bool,
    subscriptions: bool,
    contacts: bool,
    stakeholders: bool,
    workflows: bool,
}

impl Wanted {
    /// Notes what the events selected by `events` ask for.
    fn events<'a>(&mut self, events: impl Iterator<Item = async_graphql::SelectionField<'a>>) {
        for f in events {
            match f.name() {
                "actor" => self.actors = true,
                "client" => self.event_clients = true,
                _ => {}
            }
        }
    }
}

fn scan_client(field: async_graphql::SelectionField<'_>, wanted: &mut Wanted) {
    for f in field.selection_set() {
        match f.name() {
            "availableActions" => wanted.facts = true,
            "currentSubscription" | "subscriptions" => {
                wanted.facts = true;
                wanted.subscriptions = true;
            }
            "contacts" => wanted.contacts = true,
            "stakeholders" => wanted.stakeholders = true,
            "workflows" => wanted.workflows = true,
            "latestEvent" => {
                wanted.latest_event = true;
                wanted.events(f.selection_set());
            }
            "history" => {
                if let Some(limit) = first_page_limit(&f) {
                    wanted.event_limits.insert(limit);
                }
                for conn in f.selection_set() {
                    match conn.name() {
                        "nodes" => wanted.events(conn.selection_set()),
                        "edges" => {
                            for edge in conn.selection_set().filter(|e| e.name() == "node") {
                                wanted.events(edge.selection_set());
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

impl Wanted {
    /// What the nodes of the page of clients resolved in `ctx` ask for.
    pub fn of_page(ctx: &async_graphql::Context<'_>) -> Self {
        let look = ctx.look_ahead();
        let mut wanted = Wanted::default();
        for nodes in look.field("nodes").selection_fields() {
            scan_client(nodes, &mut wanted);
        }
        for edges in look.field("edges").selection_fields() {
            for node in edges.selection_set().filter(|f| f.name() == "node") {
                scan_client(node, &mut wanted);
            }
        }
        wanted
    }

    /// What the page's statement should read with each client: the latest event (the
    /// copy on its row) when asked for and not already the first row of a `history` page
    /// read anyway, and the counts of ACTIVE contacts and workflows when only the rules'
    /// verdicts need facts (with subscriptions the facts are read whole, apart).
    pub fn page_extras(&self) -> crate::service::clients::PageExtras {
        crate::service::clients::PageExtras {
            latest_event: self.latest_event && self.event_limits.is_empty(),
            counts: self.facts && !self.subscriptions,
        }
    }
}

/// Loads, for a whole page of clients at once, what their selection will ask the loaders
/// for (first pages of history, latest events, their actors, the rules' facts, contacts,
/// stakeholders, workflows) and keeps it for them (the rules' facts, events and actors in
/// [`Primed`], the rest in the loaders' caches), so the page costs a fixed number of
/// statements whatever its size and however the resolvers happen to be scheduled.
pub async fn prefetch_for_clients(
    ctx: &async_graphql::Context<'_>,
    services: &Services,
    clients: &[&client::Model],
    wanted: &Wanted,
    latest_events: Option<crate::service::IdMap<Option<lifecycle_event::Model>>>,
    counts: Option<crate::service::IdMap<(usize, usize)>>,
) -> async_graphql::Result<()> {
    let loaders = ctx.data::<Loaders>()?;
    if clients.is_empty() {
        return Ok(());
    }
    if wanted.event_clients {
        loaders
            .clients
            .feed_many(clients.iter().map(|c| (c.id, (*c).clone())))
            .await;
    }
    let ids: Vec<Uuid> = clients.iter().map(|c| c.id).collect();
    if wanted.facts {
        let facts = match counts {
            Some(counts) if !wanted.subscriptions => lifecycle::counted_facts(counts),
            _ => lifecycle::load_page_facts(services, &ids, wanted.subscriptions)
                .await
                .map_err(|e| e.extend())?,
        };
        loaders
            .primed
            .keep_facts(facts, wanted.subscriptions, services.clock.now());
    }
    // Workflow assignees are contacts of the same clients: one read serves both.
    if wanted.contacts || wanted.workflows {
        let rows = contacts::of_clients(services, &ids)
            .await
            .map_err(|e| e.extend())?;
        loaders
            .contacts
            .feed_many(rows.iter().map(|c| (c.id, c.clone())))
            .await;
        let grouped = by_client(&ids, rows, |c| c.client_id);
        loaders
            .children
            .feed_many(grouped.into_iter().map(|(k, v)| (ContactsOf(k), v)))
            .await;
    }
    if wanted.stakeholders {
        let rows = stakeholders::of_clients(services, &ids)
            .await
            .map_err(|e| e.extend())?;
        let user_ids: Vec<Uuid> = rows
            .iter()
            .map(|s| s.user_id)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let staff = users::by_ids(services, &user_ids)
            .await
            .map_err(|e| e.extend())?;
        loaders
            .users
            .feed_many(staff.into_iter().map(|u| (u.id, u)))
            .await;
        let grouped = by_client(&ids, rows, |s| s.client_id);
        loaders
            .children
            .feed_many(grouped.into_iter().map(|(k, v)| (StakeholdersOf(k), v)))
            .await;
    }
    if wanted.workflows {
        let rows = workflows::of_clients(services, &ids)
            .await
            .map_err(|e| e.extend())?;
        let grouped = by_client(&ids, rows, |w| w.client_id);
        loaders
            .children
            .feed_many(grouped.into_iter().map(|(k, v)| (WorkflowsOf(k), v)))
            .await;
    }
    let mut actor_ids = std::collections::BTreeSet::new();
    for &limit in &wanted.event_limits {
        let mut rows = audit::newest_events(services, &ids, limit + 1)
            .await
            .map_err(|e| e.extend())?;
        let mut primed = loaders.primed.rows();
        for id in &ids {
            let events = rows.remove(id).unwrap_or_default();
            actor_ids.extend(events.iter().filter_map(|e| e.actor_id));
            primed.newest_events.insert((*id, limit), events.into());
        }
    }
    if wanted.latest_event {
        // The first row of any first history page is the latest event; without one, the
        // latest events are read on their own (one row per client, which SQLite finds
        // with no temporary table).
        // Room for the page, made under a lock of its own: the guard below must not be
        // held where the last branch awaits.
        loaders.primed.rows().latest.reserve(ids.len());
        let mut primed = loaders.primed.rows();
        if let Some(&limit) = wanted.event_limits.first() {
            for id in &ids {
                let latest = primed
                    .newest_events
                    .get(&(*id, limit))
                    .and_then(|events| events.first().cloned());
                primed.latest.insert(*id, latest.map(Arc::new));
            }
        } else if let Some(mut latest_events) = latest_events {
            for id in &ids {
                let latest = latest_events.remove(id).flatten();
                actor_ids.extend(latest.as_ref().and_then(|e| e.actor_id));
                primed.latest.insert(*id, latest.map(Arc::new));
            }
        } else {
            drop(primed);
            let mut rows = audit::newest_events(services, &ids, 1)
                .await
                .map_err(|e| e.extend())?;
            let mut primed = loaders.primed.rows();
            for id in &ids {
                let latest = rows.remove(id).and_then(|events| events.into_iter().next());
                actor_ids.extend(latest.as_ref().and_then(|e| e.actor_id));
                primed.latest.insert(*id, latest.map(Arc::new));
            }
        }
    }
    if wanted.actors && !actor_ids.is_empty() {
        let ids: Vec<Uuid> = actor_ids.into_iter().collect();
        let users = users::by_ids(services, &ids)
            .await
            .map_err(|e| e.extend())?;
        loaders
            .primed
            .rows()
            .users
            .extend(users.into_iter().map(|u| (u.id, Arc::new(u))));
    }
    Ok(())
}

/// What the lifecycle rules need per client (ACTIVE contacts and workflows,
/// subscriptions), for `availableActions` and `currentSubscription`.
pub struct FactsLoader(pub Services);

impl Loader<Uuid> for FactsLoader {
    type Value = lifecycle::Facts;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(lifecycle::load_facts(&self.0.db, keys)
            .await
            .map_err(|e| e.extend())?
            .into_iter()
            .collect())
    }
}

/// Groups rows by their client id, keeping the query's order; every key gets an entry.
fn by_client<T>(
    keys: &[Uuid],
    rows: Vec<T>,
    client_of: impl Fn(&T) -> Uuid,
) -> HashMap<Uuid, Vec<T>> {
    let mut out: HashMap<Uuid, Vec<T>> = keys.iter().map(|k| (*k, Vec::new())).collect();
    for row in rows {
        out.entry(client_of(&row)).or_default().push(row);
    }
    out
}

/// Contacts by id (account owners, workflow assignees).
pub struct ContactLoader(pub Services);

impl Loader<Uuid> for ContactLoader {
    type Value = contact::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = contacts::by_ids(&self.0, keys)
            .await
            .map_err(|e| e.extend())?;
        Ok(rows.into_iter().map(|c| (c.id, c)).collect())
    }
}

/// A client's contacts, stakeholders and workflows, one statement per kind for a page.
pub struct ClientChildrenLoader(pub Services);

/// Which children of a client to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContactsOf(pub Uuid);
/// Which children of a client to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StakeholdersOf(pub Uuid);
/// Which children of a client to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkflowsOf(pub Uuid);

impl Loader<ContactsOf> for ClientChildrenLoader {
    type Value = Vec<contact::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[ContactsOf],
    ) -> Result<HashMap<ContactsOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = contacts::of_clients(&self.0, &ids)
            .await
            .map_err(|e| e.extend())?;
        Ok(by_client(&ids, rows, |c| c.client_id)
            .into_iter()
            .map(|(k, v)| (ContactsOf(k), v))
            .collect())
    }
}

impl Loader<StakeholdersOf> for ClientChildrenLoader {
    type Value = Vec<stakeholder::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[StakeholdersOf],
    ) -> Result<HashMap<StakeholdersOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = stakeholders::of_clients(&self.0, &ids)
            .await
            .map_err(|e| e.extend())?;
        Ok(by_client(&ids, rows, |s| s.client_id)
            .into_iter()
            .map(|(k, v)| (StakeholdersOf(k), v))
            .collect())
    }
}

impl Loader<WorkflowsOf> for ClientChildrenLoader {
    type Value = Vec<workflow::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[WorkflowsOf],
    ) -> Result<HashMap<WorkflowsOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = workflows::of_clients(&self.0, &ids)
            .await
            .map_err(|e| e.extend())?;
        Ok(by_client(&ids, rows, |w| w.client_id)
            .into_iter()
            .map(|(k, v)| (WorkflowsOf(k), v))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Facts read without subscriptions answer the rules' verdicts only; facts with them
    /// answer both, and are not replaced by another page's facts without them.
    #[test]
    fn facts_without_subscriptions_serve_only_the_verdicts() {
        let primed = Primed::default();
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let now = Utc::now();
        let facts = |contacts: usize| lifecycle::Facts {
            active_contacts: lifecycle::Active::Ids(
                (0..contacts).map(|_| Uuid::now_v7()).collect(),
            ),
            ..Default::default()
        };
        assert!(primed.facts(a, false).is_none());

        primed.keep_facts([(a, facts(1))], false, now);
        assert_eq!(primed.facts(a, false).unwrap().0.active_contacts.len(), 1);
        assert_eq!(primed.facts(a, false).unwrap().1, now);
        assert!(
            primed.facts(a, true).is_none(),
            "no subscriptions were read"
        );

        primed.keep_facts([(a, facts(2)), (b, facts(2))], true, now);
        assert_eq!(primed.facts(a, true).unwrap().0.active_contacts.len(), 2);
        primed.keep_facts([(a, facts(3)), (b, facts(3))], false, now);
        for id in [a, b] {
            let (kept, _) = primed.facts(id, true).expect("still with subscriptions");
            assert_eq!(kept.active_contacts.len(), 2);
        }
    }
}
