//! Spawns a real server per test on a fresh database (SQLite, or PostgreSQL when
//! `TEST_DATABASE_URL` is set), with one persona per role.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clientele::auth::Tokens;
use clientele::config::{Config, Secret};
use clientele::db::DbStats;
use clientele::domain::{Email, Name};
use clientele::service::{firms, users, Actor, Clock, Services};
use clientele::startup::Application;
use entity::Role;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};
use tokio::sync::oneshot;
use uuid::Uuid;

pub const SECRET: &str = "test-secret-that-is-long-enough-0123456789";

/// A test database, dropped with the app.
pub enum TestDb {
    Sqlite { dir: PathBuf },
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    pub async fn create() -> (TestDb, String) {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                let name = format!("clientele_test_{}", Uuid::new_v4().simple());
                let admin = Database::connect(admin_url.as_str())
                    .await
                    .expect("TEST_DATABASE_URL must point at a reachable PostgreSQL server");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let url = with_database(&admin_url, &name);
                (TestDb::Postgres { admin_url, name }, url)
            }
            _ => {
                let dir = std::env::temp_dir().join(format!("clientele-test-{}", Uuid::new_v4()));
                std::fs::create_dir_all(&dir).expect("temp dir");
                let url = format!("sqlite://{}/test.db?mode=rwc", dir.display());
                (TestDb::Sqlite { dir }, url)
            }
        }
    }
}

/// Replaces the database name of a PostgreSQL URL.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{}", &base[..host_end], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self {
            TestDb::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            TestDb::Postgres { admin_url, name } => {
                let admin_url = admin_url.clone();
                let name = name.clone();
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("runtime");
                    rt.block_on(async move {
                        if let Ok(admin) = Database::connect(admin_url.as_str()).await {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                                ))
                                .await;
                            let _ = admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// A staff user with a token.
#[derive(Clone, Debug)]
pub struct Persona {
    pub id: Uuid,
    pub token: String,
}

/// A GraphQL answer.
#[derive(Debug)]
pub struct Gql {
    pub body: Value,
}

impl Gql {
    /// The data, asserting there were no errors.
    pub fn data(&self) -> &Value {
        assert!(
            self.body.get("errors").is_none(),
            "unexpected errors: {}",
            self.body
        );
        &self.body["data"]
    }

    /// The code of the first error.
    pub fn error_code(&self) -> Option<String> {
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .map(str::to_string)
    }

    /// The first error, asserting there is one.
    pub fn error(&self) -> &Value {
        assert!(
            self.body.get("errors").is_some(),
            "expected an error: {}",
            self.body
        );
        &self.body["errors"][0]
    }
}

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub services: Services,
    pub stats: Arc<DbStats>,
    pub tokens: Arc<Tokens>,
    pub database_url: String,
    pub mailer: clientele::service::outbox::Mailer,
    pub admin: Persona,
    pub manager: Persona,
    pub member: Persona,
    pub viewer: Persona,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    // Dropped last: the database outlives the server.
    _db: TestDb,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

pub fn test_config(database_url: &str) -> Config {
    let mut config = Config::new(database_url);
    config.bind = "127.0.0.1:0".into();
    config.jwt_secret = Some(Secret::new(SECRET));
    config.scheduler_interval = Duration::from_secs(3600);
    config.request_timeout = Duration::from_secs(10);
    config.test_routes = true;
    config.db.max_connections = 8;
    // Webhook tests deliver to receivers on loopback, and retry quickly.
    config.webhook_allow_private = true;
    config.webhook_retry_base = Duration::from_millis(200);
    config
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let (db, url) = TestDb::create().await;
    let mut config = test_config(&url);
    configure(&mut config);
    let app = Application::build_with_clock(config, Clock::default())
        .await
        .expect("application builds");
    let port = app.port();
    let services = app.services().clone();
    let stats = app.stats();
    let tokens = app.tokens();
    let mailer = app.mailer();
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let _ = app
            .run_until_stopped(async {
                let _ = rx.await;
            })
            .await;
    });
    let (_firm, admin) = firms::create(
        &services,
        Name::parse("name", "Test Firm").unwrap(),
        Name::parse("name", "Alice Admin").unwrap(),
        Email::parse(
            "email",
            &format!("admin-{}@firm.test", Uuid::new_v4().simple()),
        )
        .unwrap(),
    )
    .await
    .expect("firm");
    let persona = |id: Uuid| Persona {
        id,
        token: tokens.issue(id, Duration::from_secs(3600)).unwrap(),
    };
    let admin_actor = Actor::Staff(admin.clone());
    let mut others = Vec::new();
    for (name, role) in [
        ("Mark Manager", Role::Manager),
        ("Mel Member", Role::Member),
        ("Val Viewer", Role::Viewer),
    ] {
        let u = users::create(
            &services,
            &admin_actor,
            Name::parse("name", name).unwrap(),
            Email::parse("email", &format!("{}@firm.test", Uuid::new_v4().simple())).unwrap(),
            role,
        )
        .await
        .expect("user");
        others.push(persona(u.id));
    }
    TestApp {
        base: format!("http://127.0.0.1:{port}"),
        http: reqwest::Client::new(),
        services,
        stats,
        tokens: tokens.clone(),
        database_url: url,
        mailer,
        admin: persona(admin.id),
        manager: others[0].clone(),
        member: others[1].clone(),
        viewer: others[2].clone(),
        shutdown: Some(tx),
        server: Some(server),
        _db: db,
    }
}

