//! Webhooks: ADMIN-managed endpoints that hear of the firm's lifecycle events.
//!
//! A delivery row is written for each interested webhook in the transaction of the event
//! (a transactional outbox), so an event is never lost between commit and delivery. A
//! worker POSTs each one, signed with HMAC-SHA256, retries failures with exponential
//! backoff, and records every attempt. Delivery is at least once: the body's `id` (the
//! delivery id) lets a receiver drop the rare duplicate.

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::{client, firm, lifecycle_event, user, webhook, webhook_delivery};
use entity::{LifecycleAction, Role, WebhookDeliveryStatus};
use futures_util::StreamExt;
use hmac::{Hmac, Mac};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveEnum, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use sha2::Sha256;
use tokio::sync::{watch, Notify};
use uuid::Uuid;

use super::{Actor, Services};
use crate::error::{AppError, AppResult};

/// Attempts before a delivery is given up as FAILED.
pub const MAX_ATTEMPTS: i32 = 8;
/// Webhooks one firm may have.
pub const MAX_PER_FIRM: u64 = 20;
/// The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
pub const SIGNATURE_HEADER: &str = "Clientele-Signature";
/// How long one POST may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// A claimed delivery is not claimed again for this long (longer than one POST).
const LEASE: Duration = Duration::from_secs(60);
/// Deliveries claimed per pass, and sent at once.
const BATCH: u64 = 64;
const CONCURRENT: usize = 8;
/// The shortest time between two passes woken by new events.
const MIN_GAP: Duration = Duration::from_millis(50);

/// How webhooks behave on this server.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// First retry delay; doubled for each later attempt.
    pub retry_base: Duration,
    /// Whether targets on loopback and private addresses are allowed.
    pub allow_private: bool,
    /// Tells this process's worker that webhooks were created or deleted.
    pub changed: Arc<Notify>,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            retry_base: Duration::from_secs(10),
            allow_private: false,
            changed: Arc::default(),
        }
    }
}

/// The actions a webhook hears of.
pub fn events_of(w: &webhook::Model) -> Vec<LifecycleAction> {
    w.events
        .split(',')
        .filter_map(|name| LifecycleAction::try_from_value(&name.to_string()).ok())
        .collect()
}

/// True for addresses a webhook may reach from a production server: not loopback,
/// private, link-local, shared (CGNAT), unspecified, broadcast, multicast, reserved,
/// benchmarking or documentation ranges; IPv6 addresses that carry an IPv4 address are
/// judged by it.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                // Reserved (240.0.0.0/4), shared (100.64.0.0/10), benchmarking
                // (198.18.0.0/15) and protocol assignments (192.0.0.0/24).
                || a >= 240
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (18..20).contains(&b))
                || (a == 192 && b == 0 && c == 0))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let seg = v6.segments();
            let v4_of = |hi: u16, lo: u16| {
                std::net::Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8)
            };
            // IPv4-compatible (::a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d) and NAT64
            // (64:ff9b::a.b.c.d) addresses carry an IPv4 address in their last 32 bits,
            // 6to4 (2002:aabb:ccdd::/48) in the 32 bits after its prefix: judge that one.
            if seg[..6] == [0; 6]
                || seg[..6] == [0, 0, 0, 0, 0xffff, 0]
                || seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0]
            {
                return !v6.is_unspecified()
                    && !v6.is_loopback()
                    && is_public(IpAddr::V4(v4_of(seg[6], seg[7])));
            }
            if seg[0] == 0x2002 {
                return is_public(IpAddr::V4(v4_of(seg[1], seg[2])));
            }
            let first = seg[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // Unique local (fc00::/7), link-local (fe80::/10), site-local (fec0::/10).
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || (first & 0xffc0) == 0xfec0
                // Local-use NAT64 (64:ff9b:1::/48), Teredo (2001::/32) and documentation
                // (2001:db8::/32).
                || (first == 0x64 && seg[1] == 0xff9b && seg[2] == 1)
                || (first == 0x2001 && (seg[1] == 0 || seg[1] == 0xdb8)))
        }
    }
}

