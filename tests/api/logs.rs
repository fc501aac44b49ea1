use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::AsyncReadExt;

use crate::helpers::{spawn_app, spawn_server_process, SECRET};

/// With `CLIENTELE_LOG_FORMAT=json` every log line is a JSON object; each request's
/// lines carry its id, which the response returns in `X-Request-Id` (a load balancer's
/// plain id is kept, anything else replaced); tokens never appear in the logs.
#[tokio::test]
async fn json_logs_carry_the_request_id_and_never_a_token() {
    let app = spawn_app().await;
    let (mut child, base) = spawn_server_process(
        &app.database_url,
        &[("CLIENTELE_LOG_FORMAT", "json"), ("RUST_LOG", "debug")],
        Stdio::piped(),
    )
    .await;
    let mut stderr = child.stderr.take().unwrap();

    let send = |id: Option<&'static str>, query: &'static str| {
        let mut req = app
            .http
            .post(format!("{base}/graphql"))
            .bearer_auth(&app.admin.token)
            .json(&json!({ "query": query }));
        if let Some(id) = id {
            req = req.header("x-request-id", id);
        }
        req.send()
    };
    let kept = send(Some("lb-7f3a.42"), "query Me { me { id } }")
        .await
        .unwrap();
    assert_eq!(kept.headers()["x-request-id"], "lb-7f3a.42");
    let fresh = send(None, "{ me { id } }").await.unwrap();
    let generated = fresh.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(uuid::Uuid::parse_str(&generated).is_ok(), "{generated}");
    let replaced = send(Some("not plain; id"), "{ nope }").await.unwrap();
    let replacement = replaced.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(replacement, "not plain; id");
    // Refused before the schema: still an id, still logged.
    let res = app
        .http
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap();
    assert!(res.headers().contains_key("x-request-id"));

    tokio::time::sleep(Duration::from_millis(300)).await;
    child.start_kill().ok();
    child.wait().await.ok();
    let mut text = String::new();
    stderr.read_to_string(&mut text).await.unwrap();
    assert!(!text.is_empty());
    let records: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(!text.contains(&app.admin.token), "a token was logged");
    assert!(!text.contains(SECRET), "the secret was logged");
    for id in ["lb-7f3a.42", generated.as_str(), replacement.as_str()] {
        let finished = records
            .iter()
            .find(|r| r["span"]["request_id"] == id && r["status"].is_number())
            .unwrap_or_else(|| panic!("no response line for {id}:\n{text}"));
        assert_eq!(finished["span"]["path"], "/graphql");
        assert_eq!(finished["level"], "INFO");
    }
}
