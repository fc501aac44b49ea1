//! Synthetic data for benchmarks and load tests: many firms, each with an ADMIN and a
//! large, realistic client book, written with batched inserts.

use chrono::{DateTime, Duration, Utc};
use entity::{
    client, lifecycle_event, Billing, ClientKind, ClientStatus as S, LifecycleAction as A,
};
use sea_orm::sea_query::{Alias, DynIden, IntoIden, Query};
use sea_orm::{ConnectionTrait, EntityTrait, Iterable, ModelTrait, TransactionTrait};
use uuid::Uuid;

use crate::domain::{Email, Name};
use crate::error::AppResult;
use crate::service::{firms, Services};

/// Rows per INSERT statement: 25 columns (a client with the copy of its latest event) ×
/// 1,000 rows stays under the bind-parameter limits of SQLite (32,766) and PostgreSQL
/// (65,535).
const BATCH: usize = 1_000;

/// What `seed` made, for the caller to print.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub firms: Vec<(Uuid, String)>,
    pub clients: u64,
    pub events: u64,
}

/// The ADMIN's address of synthetic firm `n` (1-based).
pub fn admin_email(n: usize) -> String {
    format!("admin@firm{n}.bench.clientele.test")
}

/// A small deterministic generator (splitmix64), so two runs seed the same data.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const FIRST: [&str; 12] = [
    "Alder", "Birch", "Cedar", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper",
    "Kestrel", "Linden",
];
const SECOND: [&str; 10] = [
    "Holdings",
    "Partners",
    "Studio",
    "Logistics",
    "Bakery",
    "Dental",
    "Consulting",
    "Farms",
    "Ventures",
    "Family Trust",
];

/// The status mix of a benchmark client book: 70% ACTIVE, 10% SUSPENDED, 10% INACTIVE,
/// 5% ARCHIVED, 5% DISCARDED.
fn pick_status(roll: u64) -> S {
    match roll % 100 {
        0..=69 => S::Active,
        70..=79 => S::Suspended,
        80..=89 => S::Inactive,
        90..=94 => S::Archived,
        _ => S::Discarded,
    }
}

/// Creates `firms` firms (each with one ADMIN) and spreads `clients` clients over them,
/// created over the two years before now; each client has a CREATE event and, unless it
/// is still ACTIVE from the start, the event that brought it to its status.
pub async fn seed(svc: &Services, firm_count: usize, clients: u64) -> AppResult<Seeded> {
    let now = svc.clock.now();
    let mut out = Seeded {
        firms: Vec::new(),
        clients: 0,
        events: 0,
    };
    let firm_count = firm_count.max(1);
    let per_firm = clients / firm_count as u64;
    let mut mix = Mix(0x5EED);
    for n in 1..=firm_count {
        let (firm, admin) = firms::create(
            svc,
            Name::parse("name", &format!("Bench Firm {n}"))?,
            Name::parse("admin-name", &format!("Admin {n}"))?,
            Email::parse("admin-email", &admin_email(n))?,
        )
        .await?;
        let count = if n == firm_count {
            clients - per_firm * (firm_count as u64 - 1)
        } else {
            per_firm
        };
        let (c, e) = seed_firm(svc, firm.id, admin.id, n, count, now, &mut mix).await?;
        out.clients += c;
        out.events += e;
        out.firms.push((firm.id, admin.email));
    }
    Ok(out)
}

