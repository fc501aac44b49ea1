//! Notifications are written with the change and delivered over real SMTP on loopback.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use chrono::Duration;
use clientele::config::Secret;
use clientele::service::outbox::deliver_due;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::helpers::{spawn_app, spawn_app_with};

/// A message the test server accepted.
#[derive(Debug, Clone)]
pub struct Received {
    pub rcpt: Vec<String>,
    pub data: String,
}

/// A minimal SMTP server: accepts everything, or answers `451` to the first
/// `fail_first` transactions.
pub struct SmtpServer {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Received>>>,
}

pub async fn smtp_server(fail_first: usize) -> SmtpServer {
    smtp_server_with(fail_first, std::time::Duration::ZERO).await
}

/// The same, answering the first message's data only after `slow_first`.
pub async fn smtp_server_with(fail_first: usize, slow_first: std::time::Duration) -> SmtpServer {
    let slow = Arc::new(AtomicUsize::new(usize::from(!slow_first.is_zero())));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let failures = Arc::new(AtomicUsize::new(fail_first));
    let store = received.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let store = store.clone();
            let failures = failures.clone();
            let slow = slow.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 test.local ESMTP\r\n").await;
                let mut rcpt = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250 test.local\r\n"
                    } else if upper.starts_with("MAIL FROM") {
                        let failing = failures
                            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                            .is_ok();
                        if failing {
                            b"451 try again later\r\n"
                        } else {
                            b"250 OK\r\n"
                        }
                    } else if upper.starts_with("RCPT TO") {
                        rcpt.push(
                            line[8..]
                                .trim()
                                .trim_matches(|c| c == '<' || c == '>' || c == ':')
                                .to_string(),
                        );
                        b"250 OK\r\n"
                    } else if upper == "DATA" {
                        let _ = write.write_all(b"354 go ahead\r\n").await;
                        let mut data = String::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            data.push_str(&l);
                            data.push('\n');
                        }
                        store.lock().unwrap().push(Received {
                            rcpt: std::mem::take(&mut rcpt),
                            data,
                        });
                        if slow
                            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                            .is_ok()
                        {
                            tokio::time::sleep(slow_first).await;
                        }
                        b"250 queued\r\n"
                    } else if upper == "QUIT" {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    if write.write_all(reply).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    SmtpServer { port, received }
}

