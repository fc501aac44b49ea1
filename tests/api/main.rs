//! Integration tests: each starts the real server on a fresh database and speaks
//! GraphQL over HTTP to it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod answers;
mod auth;
mod available_actions;
mod cli;
mod concurrency;
mod crash;
mod dev_mode;
mod flows;
mod helpers;
mod http_rules;
mod insight;
mod latest_event;
mod lifecycle;
mod limits;
mod logs;
mod metrics;
mod notifications;
mod pagination;
mod preview;
mod scheduler;
mod schema;
mod security_probes;
mod seed;
mod staff;
mod statements;
mod subscriptions;
mod tenancy;
mod webhooks;
