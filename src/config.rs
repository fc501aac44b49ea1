use std::fmt;
use std::time::Duration;

/// A signing secret; its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The default limit of requests served at once.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 256;

/// The default sender of notifications.
pub const DEFAULT_SMTP_FROM: &str = "Clientele <no-reply@clientele.invalid>";

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Listen address, e.g. `127.0.0.1:8000` (port 0 picks a free port).
    pub bind: String,
    /// Signing secret; `None` runs the server in development mode.
    pub jwt_secret: Option<Secret>,
    /// How often due scheduled actions are applied.
    pub scheduler_interval: Duration,
    /// How long one HTTP request may run before it is answered with an error.
    pub request_timeout: Duration,
    /// Most requests served at once; more are answered 503 with `Retry-After`.
    pub max_in_flight: usize,
    /// Pool size, timeouts and SQLite pragmas.
    pub db: crate::db::DbSettings,
    /// Where notifications are delivered (`smtp://…`); `None` logs them and marks them sent.
    pub smtp_url: Option<Secret>,
    /// The sender of notifications.
    pub smtp_from: String,
    /// Introspection, field suggestions and the GraphiQL page.
    pub introspection: bool,
    /// First retry delay of a failed webhook delivery (doubled for each later attempt).
    pub webhook_retry_base: Duration,
    /// Allow webhooks to loopback and private addresses in production mode.
    pub webhook_allow_private: bool,
    /// Extra routes used by the test suite to prove panic and timeout handling.
    pub test_routes: bool,
}

impl Config {
    /// The defaults of SPEC section 6, with the given database.
    pub fn new(database_url: impl Into<String>) -> Self {
        Config {
            database_url: database_url.into(),
            bind: "127.0.0.1:8000".into(),
            jwt_secret: None,
            scheduler_interval: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            db: crate::db::DbSettings::default(),
            smtp_url: None,
            smtp_from: DEFAULT_SMTP_FROM.into(),
            introspection: true,
            webhook_retry_base: Duration::from_secs(10),
            webhook_allow_private: false,
            test_routes: false,
        }
    }

    /// True when no signing secret is configured.
    pub fn development_mode(&self) -> bool {
        self.jwt_secret.is_none()
    }
}
