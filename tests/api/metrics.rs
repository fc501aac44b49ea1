use serde_json::json;

use crate::helpers::spawn_app;

/// The value of one sample line of the metrics text, or 0 when absent.
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

/// `/metrics` counts GraphQL requests by operation name and outcome code, times them,
/// and shows the database pools.
#[tokio::test]
async fn metrics_count_requests_by_operation_and_outcome() {
    let app = spawn_app().await;
    let missing = uuid::Uuid::now_v7().to_string();
    for _ in 0..3 {
        app.gql(&app.viewer, "query Me { me { id } }", json!({}))
            .await
            .data();
    }
    let r = app
        .gql(
            &app.viewer,
            "mutation Act($id: ID!) { suspendClient(input: {clientId: $id}) { client { id } } }",
            json!({"id": missing}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("FORBIDDEN"));
    app.gql(&app.viewer, "{ me { id } }", json!({}))
        .await
        .data();
    // Refused before it reaches the schema.
    let res = app
        .http
        .post(format!("{}/graphql", app.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);

    let res = app
        .http
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let content_type = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    let text = res.text().await.unwrap();
    let count = |op: &str, code: &str| {
        sample(
            &text,
            &format!(r#"clientele_graphql_requests_total{{operation="{op}",code="{code}"}}"#),
        )
    };
    assert_eq!(count("Me", "OK"), 3.0, "{text}");
    assert_eq!(count("Act", "FORBIDDEN"), 1.0);
    assert_eq!(count("Act", "OK"), 0.0);
    assert_eq!(count("__anonymous", "OK"), 1.0);
    assert_eq!(count("__invalid", "BAD_USER_INPUT"), 1.0);
    let me_count = sample(
        &text,
        r#"clientele_graphql_request_duration_seconds_count{operation="Me"}"#,
    );
    assert_eq!(me_count, 3.0);
    let me_slowest_bucket = sample(
        &text,
        r#"clientele_graphql_request_duration_seconds_bucket{le="+Inf",operation="Me"}"#,
    );
    assert_eq!(me_slowest_bucket, 3.0);
    assert!(text.contains(r#"clientele_db_connections_in_use{pool="read"}"#));
    assert!(sample(&text, r#"clientele_db_connections_idle{pool="read"}"#) >= 1.0);
    // On PostgreSQL, list pages read through a pool of their own.
    let pages = r#"clientele_db_connections_max{pool="pages"}"#;
    if clientele::db::is_postgres(&app.services.db) {
        assert_eq!(sample(&text, pages), 8.0, "{text}");
    } else {
        assert!(!text.contains(pages), "{text}");
    }
    assert!(text.ends_with("# EOF\n"));
}

async fn metrics_text(app: &crate::helpers::TestApp) -> String {
    metrics_at(app, &app.base).await
}

/// The metrics of the server at `base`.
async fn metrics_at(app: &crate::helpers::TestApp, base: &str) -> String {
    app.http
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The scheduler lag is the age of the oldest overdue scheduled item, and the outbox
/// gauges count what waits for delivery; both fall back once the work is done.
#[tokio::test]
async fn metrics_show_scheduler_lag_and_outbox_depth() {
    let app = spawn_app().await;
    let text = metrics_text(&app).await;
    assert_eq!(sample(&text, "clientele_scheduler_lag_seconds"), 0.0);
    assert_eq!(sample(&text, "clientele_outbox_pending"), 0.0);
    assert!(sample(&text, r#"clientele_db_connections_max{pool="read"}"#) >= 1.0);

    let id = app.create_client("Scheduled Co").await;
    let at = (chrono::Utc::now() + chrono::Duration::minutes(30)).to_rfc3339();
    app.act(&app.admin, "scheduleActivation", &id, json!({"at": at}))
        .await
        .data();
    let active = app.client_in("ACTIVE").await;
    app.act(&app.admin, "deactivateClient", &active, json!({}))
        .await
        .data();
    let text = metrics_text(&app).await;
    assert_eq!(
        sample(&text, "clientele_scheduler_lag_seconds"),
        0.0,
        "not due yet"
    );
    assert!(sample(&text, "clientele_outbox_pending") >= 1.0, "{text}");

    app.services.clock.advance(chrono::Duration::hours(1));
    let lag = sample(&metrics_text(&app).await, "clientele_scheduler_lag_seconds");
    assert!((1700.0..1900.0).contains(&lag), "{lag}");

    clientele::service::scheduler::run_due(&app.services)
        .await
        .unwrap();
    clientele::service::outbox::deliver_due(&app.services, &app.mailer)
        .await
        .unwrap();
    let text = metrics_text(&app).await;
    assert_eq!(sample(&text, "clientele_scheduler_lag_seconds"), 0.0);
    assert_eq!(sample(&text, "clientele_outbox_pending"), 0.0);
    assert_eq!(sample(&text, "clientele_outbox_failed"), 0.0);
}

/// Webhook deliveries that wait, and those given up, are counted.
#[tokio::test]
async fn metrics_count_webhook_deliveries_waiting() {
    let app = spawn_app().await;
    let text = metrics_text(&app).await;
    assert_eq!(sample(&text, "clientele_webhook_deliveries_pending"), 0.0);
    assert_eq!(sample(&text, "clientele_webhook_deliveries_failed"), 0.0);
    // Nothing listens there: the delivery stays pending between its retries.
    let (_reserved, addr) = crate::helpers::refusing_port();
    let url = format!("http://{addr}/hook");
    let r = app
        .gql(
            &app.admin,
            "mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }",
            json!({"i": {"url": url, "events": ["SUSPEND"]}}),
        )
        .await;
    let hook = r.data()["createWebhook"]["webhook"]["id"].clone();
    let id = app.client_in("ACTIVE").await;
    app.act(&app.manager, "suspendClient", &id, json!({}))
        .await
        .data();
    let text = metrics_text(&app).await;
    assert_eq!(
        sample(&text, "clientele_webhook_deliveries_pending"),
        1.0,
        "{text}"
    );
    app.gql(
        &app.admin,
        "mutation($i: DeleteWebhookInput!) { deleteWebhook(input: $i) { deletedWebhookId } }",
        json!({"i": {"webhookId": hook}}),
    )
    .await
    .data();
    let text = metrics_text(&app).await;
    assert_eq!(
        sample(&text, "clientele_webhook_deliveries_pending"),
        0.0,
        "{text}"
    );
}

/// Database calls that queue for a connection are counted and timed, and the waiting
/// gauge shows the mean number waiting. sqlx reports waits through its log events, which
/// the server process reads whatever the log level.
#[tokio::test]
async fn metrics_show_database_calls_waiting_for_a_connection() {
    let app = spawn_app().await;
    let (_child, base) = crate::helpers::spawn_server_process(
        &app.database_url,
        &[("CLIENTELE_DB_MAX_CONNECTIONS", "1")],
        std::process::Stdio::null(),
    )
    .await;
    let scrape = || metrics_at(&app, &base);
    let before = sample(&scrape().await, "clientele_db_acquire_wait_seconds_count");
    let query = "{ clients(first: 50) { edges { node { id name status } } } }";
    let requests = (0..40).map(|_| {
        app.http
            .post(format!("{base}/graphql"))
            .bearer_auth(&app.admin.token)
            .json(&json!({ "query": query }))
            .send()
    });
    for res in futures_util::future::join_all(requests).await {
        assert_eq!(res.unwrap().status(), 200);
    }
    // The gauge reads whole seconds only.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let text = scrape().await;
    let waits = sample(&text, "clientele_db_acquire_wait_seconds_count") - before;
    assert!(
        waits >= 40.0,
        "one wait per statement at least: {waits}\n{text}"
    );
    assert!(sample(&text, "clientele_db_acquire_wait_seconds_sum") > 0.0);
    assert_eq!(
        sample(&text, r#"clientele_db_connections_max{pool="read"}"#),
        1.0
    );
    let waiting = sample(&text, "clientele_db_connections_waiting");
    assert!(
        waiting > 0.0,
        "40 requests queued on one connection: {text}"
    );
}
