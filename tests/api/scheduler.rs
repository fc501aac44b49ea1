use std::process::Stdio;
use std::time::Duration;

use clientele::service::scheduler::run_due;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::helpers::{spawn_app, spawn_app_with, SECRET};

#[tokio::test]
async fn due_scheduled_activations_and_decommissions_are_applied_once() {
    let app = spawn_app().await;
    let soon = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let to_activate = app
        .create_client_with(json!({"name": "Later", "activateAt": soon}))
        .await;
    let to_decommission = app.client_in("SUSPENDED").await;
    app.act(
        &app.admin,
        "decommissionClient",
        &to_decommission,
        json!({"effectiveAt": soon}),
    )
    .await
    .data();

    // Nothing is due yet.
    let pass = run_due(&app.services).await.unwrap();
    assert_eq!((pass.activated, pass.decommissioned), (0, 0));
    assert_eq!(
        app.status_of(&to_activate).await.as_deref(),
        Some("PENDING")
    );

    app.services.clock.advance(chrono::Duration::hours(2));
    let pass = run_due(&app.services).await.unwrap();
    assert_eq!((pass.activated, pass.decommissioned), (1, 1));
    assert_eq!(app.status_of(&to_activate).await.as_deref(), Some("ACTIVE"));
    assert_eq!(
        app.status_of(&to_decommission).await.as_deref(),
        Some("DECOMMISSIONED")
    );
    let last = app.history(&to_activate).await.pop().unwrap();
    assert_eq!(last["action"], "ACTIVATE");
    assert_eq!(last["actor"], serde_json::Value::Null);
    assert_eq!(last["details"]["scheduled"], true);

    let pass = run_due(&app.services).await.unwrap();
    assert_eq!((pass.activated, pass.decommissioned), (0, 0));
}

#[tokio::test]
async fn a_cancelled_or_overtaken_schedule_is_not_applied() {
    let app = spawn_app().await;
    let soon = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let cancelled = app.client_in("ACTIVE").await;
    app.act(
        &app.admin,
        "decommissionClient",
        &cancelled,
        json!({"effectiveAt": soon}),
    )
    .await
    .data();
    app.act(
        &app.admin,
        "cancelScheduledDecommission",
        &cancelled,
        json!({}),
    )
    .await
    .data();
    let archived = app.client_in("ACTIVE").await;
    app.act(
        &app.admin,
        "decommissionClient",
        &archived,
        json!({"effectiveAt": soon}),
    )
    .await
    .data();
    app.act(&app.admin, "archiveClient", &archived, json!({}))
        .await
        .data();
    let activated = app
        .create_client_with(json!({"name": "Manual", "activateAt": soon}))
        .await;
    app.act(&app.admin, "activateClient", &activated, json!({}))
        .await
        .data();

    app.services.clock.advance(chrono::Duration::hours(2));
    let pass = run_due(&app.services).await.unwrap();
    assert_eq!((pass.activated, pass.decommissioned), (0, 0));
    assert_eq!(app.status_of(&cancelled).await.as_deref(), Some("ACTIVE"));
    assert_eq!(app.status_of(&archived).await.as_deref(), Some("ARCHIVED"));
}