impl TestApp {
    /// POSTs one GraphQL operation as JSON.
    pub async fn gql_as(&self, token: Option<&str>, query: &str, variables: Value) -> Gql {
        let mut req = self
            .http
            .post(format!("{}/graphql", self.base))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.expect("request");
        let body = res.json::<Value>().await.unwrap_or(Value::Null);
        Gql { body }
    }

    pub async fn gql(&self, who: &Persona, query: &str, variables: Value) -> Gql {
        self.gql_as(Some(&who.token), query, variables).await
    }

    /// Creates a client as the admin and returns its id.
    pub async fn create_client(&self, name: &str) -> String {
        self.create_client_with(json!({ "name": name })).await
    }

    pub async fn create_client_with(&self, input: Value) -> String {
        let r = self
            .gql(
                &self.admin,
                "mutation($i: CreateClientInput!) { createClient(input: $i) { client { id } } }",
                json!({ "i": input }),
            )
            .await;
        r.data()["createClient"]["client"]["id"]
            .as_str()
            .expect("id")
            .to_string()
    }

    /// Runs a lifecycle mutation by name with `{clientId, ...extra}` as the admin.
    pub async fn act(&self, who: &Persona, mutation: &str, client_id: &str, extra: Value) -> Gql {
        let mut input = json!({ "clientId": client_id });
        if let Value::Object(map) = extra {
            for (k, v) in map {
                input[k] = v;
            }
        }
        let input_type = input_type_of(mutation);
        let selection = match mutation {
            "deleteClient" => "deletedClientId event { id action fromStatus toStatus }",
            "discardClient" => {
                "purged client { id status version } event { id action fromStatus toStatus }"
            }
            _ => "client { id status version portalAccess decommissionScheduledAt activationScheduledAt statusBeforeArchive } event { id action fromStatus toStatus reason feedback actor { id } }",
        };
        let query =
            format!("mutation($i: {input_type}!) {{ {mutation}(input: $i) {{ {selection} }} }}");
        self.gql(who, &query, json!({ "i": input })).await
    }

    /// Status of a client as the admin sees it (`None` when gone).
    /// A client's name (read as the ADMIN).
    pub async fn name_of(&self, id: &str) -> String {
        let r = self
            .gql(
                &self.admin,
                "query($id: ID!) { client(id: $id) { name } }",
                json!({"id": id}),
            )
            .await;
        r.data()["client"]["name"].as_str().unwrap().to_string()
    }

    pub async fn status_of(&self, id: &str) -> Option<String> {
        let r = self
            .gql(
                &self.admin,
                "query($id: ID!) { client(id: $id) { status } }",
                json!({ "id": id }),
            )
            .await;
        r.data()["client"]["status"].as_str().map(str::to_string)
    }