/// Checks a target URL: http or https, a host, and (unless allowed) no loopback or
/// private address written into it. Names are checked again when resolved for each
/// delivery.
pub fn check_url(raw: &str, allow_private: bool) -> AppResult<reqwest::Url> {
    let bad = |why: &str| AppError::bad_field("url", why.to_string());
    if raw.len() > 2048 {
        return Err(bad("The URL is longer than 2,048 characters."));
    }
    let url = reqwest::Url::parse(raw.trim()).map_err(|_| bad("The URL is not valid."))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("Only http:// and https:// URLs are accepted."));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "The URL must not carry credentials; verify the signature instead.",
        ));
    }
    let private = match url.host() {
        None => return Err(bad("The URL has no host.")),
        Some(url::Host::Ipv4(ip)) => !is_public(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => !is_public(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
    };
    if private && !allow_private {
        return Err(bad(
            "Webhooks may not target loopback or private addresses on this server \
             (CLIENTELE_WEBHOOK_ALLOW_PRIVATE).",
        ));
    }
    Ok(url)
}

fn new_secret() -> String {
    format!(
        "whsec_{}{}",
        Uuid::new_v4().simple(),
        Uuid::new_v4().simple()
    )
}

/// Creates a webhook of the actor's firm (ADMIN); the answer carries its secret, which is
/// shown only this once.
pub async fn create(
    svc: &Services,
    actor: &Actor,
    url: &str,
    events: &[LifecycleAction],
) -> AppResult<webhook::Model> {
    actor.require(Role::Admin, "manage webhooks")?;
    let url = check_url(url, svc.webhooks.allow_private)?;
    if events.is_empty() {
        return Err(AppError::bad_field(
            "events",
            "Choose at least one action to hear of.",
        ));
    }
    let mut names: Vec<String> = Vec::new();
    for e in events {
        let name = e.to_value();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let firm_id = actor.firm_id();
    let txn = svc.begin_write().await?;
    // Creates of one firm take turns (PostgreSQL), so the count below stays true.
    firm::Entity::find_by_id(firm_id)
        .lock_exclusive()
        .one(&txn)
        .await?;
    let count = webhook::Entity::find()
        .filter(webhook::Column::FirmId.eq(firm_id))
        .count(&txn)
        .await?;
    if count >= MAX_PER_FIRM {
        return Err(AppError::bad_input(format!(
            "A firm may have at most {MAX_PER_FIRM} webhooks; delete one first."
        )));
    }
    let model = webhook::Model {
        id: Uuid::now_v7(),
        firm_id,
        url: url.to_string(),
        events: names.join(","),
        secret: new_secret(),
        created_at: svc.clock.now(),
    };
    webhook::Entity::insert(webhook::ActiveModel {
        id: Set(model.id),
        firm_id: Set(model.firm_id),
        url: Set(model.url.clone()),
        events: Set(model.events.clone()),
        secret: Set(model.secret.clone()),
        created_at: Set(model.created_at),
    })
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    svc.webhooks.changed.notify_one();
    Ok(model)
}

/// The firm's webhooks, oldest first (ADMIN).
pub async fn list(svc: &Services, actor: &Actor) -> AppResult<Vec<webhook::Model>> {
    actor.require(Role::Admin, "manage webhooks")?;
    Ok(webhook::Entity::find()
        .filter(webhook::Column::FirmId.eq(actor.firm_id()))
        .order_by_asc(webhook::Column::CreatedAt)
        .order_by_asc(webhook::Column::Id)
        .all(&svc.db)
        .await?)
}

/// Deletes a webhook and its deliveries, sent or not (ADMIN).
pub async fn delete(svc: &Services, actor: &Actor, webhook_id: Uuid) -> AppResult<Uuid> {
    actor.require(Role::Admin, "manage webhooks")?;
    let txn = svc.begin_write().await?;
    let res = webhook::Entity::delete_many()
        .filter(webhook::Column::Id.eq(webhook_id))
        .filter(webhook::Column::FirmId.eq(actor.firm_id()))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::NotFound("webhook"));
    }
    webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::WebhookId.eq(webhook_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    svc.webhooks.changed.notify_one();
    Ok(webhook_id)
}

/// The newest `first` deliveries of a webhook of the actor's firm.
pub async fn deliveries(
    svc: &Services,
    actor: &Actor,
    webhook_id: Uuid,
    first: u64,
) -> AppResult<Vec<webhook_delivery::Model>> {
    actor.require(Role::Admin, "manage webhooks")?;
    Ok(webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::WebhookId.eq(webhook_id))
        .filter(webhook_delivery::Column::FirmId.eq(actor.firm_id()))
        .order_by_desc(webhook_delivery::Column::CreatedAt)
        .order_by_desc(webhook_delivery::Column::Id)
        .limit(first)
        .all(&svc.db)
        .await?)
}

