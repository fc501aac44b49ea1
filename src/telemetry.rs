//! Logs: human-readable lines by default, JSON lines with `CLIENTELE_LOG_FORMAT=json`.
//! Each line written while a request is handled carries the request's id, which is also
//! returned in the `X-Request-Id` response header.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One human-readable line per event.
    #[default]
    Text,
    /// One JSON object per line, with the fields of the event and of its request.
    Json,
}

/// Installs the log subscriber; `RUST_LOG` overrides the default `info` level. Beside
/// the log lines, [`PoolWaits`] reads sqlx's connection-wait events whatever the level.
pub fn init(format: LogFormat) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::Layer;

    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let lines = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let lines = match format {
        LogFormat::Text => lines.boxed(),
        LogFormat::Json => lines
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .boxed(),
    };
    let waits = tracing_subscriber::filter::Targets::new()
        .with_target(PoolWaits::TARGET, tracing::Level::TRACE);
    let _ = tracing_subscriber::registry()
        .with(lines.with_filter(filter))
        .with(PoolWaits.with_filter(waits))
        .try_init();
}

/// Turns sqlx's report of each connection wait (an event on `sqlx::pool::acquire` with
/// `acquired_after_secs`, enabled by the pools' `acquire_time_level`) into the
/// pool-wait metrics. sqlx has no other way to tell how long callers wait.
pub struct PoolWaits;

impl PoolWaits {
    /// The log target of sqlx's connection-wait events.
    pub const TARGET: &'static str = "sqlx::pool::acquire";
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for PoolWaits {
    fn on_event(
        &self,
        event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        struct Waited(Option<f64>);
        impl tracing::field::Visit for Waited {
            fn record_f64(&mut self, field: &tracing::field::Field, value: f64) {
                if field.name() == "acquired_after_secs" {
                    self.0 = Some(value);
                }
            }
            fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
        }
        let mut waited = Waited(None);
        event.record(&mut waited);
        if let Some(secs) = waited.0.filter(|s| s.is_finite() && *s >= 0.0) {
            let waited = std::time::Duration::from_secs_f64(secs.min(1e6));
            crate::db::note_acquire_wait(waited);
        }
    }
}

/// The header that carries a request's id, both ways.
pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest request id taken from a caller (a load balancer's); longer ones are replaced.
const MAX_REQUEST_ID_LEN: usize = 64;

/// A caller's request id is kept when it is short and plain (letters, digits, `.`, `_`,
/// `-`), so that the id a load balancer gave follows the request into these logs;
/// anything else is replaced by a new UUID.
pub fn acceptable_request_id(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= MAX_REQUEST_ID_LEN
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Gives every request an id (the caller's, if acceptable) and returns it in the response.
pub async fn request_id(mut req: Request, next: Next) -> Response {
    let given = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable_request_id(v))
        .map(str::to_owned);
    let id = given.unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    let value = HeaderValue::from_str(&id).unwrap_or_else(|_| HeaderValue::from_static("invalid"));
    req.headers_mut().insert(REQUEST_ID.clone(), value.clone());
    let mut res = next.run(req).await;
    res.headers_mut().insert(REQUEST_ID.clone(), value);
    res
}

/// The span of one request: method, path (never the query string, which may hold
/// variables) and id. Headers are not recorded, so tokens never reach the logs.
pub fn request_span<B>(req: &axum::http::Request<B>) -> tracing::Span {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        method = %req.method(),
        path = %req.uri().path(),
        request_id = %id,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caller_request_ids_are_kept_only_when_plain() {
        assert!(acceptable_request_id("lb-7f3a.42_x"));
        assert!(acceptable_request_id(&"a".repeat(64)));
        assert!(!acceptable_request_id(&"a".repeat(65)));
        assert!(!acceptable_request_id(""));
        assert!(!acceptable_request_id("two words"));
        assert!(!acceptable_request_id("{\"json\":1}"));
    }
}
