//! Webhooks: endpoints that hear of the firm's lifecycle events (ADMIN).

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::{webhook, webhook_delivery, Role as DbRole};

use super::context::ContextExt;
use super::guards::RoleGuard;
use super::types::LifecycleAction;
use crate::domain::parse_id;
use crate::error::ResultExt;
use crate::service::webhooks;

/// Where a webhook delivery stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::WebhookDeliveryStatus")]
pub enum WebhookDeliveryStatus {
    /// Not delivered yet; retried with exponential backoff.
    Pending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Given up after 8 attempts.
    Failed,
}

/// One event POSTed (or to be POSTed) to a webhook.
pub struct WebhookDelivery(pub webhook_delivery::Model);

/// One event POSTed (or to be POSTed) to a webhook.
#[Object]
impl WebhookDelivery {
    /// The delivery id, also the `id` of the JSON body: receivers drop duplicates by it.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The lifecycle event delivered.
    async fn event_id(&self) -> ID {
        ID(self.0.event_id.to_string())
    }
    /// PENDING, DELIVERED or FAILED.
    async fn status(&self) -> WebhookDeliveryStatus {
        self.0.status.into()
    }
    /// Attempts made so far.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// The HTTP status of the last answer, if the endpoint answered.
    async fn response_status(&self) -> Option<i32> {
        self.0.response_status
    }
    /// Why the last attempt failed ("answered HTTP 500", "timed out", ...).
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    /// When the next attempt is due (while PENDING).
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        (self.0.status == entity::WebhookDeliveryStatus::Pending).then_some(self.0.next_attempt_at)
    }
    /// When the endpoint accepted it.
    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivered_at
    }
    /// When the event was committed.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// An endpoint that hears of the firm's lifecycle events.
pub struct Webhook(pub webhook::Model);

/// An endpoint that hears of the firm's lifecycle events.
#[Object]
impl Webhook {
    /// The webhook's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Where events are POSTed.
    async fn url(&self) -> &str {
        &self.0.url
    }
    /// The actions it hears of.
    async fn events(&self) -> Vec<LifecycleAction> {
        webhooks::events_of(&self.0)
            .into_iter()
            .map(Into::into)
            .collect()
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Its newest deliveries first, with their outcome.
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many (at most 100; default 20).")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<WebhookDelivery>> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let first = u64::try_from(first.unwrap_or(20).clamp(0, 100)).unwrap_or(0);
        Ok(webhooks::deliveries(svc, actor, self.0.id, first)
            .await
            .gql()?
            .into_iter()
            .map(WebhookDelivery)
            .collect())
    }
}

/// A new webhook.
#[derive(InputObject)]
pub struct CreateWebhookInput {
    /// An http:// or https:// URL. On a production server, loopback and private
    /// addresses are refused unless CLIENTELE_WEBHOOK_ALLOW_PRIVATE is set.
    pub url: String,
    /// The actions to hear of (at least one).
    pub events: Vec<LifecycleAction>,
}

/// The result of `createWebhook`.
#[derive(SimpleObject)]
pub struct CreateWebhookPayload {
    /// The new webhook.
    pub webhook: Webhook,
    /// The signing secret, shown only this once: each delivery carries
    /// `Clientele-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
    pub secret: String,
}

/// The webhook to delete.
#[derive(InputObject)]
pub struct DeleteWebhookInput {
    /// The webhook.
    pub webhook_id: ID,
}

/// The result of `deleteWebhook`.
#[derive(SimpleObject)]
pub struct DeleteWebhookPayload {
    /// The id of the webhook that no longer exists.
    pub deleted_webhook_id: ID,
}

/// Reading webhooks (ADMIN).
#[derive(Default)]
pub struct WebhookQuery;

/// Reading webhooks (ADMIN).
#[Object]
impl WebhookQuery {
    /// The firm's webhooks, oldest first (ADMIN).
    #[graphql(guard = "RoleGuard(DbRole::Admin)")]
    async fn webhooks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Webhook>> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        Ok(webhooks::list(svc, actor)
            .await
            .gql()?
            .into_iter()
            .map(Webhook)
            .collect())
    }
}

/// Managing webhooks (ADMIN).
#[derive(Default)]
pub struct WebhookMutation;

/// Managing webhooks (ADMIN).
#[Object]
impl WebhookMutation {
    /// Creates a webhook: every lifecycle event of the chosen actions is POSTed to the URL
    /// as JSON once committed, signed, retried with exponential backoff (up to 8
    /// attempts) and recorded in `deliveries`.
    #[graphql(guard = "RoleGuard(DbRole::Admin)")]
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The URL and the actions.")] input: CreateWebhookInput,
    ) -> async_graphql::Result<CreateWebhookPayload> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let events: Vec<entity::LifecycleAction> =
            input.events.into_iter().map(Into::into).collect();
        let hook = webhooks::create(svc, actor, &input.url, &events)
            .await
            .gql()?;
        let secret = hook.secret.clone();
        Ok(CreateWebhookPayload {
            webhook: Webhook(hook),
            secret,
        })
    }

    /// Deletes a webhook; deliveries not yet made are dropped.
    #[graphql(guard = "RoleGuard(DbRole::Admin)")]
    async fn delete_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The webhook.")] input: DeleteWebhookInput,
    ) -> async_graphql::Result<DeleteWebhookPayload> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        let id = parse_id("webhookId", &input.webhook_id).gql()?;
        let id = webhooks::delete(svc, actor, id).await.gql()?;
        Ok(DeleteWebhookPayload {
            deleted_webhook_id: ID(id.to_string()),
        })
    }
}