/// In the transaction that writes `event`: one PENDING delivery for each webhook of the
/// firm that hears of its action.
pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    event: &lifecycle_event::Model,
) -> AppResult<()> {
    let hooks = webhook::Entity::find()
        .filter(webhook::Column::FirmId.eq(event.firm_id))
        .all(conn)
        .await?;
    let rows: Vec<webhook_delivery::ActiveModel> = hooks
        .iter()
        .filter(|w| events_of(w).contains(&event.action))
        .map(|w| webhook_delivery::ActiveModel {
            id: Set(Uuid::now_v7()),
            firm_id: Set(event.firm_id),
            webhook_id: Set(w.id),
            event_id: Set(event.id),
            client_id: Set(event.client_id),
            status: Set(WebhookDeliveryStatus::Pending),
            attempts: Set(0),
            next_attempt_at: Set(event.at),
            response_status: Set(None),
            last_error: Set(None),
            created_at: Set(event.at),
            delivered_at: Set(None),
        })
        .collect();
    if !rows.is_empty() {
        webhook_delivery::Entity::insert_many(rows)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// How many deliveries wait to be sent or retried, and how many were given up (all firms,
/// for the metrics).
pub async fn depth(svc: &Services) -> AppResult<(u64, u64)> {
    let count = |status: WebhookDeliveryStatus| {
        webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::Status.eq(status))
            .count(&svc.db)
    };
    Ok((
        count(WebhookDeliveryStatus::Pending).await?,
        count(WebhookDeliveryStatus::Failed).await?,
    ))
}

/// The value of [`SIGNATURE_HEADER`] for `body` sent at `timestamp` (unix seconds).
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// The JSON body of a delivery, read at the time of sending: the event as the API shows
/// it and the client as it is now (only its id once deleted: nothing personal outlives
/// a deleted client).
async fn body(svc: &Services, d: &webhook_delivery::Model) -> AppResult<Option<String>> {
    let Some(e) = lifecycle_event::Entity::find_by_id(d.event_id)
        .one(&svc.db)
        .await?
    else {
        return Ok(None);
    };
    let actor = match e.actor_id {
        Some(id) => user::Entity::find_by_id(id)
            .one(&svc.db)
            .await?
            .map(|u| json!({ "id": u.id, "name": u.name })),
        None => None,
    };
    let c = client::Entity::find_by_id(e.client_id).one(&svc.db).await?;
    let body = json!({
        "id": d.id,
        "event": {
            "id": e.id,
            "clientId": e.client_id,
            "action": e.action.to_value(),
            "fromStatus": e.from_status.map(|s| s.as_str()),
            "toStatus": e.to_status.map(|s| s.as_str()),
            "actor": actor,
            "reason": e.reason.map(|r| r.to_value()),
            "feedback": e.feedback,
            "details": e.details,
            "at": e.at,
        },
        "client": {
            "id": e.client_id,
            "name": c.as_ref().map(|c| c.name.clone()),
            "status": c.as_ref().map(|c| c.status.as_str()),
        },
    });
    Ok(Some(body.to_string()))
}

/// Resolves names for deliveries, refusing every loopback or private address.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0))
                .await?
                .filter(|a| is_public(a.ip()))
                .collect();
            if found.is_empty() {
                return Err("the name resolves to no public address".into());
            }
            Ok(Box::new(found.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The HTTP client of the delivery worker: no redirects, a timeout, and, unless private
/// targets are allowed, only public addresses.
pub fn sender(settings: &WebhookSettings) -> reqwest::Client {
    // No proxy from the environment either: a proxy would resolve the target's name
    // itself, past the address check.
    let mut builder = reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("clientele/", env!("CARGO_PKG_VERSION")));
    if !settings.allow_private {
        builder = builder.dns_resolver(std::sync::Arc::new(PublicOnly));
    }
    builder.build().unwrap_or_else(|err| {
        tracing::error!(error = %err, "cannot build the webhook client; using defaults");
        reqwest::Client::new()
    })
}

/// What one delivery attempt came to.
struct Attempt {
    status: Option<u16>,
    error: Option<String>,
}

async fn post(
    svc: &Services,
    http: &reqwest::Client,
    hook: &webhook::Model,
    body: String,
) -> Attempt {
    let url = match check_url(&hook.url, svc.webhooks.allow_private) {
        Ok(url) => url,
        Err(e) => {
            return Attempt {
                status: None,
                error: Some(e.public_message()),
            }
        }
    };
    let timestamp = svc.clock.now().timestamp();
    let sent = http
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, signature(&hook.secret, timestamp, &body))
        .body(body)
        .send()
        .await;
    match sent {
        Ok(res) if res.status().is_success() => Attempt {
            status: Some(res.status().as_u16()),
            error: None,
        },
        Ok(res) => Attempt {
            status: Some(res.status().as_u16()),
            error: Some(format!("answered HTTP {}", res.status().as_u16())),
        },
        Err(err) => Attempt {
            status: None,
            error: Some(if err.is_timeout() {
                "timed out".to_string()
            } else if err.is_connect() {
                "could not connect".to_string()
            } else {
                "request failed".to_string()
            }),
        },
    }
}

/// What one delivery pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub delivered: usize,
    pub retried: usize,
    pub failed: usize,
    /// When the next PENDING delivery is due, if any.
    pub next_due: Option<DateTime<Utc>>,
}

