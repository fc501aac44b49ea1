use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::postgres::{PgConnectOptions, PgConnection};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::sqlx::{self, ConnectOptions as _, Connection as _};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseConnectionType,
    DatabaseTransaction, DbBackend, DbErr, QueryResult, RuntimeErr, SqliteTransactionMode,
    Statement, TransactionOptions, TransactionTrait,
};

/// Counts SQL statements sent, so tests can pin how many a request costs.
#[derive(Debug, Default)]
pub struct DbStats {
    statements: AtomicU64,
}

impl DbStats {
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }
}

/// SQLite's `synchronous` pragma: how often it waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Synchronous {
    /// Never wait: a power loss may lose or corrupt recent commits.
    Off,
    /// With WAL, wait only at checkpoints: a power loss may lose the last commits but
    /// never corrupts the database.
    Normal,
    /// Wait at every commit.
    Full,
}

/// Pool and database settings, each read from its variable by the command line.
#[derive(Debug, Clone)]
pub struct DbSettings {
    /// Most connections the pool opens.
    pub max_connections: u32,
    /// Connections the pool keeps open when idle.
    pub min_connections: u32,
    /// How long a request waits for a free connection before it fails.
    pub acquire_timeout: Duration,
    /// How long an idle connection above `min_connections` is kept.
    pub idle_timeout: Duration,
    /// SQLite only: the `synchronous` pragma.
    pub sqlite_synchronous: Synchronous,
    /// SQLite only: how long a connection waits for another's write lock.
    pub sqlite_busy_timeout: Duration,
    /// SQLite only: the page cache of each connection, in KiB.
    pub sqlite_cache_kib: u32,
}

impl Default for DbSettings {
    fn default() -> Self {
        DbSettings {
            max_connections: 10,
            min_connections: 1,
            acquire_timeout: Duration::from_secs(2),
            idle_timeout: Duration::from_secs(600),
            sqlite_synchronous: Synchronous::Normal,
            sqlite_busy_timeout: Duration::from_secs(5),
            sqlite_cache_kib: 2_048,
        }
    }
}

/// The connections of one database: `read` serves everything; `write` opens the write
/// transactions; on PostgreSQL, `pages` serves the reads of list pages.
pub struct Pools {
    pub read: DatabaseConnection,
    /// On PostgreSQL, the connections of [`read_all`] (see [`PageReads`]).
    pub pages: Option<PageReads>,
    /// On SQLite, a second pool of one connection: SQLite admits one writer at a time,
    /// and writers queued for this connection wait in the pool's fair queue, where they
    /// would otherwise poll in SQLite's busy handler with growing sleeps (a third of the
    /// throughput and seconds of tail latency under 32 concurrent writers). On
    /// PostgreSQL, the same pool as `read`.
    pub write: DatabaseConnection,
    /// Whether `write` is a pool of its own.
    pub separate_writer: bool,
    pub stats: Arc<DbStats>,
}

/// Opens the pools. SQLite gets WAL, the configured pragmas and foreign keys; both
/// backends get the statement counter.
pub async fn connect(url: &str, settings: &DbSettings) -> Result<Pools, DbErr> {
    let stats = Arc::new(DbStats::default());
    let read = open(url, settings, settings.max_connections, &stats).await?;
    // An in-memory SQLite database exists once per connection pool: it keeps one pool.
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    let separate_writer = url.starts_with("sqlite:") && !in_memory;
    let write = if separate_writer {
        open(url, settings, 1, &stats).await?
    } else {
        read.clone()
    };
    let pages = if is_postgres(&read) {
        Some(open_page_reads(url, settings).await?)
    } else {
        None
    };
    Ok(Pools {
        read,
        pages,
        write,
        separate_writer,
        stats,
    })
}

/// The connections of one pool at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    /// Lent out to a statement or transaction.
    pub in_use: u32,
    /// Open and waiting in the pool.
    pub idle: u32,
    /// Most connections the pool opens.
    pub max: u32,
}

