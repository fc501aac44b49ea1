use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::auth::{parse_ttl, Tokens};
use crate::config::{Config, Secret};
use crate::db::{DbSettings, Synchronous};
use crate::domain::{Email, Name};
use crate::service::{firms, role_name, users};
use crate::startup::{self, Application, StartupError};

/// Clientele: a GraphQL API server for managing a firm's clients through their whole
/// lifecycle.
#[derive(Debug, Parser)]
#[command(name = "clientele", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub opts: GlobalOpts,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options shared by every command; each also reads its environment variable.
#[derive(Debug, Args)]
pub struct GlobalOpts {
    /// SQLite (`sqlite://file.db?mode=rwc`) or PostgreSQL (`postgres://…`) database.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://clientele.db?mode=rwc",
        global = true
    )]
    pub database_url: String,
    /// Listen address.
    #[arg(
        long,
        env = "CLIENTELE_BIND",
        default_value = "127.0.0.1:8000",
        global = true
    )]
    pub bind: String,
    /// Token signing secret; when unset the server runs in development mode.
    #[arg(
        long,
        env = "CLIENTELE_JWT_SECRET",
        hide_env_values = true,
        global = true,
        value_parser = parse_jwt_secret
    )]
    pub jwt_secret: Option<Secret>,
    /// How often due scheduled activations and decommissions are applied.
    #[arg(long, env = "CLIENTELE_SCHEDULER_INTERVAL", default_value = "5s", value_parser = parse_ttl, global = true)]
    pub scheduler_interval: Duration,
    /// How long one HTTP request may run before it is answered with an error.
    #[arg(long, env = "CLIENTELE_REQUEST_TIMEOUT", default_value = "30s", value_parser = parse_ttl, global = true)]
    pub request_timeout: Duration,
    /// Most requests served at once; beyond it a request is answered 503 with
    /// `Retry-After` instead of waiting in a queue.
    #[arg(
        long,
        env = "CLIENTELE_MAX_CONCURRENT_REQUESTS",
        default_value_t = crate::config::DEFAULT_MAX_IN_FLIGHT,
        value_parser = parse_max_in_flight,
        global = true
    )]
    pub max_concurrent_requests: usize,
    /// Where notifications are delivered, e.g. `smtp://user:pass@mail.example.com:587?tls=required`;
    /// unset: they are logged and marked sent.
    #[arg(long, env = "CLIENTELE_SMTP_URL", hide_env_values = true, global = true, value_parser = parse_secret)]
    pub smtp_url: Option<Secret>,
    /// The sender of notifications.
    #[arg(long, env = "CLIENTELE_SMTP_FROM", default_value = crate::config::DEFAULT_SMTP_FROM, global = true)]
    pub smtp_from: String,
    /// Introspection, field suggestions ("did you mean …") and the GraphiQL page. Turn
    /// them off (`false`) on a production server whose schema should not be explored by
    /// strangers; tools then read the committed `schema.graphql`.
    #[arg(
        long,
        env = "CLIENTELE_INTROSPECTION",
        default_value_t = true,
        action = clap::ArgAction::Set,
        value_parser = clap::builder::BoolishValueParser::new(),
        global = true
    )]
    pub introspection: bool,
    /// First retry delay of a failed webhook delivery; each later retry waits twice as
    /// long, up to 8 attempts.
    #[arg(long, env = "CLIENTELE_WEBHOOK_RETRY_BASE", default_value = "10s", value_parser = parse_ttl, global = true)]
    pub webhook_retry_base: Duration,
    /// Allow webhook URLs on loopback and private addresses in production mode (always
    /// allowed in development mode).
    #[arg(
        long,
        env = "CLIENTELE_WEBHOOK_ALLOW_PRIVATE",
        default_value_t = false,
        action = clap::ArgAction::Set,
        value_parser = clap::builder::BoolishValueParser::new(),
        global = true
    )]
    pub webhook_allow_private: bool,
    /// Log lines as text or as JSON objects (with the request id on each).
    #[arg(
        long,
        env = "CLIENTELE_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: crate::telemetry::LogFormat,
    #[command(flatten)]
    pub db: DbArgs,
}