    /// The client's history, oldest first, as (action, from, to).
    pub async fn history(&self, id: &str) -> Vec<Value> {
        let r = self
            .gql(
                &self.admin,
                "query($id: ID!) { client(id: $id) { history(first: 100) { nodes { action fromStatus toStatus reason feedback details actor { id name } } } } }",
                json!({ "id": id }),
            )
            .await;
        let mut nodes = r.data()["client"]["history"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        nodes.reverse();
        nodes
    }

    /// Starts a PROJECT workflow on a client as the MEMBER, without an assignee.
    pub async fn start_workflow(&self, client_id: &str, name: &str) -> Gql {
        self.gql(
            &self.member,
            "mutation($i: StartWorkflowInput!) { startWorkflow(input: $i) { workflow { id } } }",
            json!({"i": {"clientId": client_id, "name": name, "kind": "PROJECT"}}),
        )
        .await
    }

    /// Adds an ACTIVE contact with a unique address and returns its id.
    pub async fn add_contact(&self, client_id: &str, name: &str) -> String {
        let email = format!("{}@contact.test", Uuid::new_v4().simple());
        let r = self
            .gql(
                &self.member,
                "mutation($i: AddContactInput!) { addContact(input: $i) { contact { id } } }",
                json!({"i": {"clientId": client_id, "name": name, "email": email}}),
            )
            .await;
        r.data()["addContact"]["contact"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Brings a new client into `status` through the API.
    pub async fn client_in(&self, status: &str) -> String {
        let name = format!("Client {}", Uuid::new_v4().simple());
        let id = match status {
            "PENDING" => {
                self.create_client_with(json!({ "name": name, "pending": true }))
                    .await
            }
            _ => self.create_client(&name).await,
        };
        let steps: &[&str] = match status {
            "PROSPECT" | "PENDING" => &[],
            "ACTIVE" => &["activateClient"],
            "SUSPENDED" => &["activateClient", "suspendClient"],
            "INACTIVE" => &["activateClient", "deactivateClient"],
            "ARCHIVED" => &["activateClient", "archiveClient"],
            // Activated first, so it is past its loading phase and is not purged.
            "DISCARDED" => &["activateClient", "discardClient"],
            "DECOMMISSIONED" => &["activateClient", "decommissionClient"],
            "DISCONNECTED" => &["activateClient"],
            other => panic!("unknown status {other}"),
        };
        for step in steps {
            let r = self.act(&self.admin, step, &id, json!({})).await;
            r.data();
        }
        if status == "DISCONNECTED" {
            let owner = self.add_contact(&id, "Owner").await;
            self.act(
                &self.admin,
                "disconnectClient",
                &id,
                json!({"accountOwnerContactId": owner}),
            )
            .await
            .data();
        }
        assert_eq!(self.status_of(&id).await.as_deref(), Some(status));
        id
    }

    /// Creates a second firm with its own admin.
    pub async fn other_firm_admin(&self) -> Persona {
        let (_, admin) = firms::create(
            &self.services,
            Name::parse("name", "Other Firm").unwrap(),
            Name::parse("name", "Olga Other").unwrap(),
            Email::parse(
                "email",
                &format!("other-{}@other.test", Uuid::new_v4().simple()),
            )
            .unwrap(),
        )
        .await
        .unwrap();
        Persona {
            id: admin.id,
            token: self
                .tokens
                .issue(admin.id, Duration::from_secs(3600))
                .unwrap(),
        }
    }
}

/// `suspendClient` → `SuspendClientInput`.
pub fn input_type_of(mutation: &str) -> String {
    let mut chars = mutation.chars();
    let first = chars.next().unwrap().to_ascii_uppercase();
    format!("{first}{}Input", chars.as_str())
}

pub const STATUSES: [&str; 9] = [
    "PROSPECT",
    "PENDING",
    "ACTIVE",
    "SUSPENDED",
    "INACTIVE",
    "ARCHIVED",
    "DISCARDED",
    "DECOMMISSIONED",
    "DISCONNECTED",
];

/// Every lifecycle action with its mutation and the extra arguments that make it valid.
pub fn actions() -> Vec<(&'static str, &'static str)> {
    vec![
        ("ACTIVATE", "activateClient"),
        ("SCHEDULE_ACTIVATION", "scheduleActivation"),
        ("SUSPEND", "suspendClient"),
        ("UNSUSPEND", "unsuspendClient"),
        ("DEACTIVATE", "deactivateClient"),
        ("REACTIVATE", "reactivateClient"),
        ("ARCHIVE", "archiveClient"),
        ("UNARCHIVE", "unarchiveClient"),
        ("DISCARD", "discardClient"),
        ("RESTORE", "restoreClient"),
        ("DECOMMISSION", "decommissionClient"),
        ("CANCEL_DECOMMISSION", "cancelScheduledDecommission"),
        ("DISCONNECT", "disconnectClient"),
        ("DELETE", "deleteClient"),
        ("REVOKE_PORTAL_ACCESS", "revokePortalAccess"),
        ("RESTORE_PORTAL_ACCESS", "restorePortalAccess"),
    ]
}

/// The release or debug `clientele serve` binary as a child process on `database_url`,
/// with a production secret and the given extra variables; answers the child and the
/// base address it printed. Its standard output keeps being drained.
pub async fn spawn_server_process(
    database_url: &str,
    envs: &[(&str, &str)],
    stderr: std::process::Stdio,
) -> (tokio::process::Child, String) {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_clientele"));
    cmd.arg("serve")
        .env("DATABASE_URL", database_url)
        .env("CLIENTELE_BIND", "127.0.0.1:0")
        .env("CLIENTELE_JWT_SECRET", SECRET)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(stderr)
        .kill_on_drop(true);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn clientele");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("server starts")
        .expect("stdout")
        .unwrap_or_default();
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .and_then(|w| w.strip_suffix("/graphql"))
        .expect("address in the banner")
        .to_string();
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, base)
}

/// A loopback port where nothing listens, kept reserved while the socket lives: a
/// connection to it is refused at once, and no other test can bind it meanwhile (as it
/// could a port whose listener was dropped).
pub fn refusing_port() -> (tokio::net::TcpSocket, std::net::SocketAddr) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = socket.local_addr().unwrap();
    (socket, addr)
}
