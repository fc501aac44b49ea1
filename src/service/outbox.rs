//! The transactional outbox of e-mails: rows written in the transaction of the change,
//! delivered afterwards by a worker with retries and backoff.

use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use entity::{notification, NotificationStatus};
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use tokio::sync::watch;
use uuid::Uuid;

use super::Services;
use crate::error::{AppError, AppResult};

/// Delivery attempts before a notification is marked FAILED.
pub const MAX_ATTEMPTS: i32 = 8;
/// First retry delay; each further attempt doubles it.
pub const RETRY_BASE: Duration = Duration::from_secs(30);
/// How long a worker owns a notification it is sending.
const LEASE: Duration = Duration::from_secs(120);

/// An e-mail to write into the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub kind: &'static str,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// Writes drafts into the outbox; call inside the change's transaction.
pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    firm_id: Uuid,
    client_id: Option<Uuid>,
    event_id: Option<Uuid>,
    drafts: Vec<Draft>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if drafts.is_empty() {
        return Ok(());
    }
    let rows = drafts.into_iter().map(|d| notification::ActiveModel {
        id: Set(Uuid::now_v7()),
        firm_id: Set(firm_id),
        client_id: Set(client_id),
        event_id: Set(event_id),
        kind: Set(d.kind.to_string()),
        recipient: Set(d.recipient),
        subject: Set(d.subject),
        body: Set(d.body),
        status: Set(NotificationStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
    });
    notification::Entity::insert_many(rows)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// What an erased notification says in place of its recipient, subject and body.
pub const ERASED: &str = "(erased: the client was deleted)";

/// Erases what the notifications of a client being deleted said (its name and e-mail
/// addresses are in their recipients, subjects and bodies), and cancels those not yet
/// sent: nobody is written to about a client that no longer exists. Kept: the kind,
/// when, and the delivery history. Call inside the deleting transaction.
pub async fn erase_client<C: ConnectionTrait>(conn: &C, client_id: Uuid) -> AppResult<()> {
    use notification::Column as N;
    notification::Entity::update_many()
        .col_expr(N::Status, Expr::val(NotificationStatus::Cancelled))
        .filter(N::ClientId.eq(client_id))
        .filter(N::Status.eq(NotificationStatus::Pending))
        .exec(conn)
        .await?;
    notification::Entity::update_many()
        .col_expr(N::Recipient, Expr::val(ERASED))
        .col_expr(N::Subject, Expr::val(ERASED))
        .col_expr(N::Body, Expr::val(""))
        .col_expr(N::LastError, Expr::val(Option::<String>::None))
        .filter(N::ClientId.eq(client_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// How many notifications wait for delivery (or a retry), and how many were given up on.
pub async fn depth(svc: &Services) -> AppResult<(u64, u64)> {
    use notification::Column as N;
    let count = |status: NotificationStatus| {
        notification::Entity::find()
            .filter(N::Status.eq(status))
            .count(&svc.db)
    };
    Ok((
        count(NotificationStatus::Pending).await?,
        count(NotificationStatus::Failed).await?,
    ))
}

/// A client's notifications, newest first.
pub async fn of_client(svc: &Services, client_id: Uuid) -> AppResult<Vec<notification::Model>> {
    Ok(notification::Entity::find()
        .filter(notification::Column::ClientId.eq(client_id))
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .all(&svc.db)
        .await?)
}

/// Where notifications go.
#[derive(Clone)]
pub enum Mailer {
    /// No SMTP server configured: log the message and mark it sent.
    Log,
    /// An SMTP server.
    Smtp(Box<Smtp>),
}

/// An SMTP transport and the sender address.
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::Log => f.write_str("Mailer::Log"),
            Mailer::Smtp(_) => f.write_str("Mailer::Smtp(<redacted>)"),
        }
    }
}

impl Mailer {
    /// From `CLIENTELE_SMTP_URL` (e.g. `smtp://user:pass@host:587?tls=required` or
    /// `smtp://127.0.0.1:2525`) and the sender address.
    pub fn from_config(url: Option<&str>, from: &str) -> Result<Self, String> {
        let Some(url) = url.filter(|u| !u.is_empty()) else {
            return Ok(Mailer::Log);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("invalid CLIENTELE_SMTP_URL: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("invalid CLIENTELE_SMTP_FROM {from:?}: {e}"))?;
        Ok(Mailer::Smtp(Box::new(Smtp { transport, from })))
    }

    async fn send(&self, n: &notification::Model) -> Result<(), String> {
        match self {
            Mailer::Log => {
                tracing::info!(id = %n.id, kind = %n.kind, subject = %n.subject, "notification (no SMTP configured)");
                Ok(())
            }
            Mailer::Smtp(smtp) => {
                let Smtp { transport, from } = smtp.as_ref();
                let to = n
                    .recipient
                    .parse::<Mailbox>()
                    .map_err(|e| format!("bad recipient: {e}"))?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(n.subject.clone())
                    // Stable per notification, so a receiver can drop a rare duplicate.
                    .message_id(Some(format!("<{}@clientele>", n.id)))
                    .header(ContentType::TEXT_PLAIN)
                    .body(n.body.clone())
                    .map_err(|e| format!("cannot build message: {e}"))?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("smtp: {e}"))
            }
        }
    }
}

/// What one delivery pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Sends every due PENDING notification once. A notification is leased (its next
/// attempt moved past the lease) before sending, so two workers never send it together.
pub async fn deliver_due(svc: &Services, mailer: &Mailer) -> AppResult<Delivered> {
    use notification::Column as N;
    let mut out = Delivered::default();
    let now = svc.clock.now();
    let due = notification::Entity::find()
        .filter(N::Status.eq(NotificationStatus::Pending))
        .filter(N::NextAttemptAt.lte(now))
        .order_by_asc(N::NextAttemptAt)
        .limit(100)
        .all(&svc.db)
        .await?;
    for n in due {
        // Leased when its turn comes, not when the pass started: the lease covers this
        // one attempt. Whole microseconds, as PostgreSQL stores them, so that the
        // outcome below can be written against it.
        let lease_until = (svc.clock.now() + chrono::Duration::from_std(LEASE).unwrap_or_default())
            .trunc_subsecs(6);
        let leased = notification::Entity::update_many()
            .col_expr(N::NextAttemptAt, Expr::val(lease_until))
            .filter(N::Id.eq(n.id))
            .filter(N::Status.eq(NotificationStatus::Pending))
            .filter(N::NextAttemptAt.eq(n.next_attempt_at))
            .exec(&svc.writer)
            .await?;
        if leased.rows_affected != 1 {
            continue;
        }
        let result = mailer.send(&n).await;
        let attempts = n.attempts + 1;
        // Recorded only while this worker's lease holds: one that outlived it (a stalled
        // process) must not overwrite what the worker that took over recorded.
        let update = notification::Entity::update_many()
            .col_expr(N::Attempts, Expr::col(N::Attempts).add(1))
            .filter(N::Id.eq(n.id))
            .filter(N::Status.eq(NotificationStatus::Pending))
            .filter(N::NextAttemptAt.eq(lease_until));
        let update = match result {
            Ok(()) => {
                out.sent += 1;
                update
                    .col_expr(N::Status, Expr::val(NotificationStatus::Sent))
                    .col_expr(N::SentAt, Expr::val(Some(svc.clock.now())))
                    .col_expr(N::LastError, Expr::val(Option::<String>::None))
            }
            Err(err) => {
                tracing::warn!(id = %n.id, attempts, error = %err, "notification delivery failed");
                let status = if attempts >= MAX_ATTEMPTS {
                    out.failed += 1;
                    NotificationStatus::Failed
                } else {
                    out.retried += 1;
                    NotificationStatus::Pending
                };
                let backoff = RETRY_BASE.saturating_mul(1u32 << (attempts - 1).clamp(0, 20) as u32);
                let next =
                    svc.clock.now() + chrono::Duration::from_std(backoff).unwrap_or_default();
                update
                    .col_expr(N::Status, Expr::val(status))
                    .col_expr(N::NextAttemptAt, Expr::val(next))
                    .col_expr(N::LastError, Expr::val(Some(err)))
            }
        };
        let recorded = update.exec(&svc.writer).await.map_err(AppError::from)?;
        if recorded.rows_affected != 1 {
            tracing::warn!(id = %n.id, "notification attempt outlived its lease; its outcome was not recorded");
        }
    }
    Ok(out)
}

/// Runs [`deliver_due`] every `interval` until `shutdown` turns true.
pub async fn run(
    svc: Services,
    mailer: Mailer,
    interval: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut ticker = tokio::time::interval(interval.max(Duration::from_millis(10)));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {
                if let Err(err) = deliver_due(&svc, &mailer).await {
                    tracing::warn!(error = %err, "outbox pass failed");
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
