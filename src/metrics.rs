//! Counters and histograms served at `/metrics` in the Prometheus (OpenMetrics) text
//! format. Each server has its own registry, so several in one process do not mix.

use std::collections::HashSet;
use std::sync::RwLock;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// Most distinct operation names given a label of their own; later names count as
/// [`OTHER_OPERATION`], so clients cannot grow the metrics without bound.
pub const MAX_OPERATION_NAMES: usize = 200;
/// Longest operation name used as a label.
const MAX_OPERATION_NAME_LEN: usize = 64;
/// The label of an operation without a name.
pub const ANONYMOUS_OPERATION: &str = "__anonymous";
/// The label of a request refused before it named an operation (bad body, too large...).
pub const INVALID_OPERATION: &str = "__invalid";
/// The label of every operation name past [`MAX_OPERATION_NAMES`], or not a plain name.
pub const OTHER_OPERATION: &str = "__other";
/// The outcome of a request answered without errors.
pub const OK: &str = "OK";

/// Upper bounds of the latency buckets, in seconds.
const LATENCY_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    operation: String,
    code: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: &'static str,
}

/// Upper bounds of the connection-wait buckets, in seconds.
const WAIT_BUCKETS: [f64; 12] = [
    0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 2.5,
];

/// How long calls waited for a pooled database connection. Process-wide, as sqlx reports
/// the waits of every pool through one log target; each server's registry shows it.
static ACQUIRE_WAIT: std::sync::LazyLock<Histogram> =
    std::sync::LazyLock::new(|| Histogram::new(WAIT_BUCKETS));

/// Counts one wait for a pooled database connection.
pub fn observe_acquire_wait(waited: Duration) {
    ACQUIRE_WAIT.observe(waited.as_secs_f64());
}

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

