//! Webhooks: signed deliveries to a real receiver on loopback, retries with backoff, the
//! transactional outbox across a crash, and the rules on targets.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use clientele::service::webhooks::signature;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, spawn_server_process, Persona, TestApp};

/// A request the receiver got.
#[derive(Debug, Clone)]
struct Hit {
    at: Instant,
    signature: String,
    content_type: String,
    body: String,
}

#[derive(Clone)]
struct Receiver {
    hits: Arc<Mutex<Vec<Hit>>>,
    fail_first: Arc<AtomicUsize>,
}

/// An HTTP receiver on loopback that answers 500 to its first `fail_first` requests and
/// 204 afterwards; answers its URL.
async fn receiver_on(
    listener: tokio::net::TcpListener,
    fail_first: usize,
) -> (String, Arc<Mutex<Vec<Hit>>>) {
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let state = Receiver {
        hits: Arc::default(),
        fail_first: Arc::new(AtomicUsize::new(fail_first)),
    };
    let hits = state.hits.clone();
    let app = axum::Router::new()
        .route(
            "/hook",
            post(
                |State(r): State<Receiver>, headers: HeaderMap, body: String| async move {
                    let header = |name: &str| {
                        headers
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_string()
                    };
                    r.hits.lock().unwrap().push(Hit {
                        at: Instant::now(),
                        signature: header("clientele-signature"),
                        content_type: header("content-type"),
                        body,
                    });
                    let failing = r
                        .fail_first
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                        .is_ok();
                    if failing {
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::NO_CONTENT
                    }
                },
            ),
        )
        .with_state(state);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, hits)
}

async fn receiver(fail_first: usize) -> (String, Arc<Mutex<Vec<Hit>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    receiver_on(listener, fail_first).await
}

const CREATE: &str = "mutation($i: CreateWebhookInput!) { createWebhook(input: $i) {
    secret webhook { id url events createdAt } } }";
const LIST: &str = "{ webhooks { id url events deliveries(first: 10) {
    id eventId status attempts responseStatus lastError nextAttemptAt deliveredAt } } }";

async fn create(app: &TestApp, who: &Persona, url: &str, events: Value) -> Value {
    let r = app
        .gql(who, CREATE, json!({"i": {"url": url, "events": events}}))
        .await;
    r.data()["createWebhook"].clone()
}

/// Waits until the receiver has `n` requests.
async fn wait_for(hits: &Arc<Mutex<Vec<Hit>>>, n: usize) -> Vec<Hit> {
    wait_for_within(hits, n, Duration::from_secs(20)).await
}