/// Database pool and SQLite settings.
#[derive(Debug, Args)]
pub struct DbArgs {
    /// Most database connections in the pool.
    #[arg(
        long,
        env = "CLIENTELE_DB_MAX_CONNECTIONS",
        default_value_t = 10,
        global = true
    )]
    pub db_max_connections: u32,
    /// Connections kept open while idle.
    #[arg(
        long,
        env = "CLIENTELE_DB_MIN_CONNECTIONS",
        default_value_t = 1,
        global = true
    )]
    pub db_min_connections: u32,
    /// How long a request waits for a free connection before it fails.
    #[arg(long, env = "CLIENTELE_DB_ACQUIRE_TIMEOUT", default_value = "2s", value_parser = parse_ttl, global = true)]
    pub db_acquire_timeout: Duration,
    /// How long an idle connection above the minimum is kept.
    #[arg(long, env = "CLIENTELE_DB_IDLE_TIMEOUT", default_value = "10m", value_parser = parse_ttl, global = true)]
    pub db_idle_timeout: Duration,
    /// SQLite's `synchronous` pragma (WAL is always on).
    #[arg(
        long,
        env = "CLIENTELE_SQLITE_SYNCHRONOUS",
        value_enum,
        default_value = "normal",
        global = true
    )]
    pub sqlite_synchronous: Synchronous,
    /// How long a SQLite connection waits for another's write lock.
    #[arg(long, env = "CLIENTELE_SQLITE_BUSY_TIMEOUT", default_value = "5s", value_parser = parse_ttl, global = true)]
    pub sqlite_busy_timeout: Duration,
    /// SQLite page cache per connection, in KiB.
    #[arg(
        long,
        env = "CLIENTELE_SQLITE_CACHE_KIB",
        default_value_t = 2048,
        global = true
    )]
    pub sqlite_cache_kib: u32,
}