/// Sends the due PENDING deliveries, each leased just before it is sent (so no other
/// worker sends it at the same time), and records each attempt.
pub async fn deliver_due(svc: &Services, http: &reqwest::Client) -> AppResult<Delivered> {
    use webhook_delivery::Column as D;
    let now = svc.clock.now();
    let due = webhook_delivery::Entity::find()
        .filter(D::Status.eq(WebhookDeliveryStatus::Pending))
        .filter(D::NextAttemptAt.lte(now))
        .order_by_asc(D::NextAttemptAt)
        .limit(BATCH)
        .all(&svc.db)
        .await?;
    let outcomes: Vec<AppResult<Option<WebhookDeliveryStatus>>> = futures_util::stream::iter(due)
        .map(|d| attempt(svc, http, d))
        .buffer_unordered(CONCURRENT)
        .collect()
        .await;
    let mut out = Delivered::default();
    for outcome in outcomes {
        match outcome? {
            Some(WebhookDeliveryStatus::Delivered) => out.delivered += 1,
            Some(WebhookDeliveryStatus::Pending) => out.retried += 1,
            Some(WebhookDeliveryStatus::Failed) => out.failed += 1,
            // Another worker had it.
            None => {}
        }
    }
    out.next_due = webhook_delivery::Entity::find()
        .select_only()
        .column(D::NextAttemptAt)
        .filter(D::Status.eq(WebhookDeliveryStatus::Pending))
        .order_by_asc(D::NextAttemptAt)
        .limit(1)
        .into_tuple()
        .one(&svc.db)
        .await?;
    Ok(out)
}