async fn seed_firm(
    svc: &Services,
    firm_id: Uuid,
    admin_id: Uuid,
    firm_no: usize,
    count: u64,
    now: DateTime<Utc>,
    mix: &mut Mix,
) -> AppResult<(u64, u64)> {
    let span_secs = Duration::days(730).num_seconds() as u64;
    let start = now - Duration::days(730);
    let (mut clients, mut events) = (Vec::with_capacity(BATCH), Vec::with_capacity(BATCH * 2));
    let mut total_events = 0;
    let txn = svc.begin_write().await?;
    for i in 0..count {
        // Evenly spread over two years, with jitter so the order is not the insertion order.
        let base = span_secs * i / count.max(1);
        let created = start + Duration::seconds((base + mix.below(3_600)) as i64);
        let status = pick_status(mix.next());
        let changed = if status == S::Active {
            created
        } else {
            let left = (now - created).num_seconds().max(1) as u64;
            created + Duration::seconds(mix.below(left) as i64)
        };
        let id = Uuid::now_v7();
        let email = (i % 7 != 0).then(|| format!("client{i}@firm{firm_no}.example.test"));
        let name = format!(
            "{} {} {i}",
            FIRST[mix.below(FIRST.len() as u64) as usize],
            SECOND[mix.below(SECOND.len() as u64) as usize]
        );
        let created_event = event(firm_id, id, admin_id, A::Create, None, S::Active, created);
        events.push(created_event.clone());
        let last = match status {
            S::Suspended => Some((A::Suspend, S::Active)),
            S::Inactive => Some((A::Deactivate, S::Active)),
            S::Archived => Some((A::Archive, S::Inactive)),
            S::Discarded => Some((A::Discard, S::Active)),
            _ => None,
        };
        let latest = match last {
            Some((action, from)) => {
                let e = event(firm_id, id, admin_id, action, Some(from), status, changed);
                events.push(e.clone());
                e
            }
            None => created_event,
        };
        clients.push((
            client::Model {
                id,
                firm_id,
                name,
                email,
                kind: if i % 3 == 0 {
                    ClientKind::Individual
                } else {
                    ClientKind::Business
                },
                billing: if i % 4 == 0 {
                    Billing::SelfPaying
                } else {
                    Billing::FirmPaid
                },
                status,
                portal_access: true,
                activation_scheduled_at: None,
                decommission_scheduled_at: None,
                status_before_archive: (status == S::Archived).then_some(S::Inactive),
                account_owner_contact_id: None,
                version: if status == S::Active { 1 } else { 2 },
                created_at: created,
                updated_at: changed,
                status_changed_at: changed,
            },
            latest,
        ));
        if clients.len() == BATCH {
            total_events += flush(&txn, &mut clients, &mut events).await?;
        }
    }
    total_events += flush(&txn, &mut clients, &mut events).await?;
    txn.commit().await?;
    Ok((count, total_events))
}

fn event(
    firm_id: Uuid,
    client_id: Uuid,
    actor: Uuid,
    action: A,
    from: Option<S>,
    to: S,
    at: DateTime<Utc>,
) -> lifecycle_event::Model {
    lifecycle_event::Model {
        id: Uuid::now_v7(),
        firm_id,
        client_id,
        action,
        from_status: from,
        to_status: Some(to),
        actor_id: Some(actor),
        reason: None,
        feedback: None,
        details: None,
        at,
    }
}

/// Writes the buffered rows and empties the buffers: the events first, then their
/// clients with the copy of each one's latest event already on the row (the events'
/// trigger finds no client to update yet, so no client row is written twice).
async fn flush<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    clients: &mut Vec<(client::Model, lifecycle_event::Model)>,
    events: &mut Vec<lifecycle_event::Model>,
) -> AppResult<u64> {
    if clients.is_empty() {
        return Ok(0);
    }
    let n = events.len() as u64;
    for chunk in std::mem::take(events).chunks(BATCH) {
        lifecycle_event::Entity::insert_many(
            chunk
                .iter()
                .map(|e| lifecycle_event::ActiveModel::from(e.clone())),
        )
        .exec_without_returning(conn)
        .await?;
    }
    // The event columns copied, in `LATEST_COLUMNS` order (the firm and client are the
    // row's own).
    use lifecycle_event::Column as E;
    let copied = [
        E::Id,
        E::Action,
        E::FromStatus,
        E::ToStatus,
        E::ActorId,
        E::Reason,
        E::Feedback,
        E::Details,
        E::At,
    ];
    let columns: Vec<DynIden> = client::Column::iter()
        .map(IntoIden::into_iden)
        .chain(
            crate::service::rows::LATEST_COLUMNS
                .iter()
                .map(|c| Alias::new(*c).into_iden()),
        )
        .collect();
    let mut insert = Query::insert();
    insert.into_table(client::Entity).columns(columns);
    for (c, latest) in std::mem::take(clients) {
        let values = client::Column::iter()
            .map(|col| c.get(col))
            .chain(copied.iter().map(|col| latest.get(*col)))
            .map(Into::into);
        insert
            .values(values)
            .map_err(|e| crate::error::AppError::internal(format!("a seeded client row: {e}")))?;
    }
    conn.execute(&insert).await?;
    Ok(n)
}
