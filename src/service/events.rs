//! Committed lifecycle events, delivered to the subscribers of `clientEvents`.
//!
//! On SQLite (one process) an event is handed to the in-process bus right after its
//! transaction commits. On PostgreSQL, every transaction that writes an event also sends
//! `NOTIFY clientele_events` with the event's id; PostgreSQL delivers it only once the
//! transaction commits, to every server process listening, and each process loads the
//! event and hands it to its own bus. So a subscriber connected to any process hears of
//! every committed event, and never of one rolled back.

use std::sync::Arc;
use std::time::Duration;

use entity::lifecycle_event;
use sea_orm::{ConnectionTrait, DatabaseBackend, EntityTrait, Statement};
use tokio::sync::{broadcast, watch};
use uuid::Uuid;

use super::Services;
use crate::error::AppResult;

/// The PostgreSQL channel the events are announced on.
pub const CHANNEL: &str = "clientele_events";
/// How many events the bus keeps for its slowest subscriber; one that falls further
/// behind is dropped (its subscription completes) instead of holding more.
pub const BUS_CAPACITY: usize = 1024;

/// The in-process bus of committed events.
#[derive(Debug, Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Arc<lifecycle_event::Model>>,
    /// True when events arrive through PostgreSQL's NOTIFY rather than from `committed`.
    via_database: bool,
}

impl EventBus {
    pub fn new(backend: DatabaseBackend) -> Self {
        let (tx, _) = broadcast::channel(BUS_CAPACITY);
        EventBus {
            tx,
            via_database: backend == DatabaseBackend::Postgres,
        }
    }

    /// A receiver of every event committed from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<lifecycle_event::Model>> {
        self.tx.subscribe()
    }

    /// Announces an event whose transaction has committed. On PostgreSQL this does
    /// nothing: the NOTIFY sent inside the transaction brings it back through the
    /// listener, to this process and every other.
    pub fn committed(&self, event: &lifecycle_event::Model) {
        if !self.via_database {
            self.publish(Arc::new(event.clone()));
        }
    }

    /// Hands an event to this process's subscribers.
    pub fn publish(&self, event: Arc<lifecycle_event::Model>) {
        // No subscriber is not an error.
        let _ = self.tx.send(event);
    }
}

/// Inside the transaction that writes `event`: on PostgreSQL, `NOTIFY` with its id,
/// delivered by PostgreSQL when (and only if) the transaction commits.
pub async fn notify_in<C: ConnectionTrait>(conn: &C, event_id: Uuid) -> AppResult<()> {
    if conn.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    conn.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CHANNEL.into(), event_id.to_string().into()],
    ))
    .await?;
    Ok(())
}

/// Listening (again): users read before are forgotten (see `signed_in`), and the webhook
/// worker looks for due deliveries at once, since the events it would have been woken by
/// while nobody listened are not replayed.
fn listening(svc: &Services) {
    svc.signed_in.listening(true);
    svc.webhooks.changed.notify_one();
}

/// On PostgreSQL: listens for the events committed by any process and hands them to this
/// process's bus, and for changes to `users` (see `signed_in`), until `shutdown` turns
/// true. A lost connection is made again by itself (events committed meanwhile are not
/// replayed): from the moment it is lost until it listens again, no user is remembered,
/// and the webhook worker is woken whenever listening starts. Does nothing on SQLite.
pub async fn listen(svc: Services, mut shutdown: watch::Receiver<bool>) {
    if svc.db.get_database_backend() != DatabaseBackend::Postgres {
        return;
    }
    // A connection of its own, so that listening takes nothing from the requests' pool.
    let options = (*svc.db.get_postgres_connection_pool().connect_options()).clone();
    let pool = sea_orm::sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_lazy_with(options);
    while let Some(mut listener) = connect_listener(&pool, &mut shutdown).await {
        listening(&svc);
        loop {
            tokio::select! {
                received = listener.try_recv() => match received {
                    Ok(Some(note)) => heard(&svc, &note).await,
                    // sqlx reports a lost connection with `None` and would connect again
                    // on the next call; it is made again here instead, so that nothing is
                    // remembered until the new connection listens.
                    Ok(None) => {
                        tracing::warn!("event listener lost its connection");
                        break;
                    }
                    Err(err) => {
                        tracing::warn!(error = %err, "event listener lost its connection");
                        break;
                    }
                },
                changed = shutdown.changed() => {
                    if changed.is_err() || *shutdown.borrow() {
                        svc.signed_in.listening(false);
                        return;
                    }
                }
            }
        }
        svc.signed_in.listening(false);
    }
    svc.signed_in.listening(false);
}

/// A connection listening on the events' and users' channels, tried every second until
/// it is made; `None` once `shutdown` turns true.
async fn connect_listener(
    pool: &sea_orm::sqlx::PgPool,
    shutdown: &mut watch::Receiver<bool>,
) -> Option<sea_orm::sqlx::postgres::PgListener> {
    loop {
        if *shutdown.borrow() {
            return None;
        }
        let attempt = async {
            let mut l = sea_orm::sqlx::postgres::PgListener::connect_with(pool).await?;
            l.listen_all([CHANNEL, super::signed_in::CHANNEL]).await?;
            Ok::<_, sea_orm::sqlx::Error>(l)
        };
        tokio::select! {
            res = attempt => match res {
                Ok(l) => return Some(l),
                Err(err) => tracing::warn!(error = %err, "cannot listen for events; retrying"),
            },
            _ = shutdown.changed() => return None,
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = shutdown.changed() => return None,
        }
    }
}

/// One notification: a change to `users`, or an event to publish on this process's bus.
async fn heard(svc: &Services, note: &sea_orm::sqlx::postgres::PgNotification) {
    if note.channel() == super::signed_in::CHANNEL {
        svc.signed_in.changed();
        return;
    }
    let Ok(id) = Uuid::parse_str(note.payload()) else {
        return;
    };
    match lifecycle_event::Entity::find_by_id(id).one(&svc.db).await {
        Ok(Some(event)) => svc.events.publish(Arc::new(event)),
        Ok(None) => {}
        Err(err) => tracing::warn!(error = %err, "cannot load a notified event"),
    }
}