/// Leases a due delivery: moves its next attempt [`LEASE`] ahead, unless another worker
/// did so first. Answers the lease, which the attempt's outcome is written against.
async fn lease(svc: &Services, d: &webhook_delivery::Model) -> AppResult<Option<DateTime<Utc>>> {
    use chrono::SubsecRound;
    use webhook_delivery::Column as D;
    // Whole microseconds, as PostgreSQL stores them, so the lease compares equal later.
    let until =
        (svc.clock.now() + chrono::Duration::from_std(LEASE).unwrap_or_default()).trunc_subsecs(6);
    let leased = webhook_delivery::Entity::update_many()
        .col_expr(D::NextAttemptAt, Expr::val(until))
        .filter(D::Id.eq(d.id))
        .filter(D::Status.eq(WebhookDeliveryStatus::Pending))
        .filter(D::NextAttemptAt.eq(d.next_attempt_at))
        .exec(&svc.writer)
        .await?;
    Ok((leased.rows_affected == 1).then_some(until))
}

/// Leases one due delivery, sends it and records the attempt; answers its new status,
/// or `None` when another worker had it (then this one neither sends nor records).
async fn attempt(
    svc: &Services,
    http: &reqwest::Client,
    d: webhook_delivery::Model,
) -> AppResult<Option<WebhookDeliveryStatus>> {
    use webhook_delivery::Column as D;
    let Some(lease_until) = lease(svc, &d).await? else {
        return Ok(None);
    };
    let hook = webhook::Entity::find_by_id(d.webhook_id)
        .one(&svc.db)
        .await?;
    let (Some(hook), Some(body)) = (hook, body(svc, &d).await?) else {
        // The webhook or the event is gone: nothing to send.
        webhook_delivery::Entity::delete_by_id(d.id)
            .exec(&svc.writer)
            .await?;
        return Ok(Some(WebhookDeliveryStatus::Failed));
    };
    let result = post(svc, http, &hook, body).await;
    let attempts = d.attempts + 1;
    let status = match (&result.error, attempts >= MAX_ATTEMPTS) {
        (None, _) => WebhookDeliveryStatus::Delivered,
        (Some(_), false) => WebhookDeliveryStatus::Pending,
        (Some(_), true) => WebhookDeliveryStatus::Failed,
    };
    let now = svc.clock.now();
    let backoff = svc
        .webhooks
        .retry_base
        .saturating_mul(1u32 << (attempts - 1).clamp(0, 20));
    // Written only while this worker's lease holds: a worker that outlived its lease
    // (a stalled process) must not overwrite what another recorded since.
    let mut update = webhook_delivery::Entity::update_many()
        .col_expr(D::Attempts, Expr::col(D::Attempts).add(1))
        .col_expr(D::Status, Expr::val(status))
        .col_expr(D::ResponseStatus, Expr::val(result.status.map(i32::from)))
        .col_expr(D::LastError, Expr::val(result.error.clone()))
        .filter(D::Id.eq(d.id))
        .filter(D::Status.eq(WebhookDeliveryStatus::Pending))
        .filter(D::NextAttemptAt.eq(lease_until));
    update = match status {
        WebhookDeliveryStatus::Delivered => update.col_expr(D::DeliveredAt, Expr::val(Some(now))),
        _ => update.col_expr(
            D::NextAttemptAt,
            Expr::val(now + chrono::Duration::from_std(backoff).unwrap_or_default()),
        ),
    };
    let recorded = update.exec(&svc.writer).await?;
    if let Some(err) = &result.error {
        tracing::warn!(delivery = %d.id, webhook = %hook.id, attempts, error = %err,
            "webhook delivery failed");
    }
    if recorded.rows_affected != 1 {
        tracing::warn!(delivery = %d.id, webhook = %hook.id,
            "webhook delivery attempt outlived its lease; its outcome was not recorded");
        return Ok(None);
    }
    Ok(Some(status))
}