/// Reads a pool's connection counts.
pub fn pool_stats(conn: &DatabaseConnection) -> PoolStats {
    let (size, idle, max) = match conn.get_database_backend() {
        DbBackend::Sqlite => {
            let pool = conn.get_sqlite_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
        DbBackend::Postgres => {
            let pool = conn.get_postgres_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
        _ => (0, 0, 0),
    };
    let idle = u32::try_from(idle).unwrap_or(u32::MAX);
    PoolStats {
        in_use: size.saturating_sub(idle),
        idle,
        max,
    }
}

/// The PostgreSQL connections of list pages' reads ([`read_all`]), in a pool of their own
/// (bb8) beside sqlx's, with the same settings.
///
/// sqlx's pool pings every connection given back to it before it lends it again: a
/// `Sync` message and PostgreSQL's answer, one more round trip for every statement, as
/// long on loopback as a page's own SELECT: a `list50` request waited for PostgreSQL
/// twice (see bench/README.md, "Where the time went"). This pool takes a
/// connection back as it is, and closes one whose last statement did not finish (it
/// failed, or the request was dropped while it ran) instead of lending it again. It holds
/// no transactions: those, and every other statement, stay on sqlx's pool.
pub type PageReads = bb8::Pool<PageConnections>;

/// Opens the connections of [`PageReads`].
pub struct PageConnections(PgConnectOptions);

/// A connection of [`PageReads`], and whether its last statement finished.
pub struct PageConnection {
    conn: PgConnection,
    finished: bool,
}

impl bb8::ManageConnection for PageConnections {
    type Connection = PageConnection;
    type Error = sqlx::Error;

    async fn connect(&self) -> Result<PageConnection, sqlx::Error> {
        Ok(PageConnection {
            conn: PgConnection::connect_with(&self.0).await?,
            finished: true,
        })
    }

    async fn is_valid(&self, conn: &mut PageConnection) -> Result<(), sqlx::Error> {
        conn.conn.ping().await
    }

    fn has_broken(&self, conn: &mut PageConnection) -> bool {
        !conn.finished
    }
}

/// sqlx's pool keeps a connection at most this long; so does [`PageReads`].
const MAX_LIFETIME: Duration = Duration::from_secs(30 * 60);

async fn open_page_reads(url: &str, settings: &DbSettings) -> Result<PageReads, DbErr> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| DbErr::Conn(RuntimeErr::SqlxError(Arc::new(e))))?
        .disable_statement_logging();
    let max = settings.max_connections.max(1);
    // bb8 refuses zero durations; a millisecond is as good as none.
    let at_least = |d: Duration| d.max(Duration::from_millis(1));
    bb8::Pool::builder()
        .max_size(max)
        .min_idle(settings.min_connections.min(max))
        .connection_timeout(at_least(settings.acquire_timeout))
        .idle_timeout(at_least(settings.idle_timeout))
        .max_lifetime(MAX_LIFETIME)
        // As `test_before_acquire(false)` on sqlx's pool: a broken connection fails its
        // statement and is closed.
        .test_on_check_out(false)
        .build(PageConnections(options))
        .await
        .map_err(|e| DbErr::Conn(RuntimeErr::SqlxError(Arc::new(e))))
}

/// The connection counts of [`PageReads`].
pub fn page_pool_stats(pool: &PageReads) -> PoolStats {
    let state = pool.state();
    PoolStats {
        in_use: state.connections.saturating_sub(state.idle_connections),
        idle: state.idle_connections,
        max: pool.config().max_size,
    }
}