impl DbArgs {
    pub fn settings(&self) -> DbSettings {
        DbSettings {
            max_connections: self.db_max_connections,
            min_connections: self.db_min_connections,
            acquire_timeout: self.db_acquire_timeout,
            idle_timeout: self.db_idle_timeout,
            sqlite_synchronous: self.sqlite_synchronous,
            sqlite_busy_timeout: self.sqlite_busy_timeout,
            sqlite_cache_kib: self.sqlite_cache_kib,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations, start the scheduler and serve HTTP (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Manage firms.
    #[command(subcommand)]
    Firm(FirmCommand),
    /// Print a token for an existing, active user.
    Token {
        /// The user's e-mail address.
        #[arg(long)]
        email: String,
        /// How long the token stays valid (e.g. 30m, 8h, 7d).
        #[arg(long, default_value = "8h", value_parser = parse_ttl)]
        ttl: Duration,
    },
    /// Print the GraphQL schema (SDL), the same text as schema.graphql.
    Schema,
    /// Write a consistent copy of a SQLite database, while servers keep using it (on
    /// PostgreSQL use `pg_dump`).
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Fill the database with synthetic firms and clients for benchmarks and load tests.
    Seed {
        /// How many firms, each with an ADMIN `admin@firm<N>.bench.clientele.test`.
        #[arg(long, default_value_t = 10)]
        firms: usize,
        /// How many clients in all, spread evenly over the firms.
        #[arg(long, default_value_t = 100_000)]
        clients: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum FirmCommand {
    /// Create a firm and its first ADMIN, and print the admin's token.
    Create {
        /// The firm's name.
        #[arg(long)]
        name: String,
        /// The first administrator's name.
        #[arg(long)]
        admin_name: String,
        /// The first administrator's e-mail address.
        #[arg(long)]
        admin_email: String,
    },
}

/// Keeps the secret out of `Debug` output from the moment it is parsed.
fn parse_secret(raw: &str) -> Result<Secret, String> {
    Ok(Secret::new(raw))
}

fn parse_max_in_flight(raw: &str) -> Result<usize, String> {
    match raw.trim().parse::<usize>() {
        Ok(n) if (1..=100_000).contains(&n) => Ok(n),
        _ => Err("expected a whole number from 1 to 100000".into()),
    }
}

/// Shortest signing secret accepted: HS256 tokens can be guessed offline from any one
/// token, so the secret must be long and random (`openssl rand -hex 32` gives 64).
pub const MIN_JWT_SECRET_BYTES: usize = 32;

fn parse_jwt_secret(raw: &str) -> Result<Secret, String> {
    if !raw.is_empty() && raw.len() < MIN_JWT_SECRET_BYTES {
        return Err(format!(
            "the signing secret must be at least {MIN_JWT_SECRET_BYTES} bytes \
             (for example `openssl rand -hex 32`)"
        ));
    }
    Ok(Secret::new(raw))
}

impl GlobalOpts {
    pub fn config(&self) -> Config {
        Config {
            database_url: self.database_url.clone(),
            bind: self.bind.clone(),
            jwt_secret: self.jwt_secret.clone().filter(|s| !s.expose().is_empty()),
            scheduler_interval: self.scheduler_interval,
            request_timeout: self.request_timeout,
            max_in_flight: self.max_concurrent_requests,
            db: self.db.settings(),
            smtp_url: self.smtp_url.clone(),
            smtp_from: self.smtp_from.clone(),
            introspection: self.introspection,
            webhook_retry_base: self.webhook_retry_base,
            webhook_allow_private: self.webhook_allow_private,
            test_routes: false,
        }
    }
}

/// Runs the chosen command.
pub async fn run(cli: Cli) -> Result<(), StartupError> {
    let config = cli.opts.config();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            startup::connect_and_migrate(&config).await?;
            println!("Migrations applied.");
            Ok(())
        }
        Command::Schema => {
            print!("{}", crate::graphql::sdl());
            Ok(())
        }
        Command::Backup { to } => {
            let bytes = crate::db::backup_sqlite(&config.database_url, &to).await?;
            eprintln!("Wrote {} ({bytes} bytes).", to.display());
            Ok(())
        }
        Command::Firm(FirmCommand::Create {
            name,
            admin_name,
            admin_email,
        }) => {
            let (services, _) = startup::connect_and_migrate(&config).await?;
            let tokens = Tokens::new(&startup::signing_secret(&config)?);
            let (firm, admin) = firms::create(
                &services,
                Name::parse("name", &name)?,
                Name::parse("admin-name", &admin_name)?,
                Email::parse("admin-email", &admin_email)?,
            )
            .await?;
            let token = tokens.issue(admin.id, Duration::from_secs(8 * 3600))?;
            eprintln!(
                "Created firm {} ({}) with ADMIN {} ({}).",
                firm.name, firm.id, admin.name, admin.email
            );
            eprintln!("Token for {} (valid 8h):", admin.email);
            println!("{token}");
            Ok(())
        }
        Command::Seed { firms, clients } => {
            let (services, _) = startup::connect_and_migrate(&config).await?;
            let started = std::time::Instant::now();
            let seeded = crate::seed::seed(&services, firms, clients).await?;
            eprintln!(
                "Seeded {} firms, {} clients and {} events in {:.1}s.",
                seeded.firms.len(),
                seeded.clients,
                seeded.events,
                started.elapsed().as_secs_f64()
            );
            for (id, email) in seeded.firms {
                println!("{id} {email}");
            }
            Ok(())
        }
        Command::Token { email, ttl } => {
            let (services, _) = startup::connect_and_migrate(&config).await?;
            let tokens = Tokens::new(&startup::signing_secret(&config)?);
            let email = Email::parse("email", &email)?;
            let user = users::by_email(&services, &email)
                .await?
                .filter(|u| u.active)
                .ok_or_else(|| {
                    format!("no active user has the e-mail address {}", email.as_str())
                })?;
            println!("{}", tokens.issue(user.id, ttl)?);
            Ok(())
        }
    }
}

async fn serve(config: Config) -> Result<(), StartupError> {
    let dev = config.development_mode();
    let app = Application::build(config.clone()).await?;
    let host = config
        .bind
        .rsplit_once(':')
        .map_or("127.0.0.1", |(h, _)| h)
        .replace("0.0.0.0", "127.0.0.1");
    let base = format!("http://{host}:{}", app.port());
    tracing::info!(address = %base, "listening");
    let mut banner = format!("Clientele is serving GraphQL at {base}/graphql\n");
    if config.introspection {
        banner.push_str(&format!("GraphiQL: {base}/graphiql\n"));
    }
    if dev {
        banner.push_str(
            "\nDevelopment mode (CLIENTELE_JWT_SECRET is not set). Paste one of these into\n\
             GraphiQL's Headers tab:\n",
        );
        for login in app.demo_logins() {
            banner.push_str(&format!(
                "\n  {} — {} <{}>\n  {{\"Authorization\": \"Bearer {}\"}}\n",
                role_name(login.role),
                login.name,
                login.email,
                login.token
            ));
        }
        banner.push('\n');
    }
    // A closed stdout (a supervisor that stopped reading) must not stop the server.
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(banner.as_bytes());
        let _ = out.flush();
    }
    app.run_until_stopped(startup::shutdown_signal()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_settings_are_read_from_the_command_line() {
        let cli = Cli::try_parse_from([
            "clientele",
            "--db-max-connections",
            "4",
            "--db-min-connections",
            "2",
            "--db-acquire-timeout",
            "3s",
            "--db-idle-timeout",
            "1m",
            "--sqlite-synchronous",
            "full",
            "--sqlite-busy-timeout",
            "250ms",
            "--sqlite-cache-kib",
            "512",
        ])
        .unwrap();
        let s = cli.opts.config().db;
        assert_eq!((s.max_connections, s.min_connections), (4, 2));
        assert_eq!(s.acquire_timeout, Duration::from_secs(3));
        assert_eq!(s.idle_timeout, Duration::from_secs(60));
        assert_eq!(s.sqlite_synchronous, Synchronous::Full);
        assert_eq!(s.sqlite_busy_timeout, Duration::from_millis(250));
        assert_eq!(s.sqlite_cache_kib, 512);
        assert!(Cli::try_parse_from(["clientele", "--sqlite-synchronous", "sometimes"]).is_err());
    }

    #[test]
    fn operating_options_are_read_and_checked() {
        let cli = Cli::try_parse_from([
            "clientele",
            "--introspection",
            "false",
            "--log-format",
            "json",
            "--max-concurrent-requests",
            "64",
        ])
        .unwrap();
        let config = cli.opts.config();
        assert!(!config.introspection);
        assert_eq!(config.max_in_flight, 64);
        assert_eq!(cli.opts.log_format, crate::telemetry::LogFormat::Json);
        let defaults = Cli::try_parse_from(["clientele"]).unwrap().opts;
        assert!(defaults.config().introspection);
        assert_eq!(defaults.log_format, crate::telemetry::LogFormat::Text);
        for value in ["off", "0", "no"] {
            let cli = Cli::try_parse_from(["clientele", "--introspection", value]).unwrap();
            assert!(!cli.opts.config().introspection, "{value}");
        }
        assert!(Cli::try_parse_from(["clientele", "--max-concurrent-requests", "0"]).is_err());
        assert!(Cli::try_parse_from(["clientele", "--jwt-secret", "short"]).is_err());
        let long = "k".repeat(MIN_JWT_SECRET_BYTES);
        let cli = Cli::try_parse_from(["clientele", "--jwt-secret", long.as_str()]).unwrap();
        assert!(cli.opts.config().jwt_secret.is_some());
    }
}
