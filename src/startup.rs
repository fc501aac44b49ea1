use std::future::Future;
use std::sync::Arc;

use migration::{Migrator, MigratorTrait};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::auth::Tokens;
use crate::config::{Config, Secret};
use crate::db::{self, DbStats};
use crate::dev;
use crate::graphql::limits::QueryCache;
use crate::graphql::{build_prevalidated_schema, build_schema};
use crate::http::{self, AppState};
use crate::service::outbox::{self, Mailer};
use crate::service::{scheduler, Clock, Services};

/// Any start-up failure, with a message for the operator.
pub type StartupError = Box<dyn std::error::Error + Send + Sync>;

/// A built server: database migrated, listener bound, not yet serving.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    services: Services,
    stats: Arc<DbStats>,
    tokens: Arc<Tokens>,
    config: Config,
    mailer: Mailer,
    demo_logins: Vec<dev::DemoLogin>,
}

/// Connects to the database and applies pending migrations.
pub async fn connect_and_migrate(
    config: &Config,
) -> Result<(Services, Arc<DbStats>), StartupError> {
    let pools = db::connect(&config.database_url, &config.db)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    Migrator::up(&pools.write, None)
        .await
        .map_err(|e| format!("cannot apply migrations: {e}"))?;
    Ok((
        Services {
            events: crate::service::events::EventBus::new(pools.read.get_database_backend()),
            db: pools.read,
            pages: pools.pages,
            writer: pools.write,
            separate_writer: pools.separate_writer,
            clock: Clock::default(),
            webhooks: crate::service::webhooks::WebhookSettings::default(),
            stats: pools.stats.clone(),
            signed_in: Arc::default(),
        },
        pools.stats,
    ))
}

/// The signing secret: the configured one, or in development mode the one kept beside
/// the database (created on first use).
pub fn signing_secret(config: &Config) -> Result<Secret, StartupError> {
    match &config.jwt_secret {
        Some(secret) => Ok(secret.clone()),
        None => dev::load_or_create_secret(&config.database_url),
    }
}

impl Application {
    /// Migrates, seeds demo data in development mode, builds the schema and binds.
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        Self::build_with_clock(config, Clock::default()).await
    }

    /// Like [`Application::build`], with a clock the caller can move (tests).
    pub async fn build_with_clock(config: Config, clock: Clock) -> Result<Self, StartupError> {
        let (mut services, stats) = connect_and_migrate(&config).await?;
        services.clock = clock;
        services.webhooks = crate::service::webhooks::WebhookSettings {
            retry_base: config.webhook_retry_base,
            // A development server may call anything on the developer's machine.
            allow_private: config.webhook_allow_private || config.development_mode(),
            ..Default::default()
        };
        let mailer = Mailer::from_config(
            config.smtp_url.as_ref().map(|s| s.expose()),
            &config.smtp_from,
        )?;
        let secret = signing_secret(&config)?;
        let tokens = Arc::new(Tokens::new(&secret));
        let demo_logins = if config.development_mode() {
            dev::seed_if_empty(&services).await?;
            dev::demo_logins(&services, &tokens).await?
        } else {
            Vec::new()
        };
        let schema = build_schema(services.clone(), config.introspection);
        let state = AppState {
            schema,
            prevalidated_schema: build_prevalidated_schema(services.clone(), config.introspection),
            services: services.clone(),
            tokens: tokens.clone(),
            queries: Arc::new(QueryCache::new(config.introspection)),
            metrics: Arc::default(),
            graphiql: config.introspection,
            sockets: Arc::new(tokio::sync::Semaphore::new(crate::ws::MAX_SOCKETS)),
            sockets_per_user: Default::default(),
            request_timeout: config.request_timeout,
        };
        let router = http::router(
            state,
            http::RouterLimits {
                request_timeout: config.request_timeout,
                max_in_flight: config.max_in_flight,
            },
            config.test_routes,
        );
        let listener = TcpListener::bind(&config.bind)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
        Ok(Application {
            listener,
            router,
            services,
            stats,
            tokens,
            config,
            mailer,
            demo_logins,
        })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn services(&self) -> &Services {
        &self.services
    }

    pub fn stats(&self) -> Arc<DbStats> {
        self.stats.clone()
    }

    pub fn tokens(&self) -> Arc<Tokens> {
        self.tokens.clone()
    }

    /// Where this server delivers notifications.
    pub fn mailer(&self) -> Mailer {
        self.mailer.clone()
    }

    /// In development mode: the demo users with ready-made tokens.
    pub fn demo_logins(&self) -> &[dev::DemoLogin] {
        &self.demo_logins
    }

    /// Serves HTTP and runs the scheduler until `shutdown` completes, then drains
    /// in-flight requests and stops the scheduler.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let (stop_tx, stop_rx) = watch::channel(false);
        let scheduler = tokio::spawn(scheduler::run(
            self.services.clone(),
            self.config.scheduler_interval,
            stop_rx.clone(),
        ));
        let mail_worker = tokio::spawn(outbox::run(
            self.services.clone(),
            self.mailer.clone(),
            self.config.scheduler_interval,
            stop_rx.clone(),
        ));
        let listener = tokio::spawn(crate::service::events::listen(
            self.services.clone(),
            stop_rx.clone(),
        ));
        let webhook_worker = tokio::spawn(crate::service::webhooks::run(
            self.services.clone(),
            self.config.scheduler_interval,
            stop_rx,
        ));
        let result = axum::serve(self.listener, self.router)
            .with_graceful_shutdown(async move {
                shutdown.await;
                let _ = stop_tx.send(true);
            })
            .await;
        let _ = scheduler.await;
        let _ = mail_worker.await;
        let _ = listener.await;
        let _ = webhook_worker.await;
        result
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