async fn open(
    url: &str,
    settings: &DbSettings,
    max_connections: u32,
    stats: &Arc<DbStats>,
) -> Result<DatabaseConnection, DbErr> {
    let mut opt = ConnectOptions::new(url.to_owned());
    let max = max_connections.max(1);
    opt.max_connections(max)
        .min_connections(settings.min_connections.min(max))
        // Also bounds opening a connection (SeaORM maps both to sqlx's acquire timeout):
        // with the database down, a request fails after this long, not the request
        // timeout.
        .acquire_timeout(settings.acquire_timeout)
        .idle_timeout(settings.idle_timeout)
        // sqlx pings every connection it hands out: one extra round trip per statement.
        // A broken connection fails its statement instead, and the pool drops it.
        .test_before_acquire(false)
        .sqlx_logging(false);
    // sqlx reports every connection wait as a `sqlx::pool::acquire` event at this level;
    // `telemetry::PoolWaits` turns them into the pool-wait metrics, and the log filter
    // keeps them out of the logs.
    opt.map_sqlx_sqlite_pool_opts(|o| o.acquire_time_level(log::LevelFilter::Trace))
        .map_sqlx_postgres_pool_opts(|o| o.acquire_time_level(log::LevelFilter::Trace));
    ACQUIRE_TIMEOUT_NANOS.store(
        u64::try_from(settings.acquire_timeout.as_nanos()).unwrap_or(u64::MAX),
        Ordering::Relaxed,
    );
    if url.starts_with("sqlite:") {
        let s = settings.clone();
        opt.map_sqlx_sqlite_opts(move |o| {
            let synchronous = match s.sqlite_synchronous {
                Synchronous::Off => SqliteSynchronous::Off,
                Synchronous::Normal => SqliteSynchronous::Normal,
                Synchronous::Full => SqliteSynchronous::Full,
            };
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(synchronous)
                .busy_timeout(s.sqlite_busy_timeout)
                .foreign_keys(true)
                .pragma("cache_size", format!("-{}", s.sqlite_cache_kib))
        });
    }
    let mut db = Database::connect(opt).await?;
    let counter = stats.clone();
    db.set_metric_callback(move |_info| {
        counter.statements.fetch_add(1, Ordering::Relaxed);
    });
    Ok(db)
}

/// Runs a read outside a transaction as SeaORM's `query_all` does (the same statement,
/// values and rows, counted the same way), but straight on a pool: on PostgreSQL
/// [`PageReads`] when given, else sqlx's pool under `db`. SeaORM's connection future
/// holds every backend's, and moving it around copied about 30 KB per statement: 5% of a
/// `list50` request on PostgreSQL. For the statements of list pages.
pub async fn read_all(
    db: &DatabaseConnection,
    pages: Option<&PageReads>,
    stats: &DbStats,
    stmt: Statement,
) -> Result<Vec<QueryResult>, DbErr> {
    use sea_query_sqlx::SqlxValues;
    let values = SqlxValues(stmt.values.unwrap_or(sea_orm::Values(Vec::new())));
    let sql = sqlx::AssertSqlSafe(stmt.sql);
    let rows = match (&db.inner, pages) {
        (DatabaseConnectionType::SqlxPostgresPoolConnection(_), Some(pages)) => {
            let asked = std::time::Instant::now();
            let mut lent = pages.get().await.map_err(|e| match e {
                bb8::RunError::TimedOut => {
                    DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout)
                }
                bb8::RunError::User(e) => DbErr::Conn(RuntimeErr::SqlxError(Arc::new(e))),
            })?;
            note_acquire_wait(asked.elapsed());
            lent.finished = false;
            let rows = sqlx::query_with(sql, values)
                .fetch_all(&mut lent.conn)
                .await;
            lent.finished = rows.is_ok();
            rows.map(|rows| rows.into_iter().map(QueryResult::from).collect())
        }
        (DatabaseConnectionType::SqlxPostgresPoolConnection(_), None) => {
            sqlx::query_with(sql, values)
                .fetch_all(db.get_postgres_connection_pool())
                .await
                .map(|rows| rows.into_iter().map(QueryResult::from).collect())
        }
        (DatabaseConnectionType::SqlxSqlitePoolConnection(_), _) => sqlx::query_with(sql, values)
            .fetch_all(db.get_sqlite_connection_pool())
            .await
            .map(|rows| rows.into_iter().map(QueryResult::from).collect()),
        _ => {
            let stmt = Statement::from_sql_and_values(db.get_database_backend(), sql.0, values.0);
            return db.query_all_raw(stmt).await;
        }
    };
    stats.statements.fetch_add(1, Ordering::Relaxed);
    rows.map_err(|e| DbErr::Query(sea_orm::RuntimeErr::SqlxError(Arc::new(e))))
}