/// What the server counts about itself.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<OperationLabels, Histogram, fn() -> Histogram>,
    pool_in_use: Family<PoolLabels, Gauge>,
    pool_idle: Family<PoolLabels, Gauge>,
    shed: Counter,
    pool_max: Family<PoolLabels, Gauge>,
    scheduler_lag: Gauge<f64, std::sync::atomic::AtomicU64>,
    outbox_pending: Gauge,
    outbox_failed: Gauge,
    webhooks_pending: Gauge,
    webhooks_failed: Gauge,
    acquire_timeouts: Counter,
    pool_waiting: Gauge<f64, std::sync::atomic::AtomicU64>,
    names: RwLock<HashSet<String>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("clientele");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "graphql_requests",
            "GraphQL requests answered, by operation name and outcome: OK, or the code of \
             the first error",
            requests.clone(),
        );
        let latency = Family::<OperationLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        registry.register(
            "graphql_request_duration_seconds",
            "Time from a GraphQL request's arrival to its answer, by operation name",
            latency.clone(),
        );
        let pool_in_use = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_connections_in_use",
            "Database connections lent out, by pool (read, write)",
            pool_in_use.clone(),
        );
        let pool_idle = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_connections_idle",
            "Open database connections waiting in the pool, by pool (read, write)",
            pool_idle.clone(),
        );
        let shed = Counter::default();
        registry.register(
            "http_shed",
            "Requests answered 503 at once because the server was at its concurrency limit",
            shed.clone(),
        );
        let pool_max = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_connections_max",
            "Most connections each pool opens; a pool with all of them in use makes \
             requests wait (up to CLIENTELE_DB_ACQUIRE_TIMEOUT)",
            pool_max.clone(),
        );
        let scheduler_lag = Gauge::<f64, std::sync::atomic::AtomicU64>::default();
        registry.register(
            "scheduler_lag_seconds",
            "How long the oldest due scheduled activation or decommission has waited to be \
             applied (0 when none is due)",
            scheduler_lag.clone(),
        );
        let outbox_pending = Gauge::default();
        registry.register(
            "outbox_pending",
            "Notifications waiting to be delivered or retried",
            outbox_pending.clone(),
        );
        let outbox_failed = Gauge::default();
        registry.register(
            "outbox_failed",
            "Notifications whose delivery was given up after the last retry",
            outbox_failed.clone(),
        );
        let webhooks_pending = Gauge::default();
        registry.register(
            "webhook_deliveries_pending",
            "Webhook deliveries waiting to be sent or retried",
            webhooks_pending.clone(),
        );
        let webhooks_failed = Gauge::default();
        registry.register(
            "webhook_deliveries_failed",
            "Webhook deliveries given up after the last retry",
            webhooks_failed.clone(),
        );
        let acquire_timeouts = Counter::default();
        registry.register(
            "db_acquire_timeouts",
            "Requests for a database connection that gave up after waiting the whole \
             CLIENTELE_DB_ACQUIRE_TIMEOUT (pool busy or database unreachable), in this process",
            acquire_timeouts.clone(),
        );
        registry.register(
            "db_acquire_wait_seconds",
            "How long database calls waited for a pooled connection, in this process",
            ACQUIRE_WAIT.clone(),
        );
        let pool_waiting = Gauge::<f64, std::sync::atomic::AtomicU64>::default();
        registry.register(
            "db_connections_waiting",
            "Mean number of database calls waiting for a pooled connection over the last \
             10 seconds, in this process (total time waited / 10 s; waits that gave up count \
             for the whole acquire timeout)",
            pool_waiting.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            pool_in_use,
            pool_idle,
            shed,
            pool_max,
            scheduler_lag,
            outbox_pending,
            outbox_failed,
            webhooks_pending,
            webhooks_failed,
            acquire_timeouts,
            pool_waiting,
            names: RwLock::default(),
        }
    }

    /// The label for an operation name: the name itself while fewer than
    /// [`MAX_OPERATION_NAMES`] have been seen, and a fixed label otherwise.
    pub fn operation_label(&self, name: Option<&str>) -> String {
        let Some(name) = name else {
            return ANONYMOUS_OPERATION.to_string();
        };
        let plain = !name.is_empty()
            && name.len() <= MAX_OPERATION_NAME_LEN
            && !name.starts_with("__")
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !name.as_bytes()[0].is_ascii_digit();
        if !plain {
            return OTHER_OPERATION.to_string();
        }
        if let Ok(names) = self.names.read() {
            if names.contains(name) {
                return name.to_string();
            }
        }
        let Ok(mut names) = self.names.write() else {
            return OTHER_OPERATION.to_string();
        };
        if names.contains(name) || names.len() < MAX_OPERATION_NAMES {
            names.insert(name.to_string());
            name.to_string()
        } else {
            OTHER_OPERATION.to_string()
        }
    }

    /// Counts one answered GraphQL request.
    pub fn record_request(&self, operation: String, code: &'static str, elapsed: Duration) {
        let labels = OperationLabels { operation };
        self.latency
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
        self.requests
            .get_or_create(&RequestLabels {
                operation: labels.operation,
                code,
            })
            .inc();
    }

    /// Counts one request shed at the concurrency limit.
    pub fn record_shed(&self) {
        self.shed.inc();
    }

    /// Sets the scheduler and outbox gauges.
    /// Webhook deliveries waiting, and given up.
    pub fn set_webhook_backlog(&self, pending: u64, failed: u64) {
        self.webhooks_pending
            .set(i64::try_from(pending).unwrap_or(i64::MAX));
        self.webhooks_failed
            .set(i64::try_from(failed).unwrap_or(i64::MAX));
    }

    pub fn set_backlog(&self, scheduler_lag: Duration, outbox_pending: u64, outbox_failed: u64) {
        self.scheduler_lag.set(scheduler_lag.as_secs_f64());
        self.outbox_pending
            .set(i64::try_from(outbox_pending).unwrap_or(i64::MAX));
        self.outbox_failed
            .set(i64::try_from(outbox_failed).unwrap_or(i64::MAX));
    }

    /// Brings the acquire-timeout counter up to the process's count.
    pub fn set_acquire_timeouts(&self, total: u64) {
        let seen = self.acquire_timeouts.get();
        if total > seen {
            self.acquire_timeouts.inc_by(total - seen);
        }
    }

    /// Sets the mean number of calls waiting for a connection.
    pub fn set_pool_waiting(&self, waiting: f64) {
        self.pool_waiting.set(waiting);
    }

    /// Sets the pool gauges of one pool.
    pub fn set_pool(&self, pool: &'static str, in_use: u32, idle: u32, max: u32) {
        let labels = PoolLabels { pool };
        self.pool_max.get_or_create(&labels).set(i64::from(max));
        self.pool_in_use
            .get_or_create(&labels)
            .set(i64::from(in_use));
        self.pool_idle.get_or_create(&labels).set(i64::from(idle));
    }

    /// Everything, in the text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// The media type of [`Metrics::render`]'s output.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_bounded_and_plain() {
        let m = Metrics::new();
        assert_eq!(m.operation_label(None), ANONYMOUS_OPERATION);
        assert_eq!(m.operation_label(Some("ClientList")), "ClientList");
        assert_eq!(m.operation_label(Some("__schema")), OTHER_OPERATION);
        assert_eq!(m.operation_label(Some("a-b")), OTHER_OPERATION);
        assert_eq!(m.operation_label(Some("9lives")), OTHER_OPERATION);
        assert_eq!(m.operation_label(Some(&"x".repeat(65))), OTHER_OPERATION);
        for i in 1..MAX_OPERATION_NAMES {
            assert_eq!(m.operation_label(Some(&format!("Op{i}"))), format!("Op{i}"));
        }
        assert_eq!(m.operation_label(Some("OneTooMany")), OTHER_OPERATION);
        // Names already seen keep their label.
        assert_eq!(m.operation_label(Some("ClientList")), "ClientList");
    }

    #[test]
    fn renders_counters_and_histograms() {
        let m = Metrics::new();
        let op = m.operation_label(Some("List"));
        m.record_request(op.clone(), OK, Duration::from_millis(3));
        m.record_request(op, "NOT_FOUND", Duration::from_millis(30));
        m.set_pool("read", 2, 3, 10);
        m.set_backlog(Duration::from_millis(1500), 4, 1);
        m.set_acquire_timeouts(3);
        m.set_acquire_timeouts(2);
        let text = m.render();
        assert!(text.contains(r#"clientele_graphql_requests_total{operation="List",code="OK"} 1"#));
        assert!(text
            .contains(r#"clientele_graphql_requests_total{operation="List",code="NOT_FOUND"} 1"#));
        assert!(text.contains(r#"clientele_graphql_request_duration_seconds_bucket{le="0.005",operation="List"} 1"#), "{text}");
        assert!(text
            .contains(r#"clientele_graphql_request_duration_seconds_count{operation="List"} 2"#));
        assert!(text.contains(r#"clientele_db_connections_in_use{pool="read"} 2"#));
        assert!(text.contains(r#"clientele_db_connections_max{pool="read"} 10"#));
        assert!(
            text.contains("clientele_scheduler_lag_seconds 1.5\n"),
            "{text}"
        );
        assert!(text.contains("clientele_outbox_pending 4\n"));
        assert!(text.contains("clientele_outbox_failed 1\n"));
        assert!(
            text.contains("clientele_db_acquire_timeouts_total 3\n"),
            "{text}"
        );
        assert!(text.ends_with("# EOF\n"));
    }
}
