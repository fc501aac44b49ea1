use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::helpers::{TestDb, SECRET};

pub(crate) fn clientele(database_url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_clientele"));
    cmd.env("DATABASE_URL", database_url)
        .env("CLIENTELE_JWT_SECRET", SECRET)
        .env("CLIENTELE_BIND", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .kill_on_drop(true);
    cmd
}

pub(crate) async fn output(mut cmd: Command) -> String {
    let out = cmd.output().await.expect("run clientele");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn schema_prints_the_committed_sdl() {
    let mut cmd = clientele("sqlite::memory:");
    cmd.arg("schema");
    let printed = output(cmd).await;
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql")).unwrap();
    assert_eq!(printed, committed);
}

#[tokio::test]
async fn migrate_firm_create_token_and_serve_work_together() {
    let (_db, url) = TestDb::create().await;
    let mut cmd = clientele(&url);
    cmd.arg("migrate");
    assert!(output(cmd).await.contains("Migrations applied"));

    let mut cmd = clientele(&url);
    cmd.args([
        "firm",
        "create",
        "--name",
        "Smith & Co",
        "--admin-name",
        "Sam Smith",
        "--admin-email",
        "Sam@Smith.test",
    ]);
    let firm_token = output(cmd).await.trim().to_string();
    assert_eq!(firm_token.split('.').count(), 3);

    let mut cmd = clientele(&url);
    cmd.args(["token", "--email", "sam@smith.test", "--ttl", "1h"]);
    let token = output(cmd).await.trim().to_string();

    let mut cmd = clientele(&url);
    cmd.args(["token", "--email", "nobody@smith.test"]);
    let out = cmd.output().await.unwrap();
    assert!(!out.status.success());

    let mut cmd = clientele(&url);
    cmd.arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("address printed")
        .to_string();
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let http = reqwest::Client::new();
    for t in [&firm_token, &token] {
        let body: Value = http
            .post(&url)
            .bearer_auth(t)
            .json(&json!({"query": "{ me { email role firm { name } } }"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(body["data"]["me"]["email"], "sam@smith.test");
        assert_eq!(body["data"]["me"]["role"], "ADMIN");
        assert_eq!(body["data"]["me"]["firm"]["name"], "Smith & Co");
    }
    let pid = child.id().unwrap();
    // Transparent huge pages are off for the server's process (`clientele::memory`).
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            if let Some(line) = status.lines().find(|l| l.starts_with("THP_enabled:")) {
                assert_eq!(line.split_whitespace().nth(1), Some("0"), "{line}");
            }
        }
    }
    // SIGTERM stops it gracefully.
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let status = tokio::time::timeout(Duration::from_secs(15), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "{status:?}");
}

/// `clientele backup` copies a SQLite database while the server keeps writing to it; the
/// copy is a consistent database. On PostgreSQL it points to pg_dump instead.
#[tokio::test]
async fn backup_copies_a_sqlite_database_while_it_is_served() {
    use sea_orm::{ConnectionTrait, Database, Statement};

    let app = crate::helpers::spawn_app().await;
    let dir = tempfile_dir();
    let target = dir.join("backup.db");
    let mut cmd = clientele(&app.database_url);
    cmd.args(["backup", "--to", target.to_str().unwrap()]);
    if !app.database_url.starts_with("sqlite:") {
        let out = cmd.output().await.unwrap();
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
        return;
    }
    for i in 0..5 {
        app.create_client(&format!("Before {i}")).await;
    }
    // Writes go on while the copy is taken.
    let writer = async {
        for i in 0..20 {
            app.create_client(&format!("During {i}")).await;
        }
    };
    let (out, ()) = tokio::join!(cmd.output(), writer);
    let out = out.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let copy = Database::connect(format!("sqlite://{}?mode=ro", target.display()))
        .await
        .unwrap();
    let one = |sql: &'static str| {
        let copy = &copy;
        async move {
            copy.query_one_raw(Statement::from_string(copy.get_database_backend(), sql))
                .await
                .unwrap()
                .unwrap()
        }
    };
    let check: String = one("PRAGMA integrity_check")
        .await
        .try_get_by_index(0)
        .unwrap();
    assert_eq!(check, "ok");
    let clients: i64 = one("SELECT count(*) FROM clients")
        .await
        .try_get_by_index(0)
        .unwrap();
    assert!((5..=25).contains(&clients), "{clients}");
    // Every client in the copy has its CREATE event: one snapshot, not a torn read.
    let orphans: i64 = one("SELECT count(*) FROM clients c WHERE NOT EXISTS \
         (SELECT 1 FROM lifecycle_events e WHERE e.client_id = c.id)")
    .await
    .try_get_by_index(0)
    .unwrap();
    assert_eq!(orphans, 0);
    // An existing file is never overwritten.
    let mut again = clientele(&app.database_url);
    again.args(["backup", "--to", target.to_str().unwrap()]);
    let out = again.output().await.unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    std::fs::remove_dir_all(dir).ok();
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("clientele-backup-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