/// Opens a transaction that will write. On SQLite it takes the write lock up front
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes fails with
/// "database is locked" under concurrency. PostgreSQL ignores the mode.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Connection waits that gave up since the process started: the pool stayed busy, or
/// the database unreachable, for the whole acquire timeout. Process-wide.
static ACQUIRE_TIMEOUTS: AtomicU64 = AtomicU64::new(0);

/// How many connection waits gave up since the process started.
pub fn acquire_timeouts() -> u64 {
    ACQUIRE_TIMEOUTS.load(Ordering::Relaxed)
}

/// Notes a database error for the metrics. A wait that gave up counts as a wait of the
/// whole acquire timeout.
pub fn note_error(err: &DbErr) {
    if matches!(
        err,
        DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout)
    ) {
        ACQUIRE_TIMEOUTS.fetch_add(1, Ordering::Relaxed);
        let waited = Duration::from_nanos(ACQUIRE_TIMEOUT_NANOS.load(Ordering::Relaxed));
        WAITS.note(waited, std::time::Instant::now());
    }
}

/// The acquire timeout of the pools last opened, for [`note_error`].
static ACQUIRE_TIMEOUT_NANOS: AtomicU64 = AtomicU64::new(0);

/// Seconds over which [`connections_waiting`] averages.
pub const WAIT_WINDOW: u64 = 10;

/// Time spent waiting for pooled connections, in one slot per second of the last
/// [`WAIT_WINDOW`] seconds (and a few more, so the slots being filled never overlap the
/// ones being read).
///
/// sqlx does not tell how many callers wait in a pool's queue; it does tell each caller's
/// wait once it ends. The total time waited during a window, divided by the window, is
/// the mean number of callers waiting during it (Little's law), which is what a pool
/// gauge of waiters would average to.
pub struct WaitWindow {
    started: std::time::Instant,
    /// (second since `started`, nanoseconds waited by calls that got their connection
    /// during that second).
    slots: std::sync::Mutex<[(u64, u64); 16]>,
}

impl WaitWindow {
    fn new() -> Self {
        WaitWindow {
            started: std::time::Instant::now(),
            slots: std::sync::Mutex::new([(u64::MAX, 0); 16]),
        }
    }

    fn second(&self, at: std::time::Instant) -> u64 {
        at.saturating_duration_since(self.started).as_secs()
    }

    /// Adds one wait that ended at `at`.
    pub fn note(&self, waited: Duration, at: std::time::Instant) {
        let second = self.second(at);
        let nanos = u64::try_from(waited.as_nanos()).unwrap_or(u64::MAX);
        let Ok(mut slots) = self.slots.lock() else {
            return;
        };
        let slot = &mut slots[(second % 16) as usize];
        if slot.0 != second {
            *slot = (second, 0);
        }
        slot.1 = slot.1.saturating_add(nanos);
    }

    /// The mean number of callers waiting for a connection over the [`WAIT_WINDOW`]
    /// whole seconds before `at`.
    pub fn mean_waiting(&self, at: std::time::Instant) -> f64 {
        let now = self.second(at);
        let Ok(slots) = self.slots.lock() else {
            return 0.0;
        };
        let waited: u64 = slots
            .iter()
            .filter(|(second, _)| *second < now && now - *second <= WAIT_WINDOW)
            .map(|(_, nanos)| *nanos)
            .fold(0, u64::saturating_add);
        waited as f64 / 1e9 / WAIT_WINDOW as f64
    }
}