#[tokio::test]
async fn the_background_scheduler_runs_on_its_interval() {
    let app = spawn_app_with(|c| c.scheduler_interval = Duration::from_millis(50)).await;
    let soon = (chrono::Utc::now() + chrono::Duration::minutes(5)).to_rfc3339();
    let id = app
        .create_client_with(json!({"name": "Auto", "activateAt": soon}))
        .await;
    app.services.clock.advance(chrono::Duration::minutes(10));
    for _ in 0..100 {
        if app.status_of(&id).await.as_deref() == Some("ACTIVE") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the scheduler did not activate the client");
}

/// Three server processes share one database; every due item is applied exactly once.
#[tokio::test]
async fn several_server_processes_apply_each_due_item_exactly_once() {
    let app = spawn_app().await;
    let due_at = chrono::Utc::now() + chrono::Duration::seconds(2);
    let mut ids = Vec::new();
    for i in 0..20 {
        let id = app
            .create_client_with(
                json!({"name": format!("Due {i}"), "activateAt": due_at.to_rfc3339()}),
            )
            .await;
        ids.push(id);
    }
    for i in 0..10 {
        let id = app.client_in("ACTIVE").await;
        app.act(
            &app.admin,
            "decommissionClient",
            &id,
            json!({"effectiveAt": due_at.to_rfc3339(), "feedback": format!("d{i}")}),
        )
        .await
        .data();
        ids.push(id);
    }
    let mut children = Vec::new();
    for _ in 0..3 {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_clientele"))
            .arg("serve")
            .env("DATABASE_URL", &app.database_url)
            .env("CLIENTELE_BIND", "127.0.0.1:0")
            .env("CLIENTELE_JWT_SECRET", SECRET)
            .env("CLIENTELE_SCHEDULER_INTERVAL", "50ms")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("spawn clientele");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("server starts")
            .unwrap()
            .unwrap_or_default();
        assert!(first.contains("/graphql"), "{first}");
        // Keep draining its output so the child never writes into a closed pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        children.push(child);
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let r = app
            .gql(
                &app.admin,
                "{ clientStatusCounts { status count } }",
                json!({}),
            )
            .await;
        let counts = r.data()["clientStatusCounts"].as_array().unwrap().clone();
        let count = |s: &str| {
            counts.iter().find(|c| c["status"] == s).unwrap()["count"]
                .as_u64()
                .unwrap()
        };
        if count("ACTIVE") == 20 && count("DECOMMISSIONED") == 10 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "not applied in time: {counts:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Let every process run a few more passes over the same rows.
    tokio::time::sleep(Duration::from_millis(400)).await;
    for mut child in children {
        child.start_kill().ok();
        child.wait().await.ok();
    }
    for id in &ids {
        let applied = app
            .history(id)
            .await
            .iter()
            .filter(|e| e["details"]["scheduled"] == true)
            .count();
        assert_eq!(applied, 1, "client {id}");
    }
}

/// A due item that fails (here a database trigger refuses to update that one client)
/// does not hold back the items due after it; it is counted, and applied by a later pass
/// once it can be.
#[tokio::test]
async fn one_failing_due_item_does_not_hold_back_the_others() {
    use sea_orm::ConnectionTrait;
    let app = spawn_app().await;
    let first = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let second = (chrono::Utc::now() + chrono::Duration::minutes(70)).to_rfc3339();
    let stuck = app
        .create_client_with(json!({"name": "Stuck Ltd", "activateAt": first}))
        .await;
    let fine = app
        .create_client_with(json!({"name": "Fine Ltd", "activateAt": second}))
        .await;
    let db = &app.services.db;
    let postgres = clientele::db::is_postgres(db);
    if postgres {
        db.execute_unprepared(
            "CREATE FUNCTION refuse_stuck() RETURNS trigger AS $$ BEGIN \
             RAISE EXCEPTION 'stuck'; END $$ LANGUAGE plpgsql",
        )
        .await
        .unwrap();
        db.execute_unprepared(
            "CREATE TRIGGER stuck BEFORE UPDATE ON clients FOR EACH ROW \
             WHEN (OLD.name = 'Stuck Ltd') EXECUTE FUNCTION refuse_stuck()",
        )
        .await
        .unwrap();
    } else {
        db.execute_unprepared(
            "CREATE TRIGGER stuck BEFORE UPDATE ON clients WHEN OLD.name = 'Stuck Ltd' \
             BEGIN SELECT RAISE(ABORT, 'stuck'); END",
        )
        .await
        .unwrap();
    }

    app.services.clock.advance(chrono::Duration::hours(2));
    let pass = run_due(&app.services).await.unwrap();
    assert_eq!((pass.activated, pass.failed), (1, 1));
    assert_eq!(app.status_of(&fine).await.as_deref(), Some("ACTIVE"));
    assert_eq!(app.status_of(&stuck).await.as_deref(), Some("PENDING"));

    let drop = if postgres {
        "DROP TRIGGER stuck ON clients"
    } else {
        "DROP TRIGGER stuck"
    };
    db.execute_unprepared(drop).await.unwrap();
    let pass = run_due(&app.services).await.unwrap();
    assert_eq!((pass.activated, pass.failed), (1, 0));
    assert_eq!(app.status_of(&stuck).await.as_deref(), Some("ACTIVE"));
}