/// Delivers due webhook deliveries until `shutdown` turns true: when the next one is
/// due, soon after an event of a firm with webhooks commits (it may have written
/// deliveries), when the server starts listening for events again on PostgreSQL (those
/// committed meanwhile are not announced), and at least every `interval` (which also
/// picks up webhooks created by other processes).
pub async fn run(svc: Services, interval: Duration, mut shutdown: watch::Receiver<bool>) {
    let http = sender(&svc.webhooks);
    let mut events = svc.events.subscribe();
    let interval = interval.max(Duration::from_millis(10));
    loop {
        let started = tokio::time::Instant::now();
        let next_due = match deliver_due(&svc, &http).await {
            Ok(pass) => pass.next_due,
            Err(err) => {
                tracing::warn!(error = %err, "webhook pass failed");
                None
            }
        };
        // Which firms have webhooks: events of the others never wake the worker.
        let firms: HashSet<Uuid> = webhook::Entity::find()
            .select_only()
            .column(webhook::Column::FirmId)
            .distinct()
            .into_tuple()
            .all(&svc.db)
            .await
            .map(|ids: Vec<Uuid>| ids.into_iter().collect())
            .unwrap_or_default();
        let wait = next_due
            .map(|at| (at - svc.clock.now()).to_std().unwrap_or_default())
            .unwrap_or(interval)
            .min(interval);
        let deadline = started + wait;
        loop {
            tokio::select! {
                _ = tokio::time::sleep_until(deadline) => break,
                _ = svc.webhooks.changed.notified() => break,
                received = events.recv() => {
                    let relevant = match received {
                        Ok(event) => firms.contains(&event.firm_id),
                        // Fell behind a burst: look anyway.
                        Err(_) => !firms.is_empty(),
                    };
                    if relevant {
                        // Let a burst of events share one pass.
                        tokio::time::sleep_until(started + MIN_GAP).await;
                        break;
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_the_timestamp_and_body() {
        assert_eq!(
            signature("whsec_test", 1_700_000_000, r#"{"id":1}"#),
            "t=1700000000,v1=2f441ba4b3b2d50d28a9ab9d9fd8880376ecd1eb5d0435401553f5d8d0a5dcf8"
        );
    }

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fd12::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "64:ff9b::10.0.0.1",
            "64:ff9b::7f00:1",
            "::ffff:0:127.0.0.1",
            "2002:7f00:1::1",
            "2002:a00:1::",
            "64:ff9b:1::8.8.8.8",
            "fec0::1",
            "2001::1",
            "2001:db8::1",
            "240.0.0.1",
            "198.18.0.1",
            "198.19.255.255",
            "192.0.0.8",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::8.8.8.8",
            "2002:808:808::1",
            "198.20.0.1",
            "192.1.0.1",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn urls_are_http_with_a_host_and_not_private_unless_allowed() {
        assert!(check_url("https://hooks.example.com/clientele", false).is_ok());
        for bad in [
            "ftp://example.com/x",
            "not a url",
            "https://user:pass@example.com/",
            "http://127.0.0.1:8080/x",
            "http://[::1]/x",
            "http://10.0.0.7/x",
            "http://localhost/x",
            "http://api.localhost/x",
            "http://169.254.169.254/latest/meta-data",
        ] {
            assert!(check_url(bad, false).is_err(), "{bad}");
        }
        assert!(check_url("http://127.0.0.1:8080/x", true).is_ok());
        assert!(check_url("file:///etc/passwd", true).is_err());
    }
}
