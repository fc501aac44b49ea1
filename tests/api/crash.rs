//! Crash and restart lose nothing: the server process is killed with SIGKILL in the
//! middle of a steady mix of lifecycle mutations, restarted on the same database, and
//! the invariants are checked.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use entity::{client, lifecycle_event, notification, NotificationStatus};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_server_process};
use crate::notifications::smtp_server;

/// What a worker saw answered as applied: the client, its new version, the event id.
type Applied = (String, i64, String);

fn message_ids(received: &[crate::notifications::Received]) -> Vec<String> {
    received
        .iter()
        .filter_map(|m| {
            m.data
                .lines()
                .find_map(|l| l.strip_prefix("Message-ID: ").map(|v| v.trim().to_string()))
        })
        .collect()
}

#[tokio::test]
async fn a_killed_server_loses_nothing_and_its_outbox_resumes() {
    let app = spawn_app().await;
    let smtp = smtp_server(0).await;
    let smtp_url = format!("smtp://127.0.0.1:{}", smtp.port);
    let envs = [
        ("CLIENTELE_SMTP_URL", smtp_url.as_str()),
        ("CLIENTELE_SCHEDULER_INTERVAL", "50ms"),
    ];
    // Clients with an address, so that deactivations write notifications to them too.
    let mut ids = Vec::new();
    for i in 0..12 {
        let id = app.client_in("ACTIVE").await;
        app.gql(
            &app.admin,
            "mutation($i: UpdateClientInput!) { updateClient(input: $i) { client { id } } }",
            json!({"i": {"clientId": id, "email": format!("crash{i}@client.test")}}),
        )
        .await
        .data();
        ids.push(id);
    }
    let (mut child, base) =
        spawn_server_process(&app.database_url, &envs, std::process::Stdio::null()).await;

    // Four workers flip their clients between ACTIVE and INACTIVE until the process dies.
    let applied: Arc<Mutex<Vec<Applied>>> = Arc::default();
    let mut workers = Vec::new();
    for part in ids.chunks(3) {
        let part: Vec<String> = part.to_vec();
        let (http, base, token, applied) = (
            app.http.clone(),
            base.clone(),
            app.admin.token.clone(),
            applied.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut active: HashMap<String, bool> = part.iter().map(|id| (id.clone(), true)).collect();
            for round in 0.. {
                let id = &part[round % part.len()];
                let (name, input) = if active[id] {
                    ("deactivateClient", json!({"clientId": id, "notifyClient": true}))
                } else {
                    ("reactivateClient", json!({"clientId": id}))
                };
                let q = format!(
                    "mutation($i: {}!) {{ {name}(input: $i) {{ client {{ version status }} event {{ id }} }} }}",
                    crate::helpers::input_type_of(name)
                );
                let sent = http
                    .post(format!("{base}/graphql"))
                    .bearer_auth(&token)
                    .json(&json!({"query": q, "variables": {"i": input}}))
                    .timeout(Duration::from_secs(5))
                    .send()
                    .await;
                let Ok(res) = sent else { break };
                let Ok(body) = res.json::<Value>().await else { break };
                let payload = &body["data"][name];
                if payload.is_object() {
                    applied.lock().unwrap().push((
                        id.clone(),
                        payload["client"]["version"].as_i64().unwrap(),
                        payload["event"]["id"].as_str().unwrap().to_string(),
                    ));
                    active.insert(id.clone(), payload["client"]["status"] == "ACTIVE");
                } else {
                    panic!("a mutation failed before the crash: {body}");
                }
                // A steady mix, not a flood: the outbox must drain it in the test's time.
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }));
    }
    // Let the mix run, and the outbox work, then kill the process without warning.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    for w in workers {
        w.await.unwrap();
    }
    let applied = applied.lock().unwrap().clone();
    assert!(
        applied.len() > 20,
        "too little work before the crash: {}",
        applied.len()
    );
    let sent_before: HashSet<uuid::Uuid> = notification::Entity::find()
        .filter(notification::Column::Status.eq(NotificationStatus::Sent))
        .all(&app.services.db)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.id)
        .collect();
    let received_at_crash = smtp.received.lock().unwrap().len();

    // Restart on the same database: it serves at once.
    let (mut child, base) =
        spawn_server_process(&app.database_url, &envs, std::process::Stdio::null()).await;
    let res = app
        .http
        .post(format!("{base}/graphql"))
        .bearer_auth(&app.admin.token)
        .json(&json!({"query": "{ clientStatusCounts { status count } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // Every answered success is in the database with its event.
    let db = &app.services.db;
    for (id, version, event) in &applied {
        let event = uuid::Uuid::parse_str(event).unwrap();
        let row = lifecycle_event::Entity::find_by_id(event)
            .one(db)
            .await
            .unwrap();
        assert!(
            row.is_some(),
            "event {event} of an answered success is missing"
        );
        let c = client::Entity::find_by_id(uuid::Uuid::parse_str(id).unwrap())
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert!(
            i64::from(c.version) >= *version,
            "client {id} went back in time"
        );
    }
    // Each client's status is its latest event's, and every version step has its event.
    for id in &ids {
        let id = uuid::Uuid::parse_str(id).unwrap();
        let c = client::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let events = lifecycle_event::Entity::find()
            .filter(lifecycle_event::Column::ClientId.eq(id))
            .order_by_desc(lifecycle_event::Column::At)
            .order_by_desc(lifecycle_event::Column::Id)
            .all(db)
            .await
            .unwrap();
        assert_eq!(
            usize::try_from(c.version).unwrap(),
            events.len(),
            "client {id}: every version step has exactly one event"
        );
        let latest = events
            .iter()
            .find(|e| e.to_status.is_some() && e.action != entity::LifecycleAction::Update)
            .unwrap();
        assert_eq!(latest.to_status, Some(c.status), "client {id}");
    }

    // The outbox resumes: the new process sends what was pending. A row the dead process
    // had leased comes due when its lease ends; here the lease is skipped by moving the
    // in-test clock past it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let pending = notification::Entity::find()
            .filter(notification::Column::Status.eq(NotificationStatus::Pending))
            .all(db)
            .await
            .unwrap();
        let now = chrono::Utc::now();
        if pending.iter().all(|n| n.next_attempt_at > now) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the outbox did not resume: {} pending, {} due, received {}",
            pending.len(),
            pending.iter().filter(|n| n.next_attempt_at <= now).count(),
            smtp.received.lock().unwrap().len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    app.services.clock.advance(chrono::Duration::minutes(5));
    let mailer = clientele::service::outbox::Mailer::from_config(
        Some(&smtp_url),
        clientele::config::DEFAULT_SMTP_FROM,
    )
    .unwrap();
    while clientele::service::outbox::deliver_due(&app.services, &mailer)
        .await
        .unwrap()
        .sent
        > 0
    {}
    let all = notification::Entity::find().all(db).await.unwrap();
    assert!(!all.is_empty());
    assert!(
        all.iter().all(|n| n.status == NotificationStatus::Sent),
        "not every notification was delivered"
    );
    // Every row reached the mail server, each under its stable Message-ID; a row marked
    // sent before the crash was never sent again.
    let received = smtp.received.lock().unwrap().clone();
    let ids_seen = message_ids(&received);
    for n in &all {
        let mid = format!("<{}@clientele>", n.id);
        let count = ids_seen.iter().filter(|m| **m == mid).count();
        assert!(count >= 1, "notification {} never reached the server", n.id);
        if sent_before.contains(&n.id) {
            let after = message_ids(&received[received_at_crash..])
                .into_iter()
                .filter(|m| *m == mid)
                .count();
            assert_eq!(
                after, 0,
                "notification {} was sent again after the restart",
                n.id
            );
        }
    }
}
