use std::time::Duration;

use entity::{client, ClientStatus, LifecycleAction};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tokio::sync::watch;

use super::lifecycle::{perform_scheduled, rule_of};
use super::pagination::{Cursor, Page, PageArgs, SortValue};
use super::{Actor, Services};
use crate::error::{AppError, AppResult};

/// How many due items one round looks at per kind.
const BATCH: u64 = 200;
/// Rounds per pass at most, so one pass never runs unbounded.
const MAX_ROUNDS: usize = 50;

/// What one pass applied.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub activated: usize,
    pub decommissioned: usize,
    /// Due items that failed (logged); they are tried again on the next pass.
    pub failed: usize,
}

/// Applies every due scheduled activation and decommission. Safe to run from several
/// processes at once: each item is a conditional update, so exactly one of them applies it.
pub async fn run_due(svc: &Services) -> AppResult<Pass> {
    use client::Column as C;
    let mut pass = Pass::default();
    for _ in 0..MAX_ROUNDS {
        let now = svc.clock.now();
        let activations: Vec<(uuid::Uuid, uuid::Uuid)> = client::Entity::find()
            .select_only()
            .column(C::FirmId)
            .column(C::Id)
            .filter(C::ActivationScheduledAt.lte(now))
            .filter(C::Status.is_in([ClientStatus::Prospect, ClientStatus::Pending]))
            .order_by_asc(C::ActivationScheduledAt)
            .limit(BATCH)
            .into_tuple()
            .all(&svc.db)
            .await?;
        let decommission_from = rule_of(LifecycleAction::Decommission)
            .map(|r| r.from.to_vec())
            .unwrap_or_default();
        let decommissions: Vec<(uuid::Uuid, uuid::Uuid)> = client::Entity::find()
            .select_only()
            .column(C::FirmId)
            .column(C::Id)
            .filter(C::DecommissionScheduledAt.lte(now))
            .filter(C::Status.is_in(decommission_from))
            .order_by_asc(C::DecommissionScheduledAt)
            .limit(BATCH)
            .into_tuple()
            .all(&svc.db)
            .await?;
        let full = activations.len() as u64 == BATCH || decommissions.len() as u64 == BATCH;
        let failed_before = pass.failed;
        let due = activations
            .into_iter()
            .map(|item| (item, LifecycleAction::Activate))
            .chain(
                decommissions
                    .into_iter()
                    .map(|item| (item, LifecycleAction::Decommission)),
            );
        // One item that fails (a database error on that client) must not hold back the
        // others due after it: it is logged and tried again on the next pass.
        for ((firm_id, id), action) in due {
            match perform_scheduled(svc, firm_id, id, action).await {
                Ok(Some(_)) if action == LifecycleAction::Activate => pass.activated += 1,
                Ok(Some(_)) => pass.decommissioned += 1,
                Ok(None) => {}
                Err(err) => {
                    pass.failed += 1;
                    tracing::warn!(client = %id, action = ?action, error = %err,
                        "scheduled action failed; it is tried again on the next pass");
                }
            }
        }
        // Another round only while the batches were full and nothing failed (failed
        // items would be picked again at once).
        if !full || pass.failed > failed_before {
            break;
        }
    }
    Ok(pass)
}

/// The due time of the oldest scheduled activation or decommission that is due and not
/// yet applied (for the scheduler-lag metric), or `None` when nothing is overdue.
pub async fn oldest_due(svc: &Services) -> AppResult<Option<chrono::DateTime<chrono::Utc>>> {
    use client::Column as C;
    let now = svc.clock.now();
    let activation: Option<chrono::DateTime<chrono::Utc>> = client::Entity::find()
        .select_only()
        .column(C::ActivationScheduledAt)
        .filter(C::ActivationScheduledAt.lte(now))
        .filter(C::Status.is_in([ClientStatus::Prospect, ClientStatus::Pending]))
        .order_by_asc(C::ActivationScheduledAt)
        .limit(1)
        .into_tuple()
        .one(&svc.db)
        .await?;
    let decommission_from = rule_of(LifecycleAction::Decommission)
        .map(|r| r.from.to_vec())
        .unwrap_or_default();
    let decommission: Option<chrono::DateTime<chrono::Utc>> = client::Entity::find()
        .select_only()
        .column(C::DecommissionScheduledAt)
        .filter(C::DecommissionScheduledAt.lte(now))
        .filter(C::Status.is_in(decommission_from))
        .order_by_asc(C::DecommissionScheduledAt)
        .limit(1)
        .into_tuple()
        .one(&svc.db)
        .await?;
    Ok(match (activation, decommission) {
        (Some(a), Some(d)) => Some(a.min(d)),
        (a, d) => a.or(d),
    })
}

