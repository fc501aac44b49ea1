//! Subscriptions and the billing rule of SPEC section 4.

use chrono::{DateTime, Months, Utc};
use entity::{subscription, Charge};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::AppResult;

/// The plan every subscription is on.
pub const PLAN: &str = "STANDARD";
/// Length of the loading phase after a client is created.
pub const LOADING_PHASE_DAYS: i64 = 30;

/// What (re)activating a client does to its subscriptions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// The latest subscription is still running: nothing changes.
    Continue,
    /// The latest period has not ended but the subscription was stopped: a free period
    /// runs to the original end.
    Resume { period_end: DateTime<Utc> },
    /// A new twelve-month INVOICED period starts.
    New { period_end: DateTime<Utc> },
}

impl Start {
    /// The period a started subscription would cover, and its charge (`None` for Continue).
    pub fn period(&self, now: DateTime<Utc>) -> Option<(DateTime<Utc>, DateTime<Utc>, Charge)> {
        match self {
            Start::Continue => None,
            Start::Resume { period_end } => Some((now, *period_end, Charge::None)),
            Start::New { period_end } => Some((now, *period_end, Charge::Invoiced)),
        }
    }
}

/// Twelve months after `start`.
pub fn year_after(start: DateTime<Utc>) -> DateTime<Utc> {
    start
        .checked_add_months(Months::new(12))
        .unwrap_or(start + chrono::Duration::days(365))
}

/// The billing rule on ACTIVATE and REACTIVATE, given the latest subscription.
pub fn on_activation(latest: Option<&subscription::Model>, now: DateTime<Utc>) -> Start {
    match latest {
        Some(s) if now < s.period_end => {
            if s.ended_at.is_none() {
                Start::Continue
            } else {
                Start::Resume {
                    period_end: s.period_end,
                }
            }
        }
        _ => Start::New {
            period_end: year_after(now),
        },
    }
}

/// Whether a client created at `created_at` is in its loading phase.
pub fn in_loading_phase(created_at: DateTime<Utc>, has_invoiced: bool, now: DateTime<Utc>) -> bool {
    !has_invoiced && now < created_at + chrono::Duration::days(LOADING_PHASE_DAYS)
}

/// Writes the subscription a start calls for.
pub async fn start<C: ConnectionTrait>(
    conn: &C,
    firm_id: Uuid,
    client_id: Uuid,
    start: &Start,
    now: DateTime<Utc>,
) -> AppResult<Option<subscription::Model>> {
    let Some((period_start, period_end, charge)) = start.period(now) else {
        return Ok(None);
    };
    let s = subscription::Model {
        id: Uuid::now_v7(),
        firm_id,
        client_id,
        plan: PLAN.to_string(),
        period_start,
        period_end,
        charge,
        ended_at: None,
        created_at: now,
    };
    subscription::Entity::insert(subscription::ActiveModel {
        id: Set(s.id),
        firm_id: Set(firm_id),
        client_id: Set(client_id),
        plan: Set(s.plan.clone()),
        period_start: Set(period_start),
        period_end: Set(period_end),
        charge: Set(charge),
        ended_at: Set(None),
        created_at: Set(now),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(Some(s))
}

/// Sets `ended_at` on a running subscription (the one the plan named, so that what
/// the preview showed is what ends).
pub async fn end<C: ConnectionTrait>(
    conn: &C,
    subscription_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    subscription::Entity::update_many()
        .col_expr(subscription::Column::EndedAt, Expr::val(now))
        .filter(subscription::Column::Id.eq(subscription_id))
        .filter(subscription::Column::EndedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// All subscriptions of several clients, newest first (by period start, then id).
pub async fn of_clients<C: ConnectionTrait>(
    conn: &C,
    client_ids: &[Uuid],
) -> AppResult<Vec<subscription::Model>> {
    let mut rows = of_clients_select(client_ids).all(conn).await?;
    newest_first(&mut rows);
    Ok(rows)
}

/// Sorts subscriptions newest first (by period start, then id). Done here rather than by
/// the database: SQLite sorted the rows of a page's clients in a temporary B-tree.
pub fn newest_first(rows: &mut [subscription::Model]) {
    rows.sort_unstable_by_key(|s| std::cmp::Reverse((s.period_start, s.id)));
}

/// The SELECT of [`of_clients`], in no particular order (see [`newest_first`]).
pub fn of_clients_select(client_ids: &[Uuid]) -> sea_orm::Select<subscription::Entity> {
    subscription::Entity::find()
        .filter(subscription::Column::ClientId.is_in(client_ids.iter().copied()))
}

/// The running subscription among a client's (newest first): not ended, period not over.
pub fn current(subs: &[subscription::Model], now: DateTime<Utc>) -> Option<&subscription::Model> {
    subs.iter()
        .find(|s| s.ended_at.is_none() && now < s.period_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(start: DateTime<Utc>, ended: Option<DateTime<Utc>>) -> subscription::Model {
        subscription::Model {
            id: Uuid::now_v7(),
            firm_id: Uuid::now_v7(),
            client_id: Uuid::now_v7(),
            plan: PLAN.into(),
            period_start: start,
            period_end: year_after(start),
            charge: Charge::Invoiced,
            ended_at: ended,
            created_at: start,
        }
    }

    #[test]
    fn subscriptions_are_sorted_newest_first() {
        let now = Utc::now();
        let old = sub(now - chrono::Duration::days(400), Some(now));
        let (mut a, mut b) = (sub(now, None), sub(now, None));
        if a.id < b.id {
            std::mem::swap(&mut a, &mut b);
        }
        let mut rows = vec![b.clone(), old.clone(), a.clone()];
        newest_first(&mut rows);
        // The same start: the greater id first.
        assert_eq!(rows, vec![a, b, old]);
    }

    #[test]
    fn the_billing_rule() {
        let now = Utc::now();
        assert!(matches!(on_activation(None, now), Start::New { .. }));
        let running = sub(now - chrono::Duration::days(10), None);
        assert_eq!(on_activation(Some(&running), now), Start::Continue);
        let stopped = sub(
            now - chrono::Duration::days(10),
            Some(now - chrono::Duration::days(1)),
        );
        assert_eq!(
            on_activation(Some(&stopped), now),
            Start::Resume {
                period_end: stopped.period_end
            }
        );
        let old = sub(
            now - chrono::Duration::days(400),
            Some(now - chrono::Duration::days(100)),
        );
        assert!(matches!(on_activation(Some(&old), now), Start::New { .. }));
    }

    #[test]
    fn the_loading_phase_lasts_thirty_days_without_an_invoice() {
        let now = Utc::now();
        assert!(in_loading_phase(
            now - chrono::Duration::days(29),
            false,
            now
        ));
        assert!(!in_loading_phase(
            now - chrono::Duration::days(31),
            false,
            now
        ));
        assert!(!in_loading_phase(
            now - chrono::Duration::days(1),
            true,
            now
        ));
    }
}
