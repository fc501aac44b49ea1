//! Synthetic data for benchmarks and load tests: many firms, each with an ADMIN and a
//! large, realistic client book, written with batched inserts.

use chrono::{DateTime, Duration, Utc};
use entity::{
    client, lifecycle_event, Billing, ClientKind, ClientStatus as S, LifecycleAction as A,
};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, TransactionTrait};
use uuid::Uuid;

use crate::domain::{Email, Name};
use crate::error::AppResult;
use crate::service::{firms, Services};

/// Rows per INSERT statement: 16 columns × 1,000 rows stays under the bind-parameter
/// limits of SQLite (32,766) and PostgreSQL (65,535).
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
        clients.push(client::ActiveModel {
            id: Set(id),
            firm_id: Set(firm_id),
            name: Set(name),
            email: Set(email),
            kind: Set(if i % 3 == 0 {
                ClientKind::Individual
            } else {
                ClientKind::Business
            }),
            billing: Set(if i % 4 == 0 {
                Billing::SelfPaying
            } else {
                Billing::FirmPaid
            }),
            status: Set(status),
            portal_access: Set(true),
            activation_scheduled_at: Set(None),
            decommission_scheduled_at: Set(None),
            status_before_archive: Set((status == S::Archived).then_some(S::Inactive)),
            account_owner_contact_id: Set(None),
            version: Set(if status == S::Active { 1 } else { 2 }),
            created_at: Set(created),
            updated_at: Set(changed),
            status_changed_at: Set(changed),
        });
        events.push(event(
            firm_id,
            id,
            admin_id,
            A::Create,
            None,
            S::Active,
            created,
        ));
        let last = match status {
            S::Suspended => Some((A::Suspend, S::Active)),
            S::Inactive => Some((A::Deactivate, S::Active)),
            S::Archived => Some((A::Archive, S::Inactive)),
            S::Discarded => Some((A::Discard, S::Active)),
            _ => None,
        };
        if let Some((action, from)) = last {
            events.push(event(
                firm_id,
                id,
                admin_id,
                action,
                Some(from),
                status,
                changed,
            ));
        }
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
) -> lifecycle_event::ActiveModel {
    lifecycle_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        firm_id: Set(firm_id),
        client_id: Set(client_id),
        action: Set(action),
        from_status: Set(from),
        to_status: Set(Some(to)),
        actor_id: Set(Some(actor)),
        reason: Set(None),
        feedback: Set(None),
        details: Set(None),
        at: Set(at),
    }
}

/// Writes the buffered rows (events after their clients) and empties the buffers.
async fn flush<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    clients: &mut Vec<client::ActiveModel>,
    events: &mut Vec<lifecycle_event::ActiveModel>,
) -> AppResult<u64> {
    if clients.is_empty() {
        return Ok(0);
    }
    client::Entity::insert_many(std::mem::take(clients))
        .exec_without_returning(conn)
        .await?;
    let n = events.len() as u64;
    for chunk in std::mem::take(events).chunks(BATCH) {
        lifecycle_event::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(conn)
            .await?;
    }
    Ok(n)
}