/// Runs [`run_due`] every `interval` until `shutdown` turns true.
pub async fn run(svc: Services, interval: Duration, mut shutdown: watch::Receiver<bool>) {
    let mut ticker = tokio::time::interval(interval.max(Duration::from_millis(10)));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {
                match run_due(&svc).await {
                    Ok(p) if p != Pass::default() => tracing::info!(
                        activated = p.activated, decommissioned = p.decommissioned, failed = p.failed,
                        "applied scheduled actions"),
                    Ok(_) => {}
                    Err(err) => tracing::warn!(error = %err, "scheduler pass failed"),
                }
            }
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    return;
                }
            }
        }
    }
}

/// A scheduled activation or decommission not yet applied.
#[derive(Debug, Clone)]
pub struct Upcoming {
    pub action: LifecycleAction,
    pub at: chrono::DateTime<chrono::Utc>,
    pub client: client::Model,
}

/// The cursor tag of each kind of scheduled item; activations sort before decommissions
/// due at the same moment.
const UPCOMING_KINDS: [(LifecycleAction, &str); 2] = [
    (LifecycleAction::Activate, "activation_at"),
    (LifecycleAction::Decommission, "decommission_at"),
];

fn upcoming_cursor(raw: &str) -> AppResult<(usize, Cursor)> {
    for (rank, (_, tag)) in UPCOMING_KINDS.iter().enumerate() {
        if let Ok(c) = Cursor::decode(raw, tag, "after") {
            return Ok((rank, c));
        }
    }
    Err(AppError::bad_field(
        "after",
        "after is not a cursor of this list.",
    ))
}

/// The firm's scheduled activations and decommissions, soonest first (ties: activations
/// first, then by client id), from `after` on: keyset pagination over both kinds.
pub async fn upcoming(svc: &Services, actor: &Actor, page: &PageArgs) -> AppResult<Page<Upcoming>> {
    use client::Column as C;
    // Only `first` and `after`: the cursor may be of either kind, so it is read below.
    let limit = PageArgs {
        first: page.first,
        ..PageArgs::default()
    }
    .window("activation_at")?
    .limit;
    let after = page.after.as_deref().map(upcoming_cursor).transpose()?;
    let mut found: Vec<(usize, Upcoming)> = Vec::new();
    for (rank, (action, _)) in UPCOMING_KINDS.iter().enumerate() {
        let col = match action {
            LifecycleAction::Activate => C::ActivationScheduledAt,
            _ => C::DecommissionScheduledAt,
        };
        let mut q = client::Entity::find()
            .filter(C::FirmId.eq(actor.firm_id()))
            .filter(col.is_not_null());
        if let Some((after_rank, cursor)) = &after {
            let SortValue::Time(at) = cursor.value else {
                return Err(AppError::bad_field(
                    "after",
                    "after is not a cursor of this list.",
                ));
            };
            q = match rank.cmp(after_rank) {
                std::cmp::Ordering::Greater => q.filter(col.gte(at)),
                std::cmp::Ordering::Less => q.filter(col.gt(at)),
                std::cmp::Ordering::Equal => q.filter(
                    Condition::any()
                        .add(col.gt(at))
                        .add(Condition::all().add(col.eq(at)).add(C::Id.gt(cursor.id))),
                ),
            };
        }
        let rows = q
            .order_by_asc(col)
            .order_by_asc(C::Id)
            .limit(limit + 1)
            .all(&svc.db)
            .await?;
        for c in rows {
            let at = match action {
                LifecycleAction::Activate => c.activation_scheduled_at,
                _ => c.decommission_scheduled_at,
            };
            if let Some(at) = at {
                found.push((
                    rank,
                    Upcoming {
                        action: *action,
                        at,
                        client: c,
                    },
                ));
            }
        }
    }
    found.sort_by_key(|(rank, u)| (u.at, *rank, u.client.id));
    let has_next_page = found.len() as u64 > limit;
    found.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(Page {
        items: found
            .into_iter()
            .map(|(rank, u)| {
                let cursor = Cursor {
                    field: UPCOMING_KINDS[rank].1.to_string(),
                    value: SortValue::Time(u.at),
                    id: u.client.id,
                };
                (cursor.encode(), u)
            })
            .collect(),
        has_next_page,
        has_previous_page: after.is_some(),
    })
}
