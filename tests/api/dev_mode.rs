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
        .json(&json!({"query": "{ clientStatusCounts { status count } clients { totalCount } }"}))
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
    assert!(populated >= 8, "{counts:?}");
    assert!(body["data"]["clients"]["totalCount"].as_u64().unwrap() >= 30);
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
    assert_eq!(body["data"]["clients"]["totalCount"], 36);
    let _ = tx.send(());
    server.await.unwrap().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