#[tokio::test]
async fn notifications_are_delivered_over_smtp_with_a_stable_message_id() {
    let smtp = smtp_server(0).await;
    let app = spawn_app_with(|c| {
        c.smtp_url = Some(Secret::new(format!("smtp://127.0.0.1:{}", smtp.port)));
        c.smtp_from = "Clientele Test <noreply@firm.test>".into();
    })
    .await;
    let id = app.client_in("ACTIVE").await;
    app.gql(
        &app.member,
        "mutation($i: UpdateClientInput!) { updateClient(input: $i) { client { id } } }",
        json!({"i": {"clientId": id, "email": "client@client.test"}}),
    )
    .await
    .data();
    app.act(
        &app.admin,
        "deactivateClient",
        &id,
        json!({"notifyClient": true}),
    )
    .await
    .data();

    let q = "query($id: ID!) { client(id: $id) { notifications { id kind recipient status attempts } } }";
    let r = app.gql(&app.admin, q, json!({"id": id})).await;
    let pending = r.data()["client"]["notifications"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(pending.len(), 2);
    assert!(pending.iter().all(|n| n["status"] == "PENDING"));

    let pass = deliver_due(&app.services, &app.mailer).await.unwrap();
    assert_eq!(pass.sent, 2);
    let got = smtp.received.lock().unwrap().clone();
    assert_eq!(got.len(), 2);
    let recipients: Vec<String> = got.iter().flat_map(|m| m.rcpt.clone()).collect();
    assert!(
        recipients.contains(&"client@client.test".to_string()),
        "{recipients:?}"
    );
    for m in &got {
        assert!(m.data.contains("Subject:"), "{}", m.data);
        assert!(m.data.contains("has been deactivated"));
        assert!(m.data.contains("noreply@firm.test"));
        let ids: Vec<&str> = pending.iter().map(|n| n["id"].as_str().unwrap()).collect();
        assert!(
            ids.iter()
                .any(|id| m.data.contains(&format!("<{id}@clientele>"))),
            "{}",
            m.data
        );
    }
    let r = app.gql(&app.admin, q, json!({"id": id})).await;
    assert!(r.data()["client"]["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["status"] == "SENT" && n["attempts"] == 1));
    // Nothing is sent twice.
    let pass = deliver_due(&app.services, &app.mailer).await.unwrap();
    assert_eq!(pass.sent, 0);
    assert_eq!(smtp.received.lock().unwrap().len(), 2);

    // Notifications are for admins.
    let r = app.gql(&app.manager, q, json!({"id": id})).await;
    assert_eq!(r.error_code().as_deref(), Some("FORBIDDEN"));
}

#[tokio::test]
async fn failed_deliveries_are_retried_with_backoff() {
    let smtp = smtp_server(2).await;
    let app = spawn_app_with(|c| {
        c.smtp_url = Some(Secret::new(format!("smtp://127.0.0.1:{}", smtp.port)));
    })
    .await;
    let id = app.client_in("ACTIVE").await;
    app.act(&app.admin, "deactivateClient", &id, json!({}))
        .await
        .data();
    let q = "query($id: ID!) { client(id: $id) { notifications { status attempts } } }";

    let pass = deliver_due(&app.services, &app.mailer).await.unwrap();
    assert_eq!((pass.sent, pass.retried), (0, 1));
    // Not due again before the backoff has passed.
    let pass = deliver_due(&app.services, &app.mailer).await.unwrap();
    assert_eq!((pass.sent, pass.retried), (0, 0));
    app.services.clock.advance(Duration::seconds(31));
    let pass = deliver_due(&app.services, &app.mailer).await.unwrap();
    assert_eq!((pass.sent, pass.retried), (0, 1));
    // The second wait is twice as long.
    app.services.clock.advance(Duration::seconds(31));
    assert_eq!(
        deliver_due(&app.services, &app.mailer).await.unwrap().sent,
        0
    );
    app.services.clock.advance(Duration::seconds(31));
    assert_eq!(
        deliver_due(&app.services, &app.mailer).await.unwrap().sent,
        1
    );
    let r = app.gql(&app.admin, q, json!({"id": id})).await;
    assert_eq!(
        r.data()["client"]["notifications"][0],
        json!({"status": "SENT", "attempts": 3})
    );
    assert_eq!(smtp.received.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn without_smtp_notifications_are_logged_and_marked_sent_by_the_worker() {
    let app = spawn_app_with(|c| c.scheduler_interval = std::time::Duration::from_millis(50)).await;
    let id = app.client_in("ACTIVE").await;
    app.act(&app.admin, "deactivateClient", &id, json!({}))
        .await
        .data();
    let q = "query($id: ID!) { client(id: $id) { notifications { status } } }";
    for _ in 0..100 {
        let r = app.gql(&app.admin, q, json!({"id": id})).await;
        if r.data()["client"]["notifications"][0]["status"] == "SENT" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the outbox worker did not deliver");
}

/// Deleting a client erases its name and addresses from every notification about it:
/// sent ones keep only their kind and delivery history, pending ones are cancelled and
/// never sent. The deletion notice to staff carries no personal data and is delivered.
#[tokio::test]
async fn a_deleted_clients_notifications_keep_no_personal_data() {
    use entity::notification;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    let name = "Personal Name Ltd";
    let email = "personal.address@client.test";
    app.gql(
        &app.admin,
        "mutation($i: UpdateClientInput!) { updateClient(input: $i) { client { id } } }",
        json!({"i": {"clientId": id, "name": name, "email": email}}),
    )
    .await
    .data();
    app.act(
        &app.admin,
        "deactivateClient",
        &id,
        json!({"notifyClient": true}),
    )
    .await
    .data();
    let first = deliver_due(&app.services, &app.mailer).await.unwrap();
    assert!(first.sent >= 2);
    app.act(&app.admin, "reactivateClient", &id, json!({}))
        .await
        .data();
    app.act(
        &app.admin,
        "deactivateClient",
        &id,
        json!({"notifyClient": true}),
    )
    .await
    .data();
    let rows = |id: uuid::Uuid| {
        notification::Entity::find()
            .filter(notification::Column::ClientId.eq(id))
            .all(&app.services.db)
    };
    let uuid = uuid::Uuid::parse_str(&id).unwrap();
    let before = rows(uuid).await.unwrap();
    assert!(before.iter().any(|n| n.recipient == email));
    assert!(before
        .iter()
        .any(|n| n.status == entity::NotificationStatus::Pending));
    let before_ids: Vec<uuid::Uuid> = before.iter().map(|n| n.id).collect();

    app.act(
        &app.admin,
        "deleteClient",
        &id,
        json!({"confirmName": name}),
    )
    .await
    .data();
    let after = rows(uuid).await.unwrap();
    assert_eq!(
        after.len(),
        before.len() + 1,
        "the deletion notice is added"
    );
    for n in &after {
        let text = format!("{} {} {}", n.recipient, n.subject, n.body);
        assert!(!text.contains(name) && !text.contains(email), "{text}");
        assert!(!text.contains("personal.address"), "{text}");
        if before_ids.contains(&n.id) {
            let was = before.iter().find(|b| b.id == n.id).unwrap();
            let expected = match was.status {
                entity::NotificationStatus::Pending => entity::NotificationStatus::Cancelled,
                other => other,
            };
            assert_eq!(n.status, expected, "{}", n.kind);
            assert_eq!(n.kind, was.kind);
        } else {
            assert_eq!(n.kind, "CLIENT_DELETED");
            assert_eq!(n.status, entity::NotificationStatus::Pending);
        }
    }
    let pass = deliver_due(&app.services, &app.mailer).await.unwrap();
    assert_eq!(pass.sent, 1, "only the deletion notice is sent");
}

/// A worker whose send outlived its lease (a stalled process) does not record its outcome
/// over the one of the worker that took the notification over: SENT after one recorded
/// attempt, and both copies carry the same Message-ID for the receiver to drop one.
#[tokio::test]
async fn an_attempt_that_outlived_its_lease_records_nothing() {
    let smtp = smtp_server_with(0, std::time::Duration::from_millis(1500)).await;
    let app = spawn_app_with(|c| {
        c.smtp_url = Some(Secret::new(format!("smtp://127.0.0.1:{}", smtp.port)));
    })
    .await;
    let id = app.client_in("ACTIVE").await;
    app.act(&app.admin, "deactivateClient", &id, json!({}))
        .await
        .data();
    let slow = {
        let services = app.services.clone();
        let mailer = app.mailer.clone();
        tokio::spawn(async move { deliver_due(&services, &mailer).await.unwrap() })
    };
    // The first worker's message is in, its answer held back.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while smtp.received.lock().unwrap().is_empty() {
        assert!(std::time::Instant::now() < deadline, "never sent");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    // Its lease runs out; a second worker takes the notification over and sends it.
    app.services.clock.advance(Duration::minutes(5));
    let pass = deliver_due(&app.services, &app.mailer).await.unwrap();
    assert_eq!(pass.sent, 1);
    slow.await.unwrap();
    let q = "query($id: ID!) { client(id: $id) { notifications { status attempts } } }";
    let r = app.gql(&app.admin, q, json!({"id": id})).await;
    assert_eq!(
        r.data()["client"]["notifications"][0],
        json!({"status": "SENT", "attempts": 1})
    );
    let received = smtp.received.lock().unwrap().clone();
    assert_eq!(received.len(), 2);
    let message_id = |data: &str| {
        data.lines()
            .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
            .map(str::to_string)
    };
    assert!(message_id(&received[0].data).is_some());
    assert_eq!(message_id(&received[0].data), message_id(&received[1].data));
}
