use std::time::Duration;

use entity::{client, ClientStatus, LifecycleAction};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tokio::sync::watch;

use super::lifecycle::{perform_scheduled, rule_of};
use super::Services;
use crate::error::AppResult;

/// How many due items one round looks at per kind.
const BATCH: u64 = 200;
/// Rounds per pass at most, so one pass never runs unbounded.
const MAX_ROUNDS: usize = 50;

/// What one pass applied.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub activated: usize,
    pub decommissioned: usize,
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
        for (firm_id, id) in activations {
            if perform_scheduled(svc, firm_id, id, LifecycleAction::Activate)
                .await?
                .is_some()
            {
                pass.activated += 1;
            }
        }
        for (firm_id, id) in decommissions {
            if perform_scheduled(svc, firm_id, id, LifecycleAction::Decommission)
                .await?
                .is_some()
            {
                pass.decommissioned += 1;
            }
        }
        if !full {
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
                        activated = p.activated, decommissioned = p.decommissioned,
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
