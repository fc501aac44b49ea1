use std::time::Duration;

use clientele::config::Config;
use clientele::startup::Application;
use serde_json::{json, Value};

/// Development mode keeps its secret beside the SQLite file, seeds demo data once, and
/// hands out one token per role.
#[tokio::test]
async fn development_mode_seeds_demo_data_and_prints_working_tokens() {
    let dir = std::env::temp_dir().join(format!("clientele-dev-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/dev.db?mode=rwc", dir.display());
    let mut config = Config::new(&url);
    config.bind = "127.0.0.1:0".into();
    config.scheduler_interval = Duration::from_secs(3600);

    let app = Application::build(config.clone()).await.unwrap();
    assert!(dir.join("dev.db.jwt-secret").exists());
    let logins = app.demo_logins().to_vec();
    let roles: Vec<_> = logins.iter().map(|l| format!("{:?}", l.role)).collect();
    assert_eq!(roles, ["Admin", "Manager", "Member", "Viewer"]);
    let port = app.port();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = rx.await;
    }));
    let body: Value = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .bearer_auth(&logins[0].token)
        .json(&json!({"query": "{ clientStatusCounts { status count } clients(first: 100) { totalCount nodes { contacts { id } stakeholders { id } workflows { status } subscriptions { charge } } } }"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let counts = body["data"]["clientStatusCounts"].as_array().unwrap();
    let populated = counts
        .iter()
        .filter(|c| c["count"].as_u64().unwrap() > 0)
        .count();
    assert_eq!(populated, 9, "every status has demo clients: {counts:?}");
    assert!(body["data"]["clients"]["totalCount"].as_u64().unwrap() >= 30);
    let nodes = body["data"]["clients"]["nodes"].as_array().unwrap();
    let has = |f: &str| {
        nodes
            .iter()
            .filter(|n| !n[f].as_array().unwrap().is_empty())
            .count()
    };
    assert!(
        has("contacts") == nodes.len()
            && has("stakeholders") > 5
            && has("workflows") > 10
            && has("subscriptions") > 20
    );
    let workflow_statuses: std::collections::BTreeSet<String> = nodes
        .iter()
        .flat_map(|n| {
            n["workflows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w["status"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(workflow_statuses.len(), 4, "{workflow_statuses:?}");
    // The answers of section 7 have something to show: schedules, statistics, a webhook.
    let body: Value = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .bearer_auth(&logins[0].token)
        .json(&json!({"query": "{ scheduledActions { nodes { action } } lifecycleStats { action reason count } webhooks { url events } }"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let scheduled: std::collections::BTreeSet<&str> = body["data"]["scheduledActions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["action"].as_str().unwrap())
        .collect();
    assert_eq!(scheduled.len(), 2, "activations and decommissions: {body}");
    let with_reason = body["data"]["lifecycleStats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["reason"].is_string())
        .count();
    assert!(with_reason >= 5, "{body}");
    assert_eq!(
        body["data"]["webhooks"].as_array().unwrap().len(),
        1,
        "{body}"
    );
    let _ = tx.send(());
    server.await.unwrap().unwrap();

    // A restart reuses the secret (old tokens still work) and does not seed twice.
    let again = Application::build(config).await.unwrap();
    let port = again.port();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(again.run_until_stopped(async {
        let _ = rx.await;
    }));
    let body: Value = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .bearer_auth(&logins[0].token)
        .json(&json!({"query": "{ clients { totalCount } }"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"]["clients"]["totalCount"], 38);
    let _ = tx.send(());
    server.await.unwrap().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