static WAITS: std::sync::LazyLock<WaitWindow> = std::sync::LazyLock::new(WaitWindow::new);

/// Notes how long a call waited for a pooled connection, for the waiting gauge and the
/// wait histogram: sqlx's pools' waits (see [`crate::telemetry::PoolWaits`]) and
/// [`PageReads`]'. Process-wide.
pub fn note_acquire_wait(waited: Duration) {
    crate::metrics::observe_acquire_wait(waited);
    WAITS.note(waited, std::time::Instant::now());
}

/// The mean number of calls that waited for a pooled connection over the last
/// [`WAIT_WINDOW`] seconds, in this process.
pub fn connections_waiting() -> f64 {
    WAITS.mean_waiting(std::time::Instant::now())
}

/// Longest a readiness check waits for the database.
pub const PING_TIMEOUT: Duration = Duration::from_secs(1);

/// Checks that the database answers within [`PING_TIMEOUT`].
pub async fn ping(db: &DatabaseConnection) -> bool {
    matches!(
        tokio::time::timeout(PING_TIMEOUT, db.ping()).await,
        Ok(Ok(()))
    )
}

/// True for PostgreSQL.
pub fn is_postgres(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

/// Writes a consistent copy of a SQLite database to `to` with `VACUUM INTO`, which reads
/// one snapshot while other connections (running servers) go on reading and writing.
/// Answers the size of the copy.
pub async fn backup_sqlite(url: &str, to: &std::path::Path) -> Result<u64, String> {
    if !url.starts_with("sqlite:") {
        return Err("backup copies SQLite databases; on PostgreSQL use pg_dump \
                    (see the README)"
            .into());
    }
    if url.contains(":memory:") || url.contains("mode=memory") {
        return Err("an in-memory database has nothing to back up".into());
    }
    if to.exists() {
        return Err(format!("{} already exists", to.display()));
    }
    let target = to
        .to_str()
        .ok_or_else(|| format!("{} is not a UTF-8 path", to.display()))?;
    let mut opt = ConnectOptions::new(url.to_owned());
    opt.max_connections(1).sqlx_logging(false);
    let db = Database::connect(opt)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "VACUUM INTO ?",
        [target.into()],
    ))
    .await
    .map_err(|e| format!("the backup failed: {e}"))?;
    db.close().await.ok();
    std::fs::metadata(to)
        .map(|m| m.len())
        .map_err(|e| format!("cannot read {}: {e}", to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ConnectionTrait, Statement};

    #[test]
    fn connection_wait_timeouts_are_counted() {
        let before = acquire_timeouts();
        note_error(&DbErr::ConnectionAcquire(
            sea_orm::error::ConnAcquireErr::Timeout,
        ));
        note_error(&DbErr::Custom("not a wait".into()));
        // No other unit test waits for a connection, so exactly this one was counted.
        assert_eq!(acquire_timeouts(), before + 1);
    }

    /// The waiting gauge is the time waited over the last whole seconds of the window,
    /// divided by the window: 15 s waited in 10 s means 1.5 callers waiting on average.
    #[test]
    fn waits_average_over_the_window() {
        let w = WaitWindow::new();
        let t0 = w.started;
        let at = |secs: f64| t0 + Duration::from_secs_f64(secs);
        assert_eq!(w.mean_waiting(at(5.0)), 0.0);
        w.note(Duration::from_secs(10), at(1.5));
        w.note(Duration::from_secs(5), at(3.2));
        // The second being filled is not read yet.
        assert_eq!(w.mean_waiting(at(3.9)), 1.0);
        assert_eq!(w.mean_waiting(at(4.0)), 1.5);
        assert_eq!(w.mean_waiting(at(11.0)), 1.5);
        // Slots older than the window drop out, one second at a time.
        assert_eq!(w.mean_waiting(at(12.0)), 0.5);
        assert_eq!(w.mean_waiting(at(14.0)), 0.0);
        // A slot is reused 16 seconds later, starting from zero.
        w.note(Duration::from_millis(100), at(17.9));
        assert!((w.mean_waiting(at(18.0)) - 0.01).abs() < 1e-9);
    }

    /// On PostgreSQL, list pages read through a pool of their own that takes a connection
    /// back as it is, unless its statement did not finish: a failed statement or a read
    /// dropped half-way closes the connection instead of lending it again.
    #[tokio::test]
    async fn page_reads_close_connections_whose_statement_did_not_finish() {
        let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
            return;
        };
        let settings = DbSettings {
            max_connections: 2,
            min_connections: 0,
            ..DbSettings::default()
        };
        let pools = connect(&url, &settings).await.unwrap();
        let pages = pools.pages.as_ref().expect("a pool for list pages");
        let stats = DbStats::default();
        let read = |sql: &'static str| {
            read_all(
                &pools.read,
                Some(pages),
                &stats,
                Statement::from_string(DbBackend::Postgres, sql),
            )
        };
        let open = || {
            let s = page_pool_stats(pages);
            (s.in_use, s.idle, s.max)
        };

        let rows = read("SELECT 7 AS n").await.unwrap();
        assert_eq!(rows[0].try_get_by_index::<i32>(0).unwrap(), 7);
        assert_eq!(open(), (0, 1, 2), "back in the pool, idle");
        read("SELECT 8 AS n").await.unwrap();
        assert_eq!(open(), (0, 1, 2), "the same connection again");

        assert!(read("SELECT * FROM no_such_table").await.is_err());
        assert_eq!(open(), (0, 0, 2), "closed after its failed statement");

        read("SELECT 9 AS n").await.unwrap();
        let dropped =
            tokio::time::timeout(Duration::from_millis(200), read("SELECT pg_sleep(30)")).await;
        assert!(
            dropped.is_err(),
            "the read was dropped while PostgreSQL ran it"
        );
        assert_eq!(
            open(),
            (0, 0, 2),
            "closed, not left to answer the next read"
        );
        let rows = read("SELECT 10 AS n").await.unwrap();
        assert_eq!(rows[0].try_get_by_index::<i32>(0).unwrap(), 10);
        assert_eq!(stats.statements(), 5, "every statement sent is counted");
    }

    async fn pragma(db: &DatabaseConnection, name: &str) -> i64 {
        let row = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                format!("PRAGMA {name}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    }

    /// The settings reach every SQLite connection of both pools.
    #[tokio::test]
    async fn sqlite_settings_are_applied_to_both_pools() {
        let path = std::env::temp_dir().join(format!("clientele-{}.db", uuid::Uuid::new_v4()));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let settings = DbSettings {
            max_connections: 3,
            sqlite_synchronous: Synchronous::Full,
            sqlite_busy_timeout: Duration::from_millis(1234),
            sqlite_cache_kib: 1024,
            ..DbSettings::default()
        };
        let pools = connect(&url, &settings).await.unwrap();
        for db in [&pools.read, &pools.write] {
            assert_eq!(pragma(db, "synchronous").await, 2, "FULL");
            assert_eq!(pragma(db, "busy_timeout").await, 1234);
            assert_eq!(pragma(db, "cache_size").await, -1024, "KiB");
            assert_eq!(pragma(db, "foreign_keys").await, 1);
        }
        assert_eq!(
            pools
                .read
                .get_sqlite_connection_pool()
                .options()
                .get_max_connections(),
            3
        );
        assert_eq!(
            pools
                .write
                .get_sqlite_connection_pool()
                .options()
                .get_max_connections(),
            1
        );
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