/// Waits up to `wait` until the receiver has `n` requests.
async fn wait_for_within(hits: &Arc<Mutex<Vec<Hit>>>, n: usize, wait: Duration) -> Vec<Hit> {
    let deadline = Instant::now() + wait;
    loop {
        let got = hits.lock().unwrap().clone();
        if got.len() >= n {
            return got;
        }
        assert!(
            Instant::now() < deadline,
            "only {} of {n} deliveries",
            got.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn verify(secret: &str, hit: &Hit) {
    let t: i64 = hit
        .signature
        .strip_prefix("t=")
        .and_then(|rest| rest.split(',').next())
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("bad signature header {:?}", hit.signature));
    assert_eq!(hit.signature, signature(secret, t, &hit.body));
    assert!((chrono::Utc::now().timestamp() - t).abs() < 120);
    assert!(hit.content_type.starts_with("application/json"));
}

#[tokio::test]
async fn deliveries_are_signed_retried_with_backoff_and_recorded() {
    let app = spawn_app().await;
    let (url, hits) = receiver(2).await;
    let created = create(&app, &app.admin, &url, json!(["SUSPEND", "UNSUSPEND"])).await;
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(secret.len() >= 32);
    assert_eq!(
        created["webhook"]["events"],
        json!(["SUSPEND", "UNSUSPEND"])
    );
    // The secret is shown once: the list does not have it.
    let r = app.gql(&app.admin, LIST, json!({})).await;
    assert!(!r.body.to_string().contains(&secret));

    let id = app.client_in("ACTIVE").await;
    // Not an action the webhook hears of: no delivery.
    app.act(&app.manager, "archiveClient", &id, json!({}))
        .await
        .data();
    app.act(&app.manager, "unarchiveClient", &id, json!({}))
        .await
        .data();
    let r = app
        .act(
            &app.manager,
            "suspendClient",
            &id,
            json!({"reason": "NON_PAYMENT", "feedback": "three reminders"}),
        )
        .await;
    let event_id = r.data()["suspendClient"]["event"]["id"].clone();

    // Two failures, then accepted: three attempts of the same delivery.
    let got = wait_for(&hits, 3).await;
    let bodies: Vec<Value> = got
        .iter()
        .map(|h| serde_json::from_str(&h.body).unwrap())
        .collect();
    for (hit, body) in got.iter().zip(&bodies) {
        verify(&secret, hit);
        assert_eq!(
            body["id"], bodies[0]["id"],
            "one delivery id for every attempt"
        );
    }
    let body = &bodies[0];
    assert_eq!(body["event"]["id"], event_id);
    assert_eq!(body["event"]["action"], "SUSPEND");
    assert_eq!(body["event"]["fromStatus"], "ACTIVE");
    assert_eq!(body["event"]["toStatus"], "SUSPENDED");
    assert_eq!(body["event"]["reason"], "NON_PAYMENT");
    assert_eq!(body["event"]["feedback"], "three reminders");
    assert_eq!(body["event"]["actor"]["name"], "Mark Manager");
    assert_eq!(body["event"]["clientId"], json!(id));
    assert_eq!(body["client"]["id"], json!(id));
    assert_eq!(body["client"]["status"], "SUSPENDED");
    assert!(body["client"]["name"].is_string());
    // Exponential backoff from the 200 ms base: 200 ms, then 400 ms.
    let gaps = [got[1].at - got[0].at, got[2].at - got[1].at];
    assert!(gaps[0] >= Duration::from_millis(190), "{gaps:?}");
    assert!(gaps[1] >= Duration::from_millis(390), "{gaps:?}");
    assert!(gaps[1] > gaps[0], "{gaps:?}");

    // Recorded on the webhook.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let r = app.gql(&app.admin, LIST, json!({})).await;
    let deliveries = r.data()["webhooks"][0]["deliveries"].clone();
    assert_eq!(deliveries.as_array().unwrap().len(), 1, "{deliveries}");
    let d = &deliveries[0];
    assert_eq!(d["id"], body["id"]);
    assert_eq!(d["eventId"], event_id);
    assert_eq!(d["status"], "DELIVERED");
    assert_eq!(d["attempts"], 3);
    assert_eq!(d["responseStatus"], 204);
    assert!(d["deliveredAt"].is_string() && d["nextAttemptAt"].is_null());
    // Nothing more is sent.
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(hits.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn a_failing_endpoint_is_recorded_and_a_deleted_client_sends_nothing_personal() {
    let app = spawn_app().await;
    // Nothing listens on this port.
    let (_reserved, addr) = crate::helpers::refusing_port();
    let dead = format!("http://{addr}/hook");
    create(&app, &app.admin, &dead, json!(["SUSPEND"])).await;
    let (url, hits) = receiver(0).await;
    let created = create(&app, &app.admin, &url, json!(["DEACTIVATE", "DELETE"])).await;
    let secret = created["secret"].as_str().unwrap().to_string();

    let id = app.client_in("ACTIVE").await;
    app.act(&app.manager, "suspendClient", &id, json!({}))
        .await
        .data();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = app.gql(&app.admin, LIST, json!({})).await;
        let d = r.data()["webhooks"][0]["deliveries"][0].clone();
        if d["attempts"].as_i64().unwrap_or(0) >= 2 {
            assert_eq!(d["status"], "PENDING");
            assert_eq!(d["lastError"], "could not connect");
            assert!(d["responseStatus"].is_null() && d["nextAttemptAt"].is_string());
            break;
        }
        assert!(Instant::now() < deadline, "no retry recorded: {d}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Deactivate with feedback, then delete: the DELETE delivery, built when it is sent,
    // carries neither the name nor the status of the client that is gone.
    let r = app
        .gql(
            &app.admin,
            "query($id: ID!) { client(id: $id) { name } }",
            json!({"id": id}),
        )
        .await;
    let name = r.data()["client"]["name"].as_str().unwrap().to_string();
    app.act(
        &app.admin,
        "deactivateClient",
        &id,
        json!({"feedback": "Personal note about the client"}),
    )
    .await
    .data();
    app.act(
        &app.admin,
        "deleteClient",
        &id,
        json!({"confirmName": name}),
    )
    .await
    .data();
    let got = wait_for(&hits, 2).await;
    let delete = got
        .iter()
        .map(|h| {
            verify(&secret, h);
            serde_json::from_str::<Value>(&h.body).unwrap()
        })
        .find(|b| b["event"]["action"] == "DELETE")
        .expect("the DELETE event is delivered");
    assert!(delete["client"]["name"].is_null(), "{delete}");
    assert!(delete["client"]["status"].is_null(), "{delete}");
    assert!(!delete.to_string().contains(&name));
}

/// The deliveries are written with the event: a process killed before delivering
/// leaves them in the database, and the restarted server delivers them.
#[tokio::test]
async fn deliveries_outlive_a_killed_process() {
    let app = spawn_app().await;
    // Nothing listens on the address yet: attempts fail at once (no lease held).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let url = format!("http://{addr}/hook");
    create(&app, &app.admin, &url, json!(["SUSPEND"])).await;
    let id = app.client_in("ACTIVE").await;
    let envs = [
        ("CLIENTELE_WEBHOOK_ALLOW_PRIVATE", "true"),
        ("CLIENTELE_WEBHOOK_RETRY_BASE", "100ms"),
    ];
    let (mut child, base) =
        spawn_server_process(&app.database_url, &envs, std::process::Stdio::null()).await;
    // The receiver is not there yet: the child cannot deliver.
    let r = app
        .http
        .post(format!("{base}/graphql"))
        .bearer_auth(&app.manager.token)
        .json(&json!({"query": "mutation($i: SuspendClientInput!) { suspendClient(input: $i) { event { id } } }",
                      "variables": {"i": {"clientId": id}}}))
        .send()
        .await
        .unwrap();
    let answer: Value = r.json().await.unwrap();
    let event_id = answer["data"]["suspendClient"]["event"]["id"].clone();
    assert!(event_id.is_string(), "{answer}");
    child.start_kill().unwrap();
    child.wait().await.unwrap();

    // The delivery row survived the kill; the receiver is there from now on, and the
    // restarted server delivers it.
    let r = app.gql(&app.admin, LIST, json!({})).await;
    let delivery = &r.data()["webhooks"][0]["deliveries"][0];
    assert_eq!(delivery["eventId"], event_id);
    // A kill in the middle of an attempt leaves the delivery leased (its next attempt a
    // minute ahead): it is sent again once the lease runs out, so wait that long too.
    let next = delivery["nextAttemptAt"]
        .as_str()
        .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
        .map(|at| at.to_utc());
    let ahead = next
        .and_then(|at| (at - chrono::Utc::now()).to_std().ok())
        .unwrap_or_default();
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    let (_, hits) = receiver_on(listener, 0).await;
    let (_child, _) =
        spawn_server_process(&app.database_url, &envs, std::process::Stdio::null()).await;
    let got = wait_for_within(&hits, 1, ahead + Duration::from_secs(20)).await;
    let body: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["event"]["id"], event_id);
}

#[tokio::test]
async fn webhook_targets_roles_and_tenancy_are_checked() {
    let app = spawn_app_with(|c| c.webhook_allow_private = false).await;
    let r = app
        .gql(
            &app.admin,
            CREATE,
            json!({"i": {"url": "https://hooks.example.com/in", "events": ["DELETE"]}}),
        )
        .await;
    let hook = r.data()["createWebhook"]["webhook"]["id"].clone();
    for (url, events) in [
        ("http://127.0.0.1:9/x", json!(["DELETE"])),
        ("http://localhost/x", json!(["DELETE"])),
        ("http://192.168.0.10/x", json!(["DELETE"])),
        ("http://[::1]/x", json!(["DELETE"])),
        ("ftp://hooks.example.com/x", json!(["DELETE"])),
        ("not a url", json!(["DELETE"])),
        ("https://hooks.example.com/in", json!([])),
    ] {
        let r = app
            .gql(
                &app.admin,
                CREATE,
                json!({"i": {"url": url, "events": events}}),
            )
            .await;
        assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"), "{url}");
    }
    // ADMIN only.
    for who in [&app.manager, &app.member, &app.viewer] {
        let r = app.gql(who, LIST, json!({})).await;
        assert_eq!(r.error_code().as_deref(), Some("FORBIDDEN"));
        let r = app
            .gql(
                who,
                CREATE,
                json!({"i": {"url": "https://hooks.example.com/x", "events": ["DELETE"]}}),
            )
            .await;
        assert_eq!(r.error_code().as_deref(), Some("FORBIDDEN"));
    }
    // Another firm neither sees nor deletes it.
    let other = app.other_firm_admin().await;
    let r = app.gql(&other, LIST, json!({})).await;
    assert_eq!(r.data()["webhooks"], json!([]));
    let delete =
        "mutation($i: DeleteWebhookInput!) { deleteWebhook(input: $i) { deletedWebhookId } }";
    let r = app
        .gql(&other, delete, json!({"i": {"webhookId": hook}}))
        .await;
    assert_eq!(r.error_code().as_deref(), Some("NOT_FOUND"));
    let r = app
        .gql(&app.admin, delete, json!({"i": {"webhookId": hook}}))
        .await;
    assert_eq!(r.data()["deleteWebhook"]["deletedWebhookId"], hook);
    let r = app.gql(&app.admin, LIST, json!({})).await;
    assert_eq!(r.data()["webhooks"], json!([]));
}

/// Deliveries go straight to the target even when the environment names a proxy: a
/// proxy would resolve the target's name itself, past the check that keeps webhooks
/// off private addresses. (A server process of its own, on a database no in-process
/// worker watches.)
#[tokio::test]
async fn deliveries_ignore_proxy_variables() {
    use crate::cli::{clientele, output};
    let (_db, url) = crate::helpers::TestDb::create().await;
    let mut cmd = clientele(&url);
    cmd.arg("migrate");
    output(cmd).await;
    let mut cmd = clientele(&url);
    cmd.args([
        "firm",
        "create",
        "--name",
        "Proxy & Co",
        "--admin-name",
        "Pat Proxy",
        "--admin-email",
        "pat@proxy.test",
    ]);
    let token = output(cmd).await.trim().to_string();

    // A "proxy" that counts the connections it is offered and answers none.
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let offered = Arc::new(AtomicUsize::new(0));
    let count = offered.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = proxy.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    let envs = [
        ("CLIENTELE_WEBHOOK_ALLOW_PRIVATE", "true"),
        ("CLIENTELE_WEBHOOK_RETRY_BASE", "100ms"),
        ("HTTP_PROXY", proxy_url.as_str()),
        ("http_proxy", proxy_url.as_str()),
        ("HTTPS_PROXY", proxy_url.as_str()),
        ("ALL_PROXY", proxy_url.as_str()),
    ];
    let (_child, base) = spawn_server_process(&url, &envs, std::process::Stdio::null()).await;
    let http = reqwest::Client::new();
    let gql = |query: &'static str, variables: Value| {
        let req = http
            .post(format!("{base}/graphql"))
            .bearer_auth(&token)
            .json(&json!({"query": query, "variables": variables}));
        async move {
            let v: Value = req.send().await.unwrap().json().await.unwrap();
            assert!(v["errors"].is_null(), "{v}");
            v["data"].clone()
        }
    };
    let (hook_url, hits) = receiver(0).await;
    gql(
        CREATE,
        json!({"i": {"url": hook_url, "events": ["ACTIVATE"]}}),
    )
    .await;
    let created = gql(
        "mutation($i: CreateClientInput!) { createClient(input: $i) { client { id } } }",
        json!({"i": {"name": "Direct Ltd"}}),
    )
    .await;
    let id = created["createClient"]["client"]["id"].clone();
    gql(
        "mutation($i: ActivateClientInput!) { activateClient(input: $i) { client { id } } }",
        json!({"i": {"clientId": id}}),
    )
    .await;
    let got = wait_for(&hits, 1).await;
    let body: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["event"]["action"], "ACTIVATE", "{body}");
    assert_eq!(offered.load(Ordering::SeqCst), 0);
}

/// A worker whose POST outlives its lease (a stalled process) does not record its
/// outcome over the one of the worker that took the delivery over: the delivery is
/// DELIVERED after one recorded attempt, not two.
#[tokio::test]
async fn an_attempt_that_outlived_its_lease_records_nothing() {
    let app = spawn_app().await;
    // The first request is answered only after a while; later ones at once.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    let slow_first = axum::Router::new().route(
        "/hook",
        post(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move {
                if n == 0 {
                    tokio::time::sleep(Duration::from_millis(1500)).await;
                }
                StatusCode::NO_CONTENT
            }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, slow_first).await;
    });
    create(&app, &app.admin, &url, json!(["SUSPEND"])).await;
    let id = app.client_in("ACTIVE").await;
    app.act(&app.manager, "suspendClient", &id, json!({}))
        .await
        .data();
    // The server's worker is sending it (and waiting for the answer).
    let deadline = Instant::now() + Duration::from_secs(10);
    while seen.load(Ordering::SeqCst) == 0 {
        assert!(Instant::now() < deadline, "the worker never sent it");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Its lease runs out; a second worker takes the delivery over and delivers it.
    app.services.clock.advance(chrono::Duration::minutes(2));
    let http = clientele::service::webhooks::sender(&app.services.webhooks);
    let pass = clientele::service::webhooks::deliver_due(&app.services, &http)
        .await
        .unwrap();
    assert_eq!(pass.delivered, 1);
    // The first worker's answer arrives after that, and is not recorded.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert_eq!(seen.load(Ordering::SeqCst), 2);
    let r = app.gql(&app.admin, LIST, json!({})).await;
    let delivery = &r.data()["webhooks"][0]["deliveries"][0];
    assert_eq!(delivery["status"], "DELIVERED", "{delivery}");
    assert_eq!(delivery["attempts"], 1, "{delivery}");
}
