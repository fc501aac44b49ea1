//! `clientEvents` over graphql-transport-ws at `/graphql/ws`.

use std::time::Duration;

use clientele::graphql::context::RequestAuth;
use clientele::graphql::loaders::Loaders;
use clientele::service::Actor;
use entity::{lifecycle_event, user, LifecycleAction};
use futures_util::{SinkExt, StreamExt};
use sea_orm::EntityTrait;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

use crate::helpers::{spawn_app, spawn_server_process, TestApp};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn open(base: &str) -> Socket {
    let url = format!("{}/graphql/ws", base.replace("http://", "ws://"));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    let (socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
    assert_eq!(
        response.headers()["sec-websocket-protocol"],
        "graphql-transport-ws"
    );
    socket
}

async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
}

/// The next protocol message (pings answered), or `None` when nothing arrives in time.
async fn next(socket: &mut Socket, wait: Duration) -> Option<Message> {
    loop {
        let msg = tokio::time::timeout(wait, socket.next())
            .await
            .ok()??
            .ok()?;
        if let Message::Text(text) = &msg {
            let v: Value = serde_json::from_str(text).unwrap();
            if v["type"] == "ping" {
                send(socket, json!({"type": "pong"})).await;
                continue;
            }
        }
        return Some(msg);
    }
}

async fn next_json(socket: &mut Socket) -> Value {
    match next(socket, Duration::from_secs(10)).await {
        Some(Message::Text(text)) => serde_json::from_str(&text).unwrap(),
        other => panic!("expected a message, got {other:?}"),
    }
}

/// Opens a socket and signs in with `token`.
async fn signed_in(base: &str, token: &str) -> Socket {
    let mut socket = open(base).await;
    send(
        &mut socket,
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}}),
    )
    .await;
    assert_eq!(next_json(&mut socket).await["type"], "connection_ack");
    socket
}

const EVENTS: &str = "subscription($c: ID) { clientEvents(clientId: $c) {
    id action fromStatus toStatus reason clientId actor { name } client { id status version } } }";

async fn subscribe(socket: &mut Socket, id: &str, client: Option<&str>) {
    send(
        socket,
        json!({"id": id, "type": "subscribe", "payload": {"query": EVENTS, "variables": {"c": client}}}),
    )
    .await;
}

/// The next event delivered, with the subscription id it came for.
async fn event(socket: &mut Socket) -> (String, Value) {
    let mut msg = next_json(socket).await;
    // The server confirms a subscription the client completed.
    while msg["type"] == "complete" {
        msg = next_json(socket).await;
    }
    assert_eq!(msg["type"], "next", "{msg}");
    assert!(msg["payload"]["errors"].is_null(), "{msg}");
    (
        msg["id"].as_str().unwrap().to_string(),
        msg["payload"]["data"]["clientEvents"].clone(),
    )
}

/// Suspends and unsuspends `client` until the socket delivers an event: a subscription
/// listens from when the server first runs it, which a mutation sent right after
/// subscribing can beat on a busy machine.
async fn event_of_changes(app: &TestApp, socket: &mut Socket, client: &str) -> (String, Value) {
    for mutation in ["suspendClient", "unsuspendClient"].iter().cycle().take(10) {
        app.act(&app.admin, mutation, client, json!({}))
            .await
            .data();
        while let Some(Message::Text(text)) = next(socket, Duration::from_secs(2)).await {
            let msg: Value = serde_json::from_str(&text).unwrap();
            // The server confirms a subscription the client completed.
            if msg["type"] == "complete" {
                continue;
            }
            assert_eq!(msg["type"], "next", "{msg}");
            assert!(msg["payload"]["errors"].is_null(), "{msg}");
            return (
                msg["id"].as_str().unwrap().to_string(),
                msg["payload"]["data"]["clientEvents"].clone(),
            );
        }
    }
    panic!("no event delivered for {client}");
}

#[tokio::test]
async fn subscribers_hear_their_firms_events_as_they_commit() {
    let app = spawn_app().await;
    let a = app.client_in("ACTIVE").await;
    let b = app.client_in("ACTIVE").await;
    let mut socket = signed_in(&app.base, &app.viewer.token).await;
    subscribe(&mut socket, "all", None).await;
    subscribe(&mut socket, "only-a", Some(&a)).await;
    // Nothing has happened yet.
    assert!(next(&mut socket, Duration::from_millis(300))
        .await
        .is_none());

    app.act(
        &app.manager,
        "suspendClient",
        &a,
        json!({"reason": "NON_PAYMENT"}),
    )
    .await
    .data();
    let mut got = vec![event(&mut socket).await, event(&mut socket).await];
    got.sort_by(|x, y| x.0.cmp(&y.0));
    assert_eq!(got[0].0, "all");
    assert_eq!(got[1].0, "only-a");
    for (_, e) in &got {
        assert_eq!(e["action"], "SUSPEND");
        assert_eq!(e["reason"], "NON_PAYMENT");
        assert_eq!(e["clientId"], json!(a));
        assert_eq!(e["actor"]["name"], "Mark Manager");
        assert_eq!(e["client"]["status"], "SUSPENDED");
    }

    // A refused mutation commits nothing and announces nothing; another firm's events
    // are never delivered; the other client only reaches the unfiltered subscription.
    let r = app.act(&app.manager, "suspendClient", &a, json!({})).await;
    assert_eq!(r.error_code().as_deref(), Some("INVALID_TRANSITION"));
    let other = app.other_firm_admin().await;
    app.gql(
        &other,
        "mutation { createClient(input: {name: \"Elsewhere\"}) { client { id } } }",
        json!({}),
    )
    .await
    .data();
    app.act(&app.manager, "suspendClient", &b, json!({}))
        .await
        .data();
    let (sub, e) = event(&mut socket).await;
    assert_eq!((sub.as_str(), e["clientId"].clone()), ("all", json!(b)));
    assert_eq!(e["action"], "SUSPEND");

    // Each event is resolved afresh: the client as it is after this event.
    app.act(&app.manager, "unsuspendClient", &a, json!({}))
        .await
        .data();
    let mut got = vec![event(&mut socket).await, event(&mut socket).await];
    got.sort_by(|x, y| x.0.cmp(&y.0));
    for (_, e) in &got {
        assert_eq!(e["action"], "UNSUSPEND");
        assert_eq!(e["client"]["status"], "ACTIVE");
    }
    assert!(next(&mut socket, Duration::from_millis(300))
        .await
        .is_none());

    // Completing one subscription leaves the other.
    send(&mut socket, json!({"id": "all", "type": "complete"})).await;
    app.act(&app.manager, "unsuspendClient", &b, json!({}))
        .await
        .data();
    app.act(&app.manager, "suspendClient", &a, json!({}))
        .await
        .data();
    let (sub, e) = event(&mut socket).await;
    assert_eq!((sub.as_str(), e["clientId"].clone()), ("only-a", json!(a)));
}

async fn close_code(socket: &mut Socket) -> Option<u16> {
    match next(socket, Duration::from_secs(10)).await {
        Some(Message::Close(Some(frame))) => Some(u16::from(frame.code)),
        other => panic!("expected a close frame, got {other:?}"),
    }
}

#[tokio::test]
async fn a_missing_or_bad_token_closes_the_socket_with_4403() {
    let app = spawn_app().await;
    let payloads = [
        json!({}),
        json!({"Authorization": "Bearer not-a-token"}),
        json!({"Authorization": format!("Basic {}", app.admin.token)}),
    ];
    for payload in payloads {
        let mut socket = open(&app.base).await;
        send(
            &mut socket,
            json!({"type": "connection_init", "payload": payload}),
        )
        .await;
        assert_eq!(close_code(&mut socket).await, Some(4403), "{payload}");
    }
    // A deactivated user's token is refused too.
    app.gql(
        &app.admin,
        "mutation($i: DeactivateUserInput!) { deactivateUser(input: $i) { user { active } } }",
        json!({"i": {"userId": app.viewer.id.to_string()}}),
    )
    .await
    .data();
    let mut socket = open(&app.base).await;
    send(
        &mut socket,
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {}", app.viewer.token)}}),
    )
    .await;
    assert_eq!(close_code(&mut socket).await, Some(4403));
}

#[tokio::test]
async fn the_socket_serves_subscriptions_only_and_keeps_the_limits() {
    let app = spawn_app().await;
    let mut socket = signed_in(&app.base, &app.admin.token).await;
    let deep = format!(
        "subscription {{ clientEvents(clientId: {}\"x\"{}) {{ id }} }}",
        "[".repeat(100),
        "]".repeat(100)
    );
    for (id, query) in [
        ("q", "{ me { id } }".to_string()),
        (
            "m",
            "mutation { createClient(input: {name: \"Over the socket\"}) { client { id } } }"
                .to_string(),
        ),
        ("deep", deep),
        (
            "bad-id",
            "subscription { clientEvents(clientId: \"nope\") { id } }".to_string(),
        ),
    ] {
        send(
            &mut socket,
            json!({"id": id, "type": "subscribe", "payload": {"query": query}}),
        )
        .await;
        let mut msg = next_json(&mut socket).await;
        while msg["type"] == "complete" {
            msg = next_json(&mut socket).await;
        }
        assert_eq!(msg["id"], id, "{msg}");
        let errors = if msg["type"] == "error" {
            msg["payload"].clone()
        } else {
            msg["payload"]["errors"].clone()
        };
        assert_eq!(
            errors[0]["extensions"]["code"], "BAD_USER_INPUT",
            "{id}: {msg}"
        );
    }
    // Nothing was created over the socket.
    let r = app
        .gql(
            &app.admin,
            "{ clients(first: 5) { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.data()["clients"]["nodes"], json!([]));
    // Over HTTP, a subscription is refused with a code.
    let r = app
        .gql(
            &app.admin,
            "subscription { clientEvents { id } }",
            json!({}),
        )
        .await;
    assert!(r.error_code().is_some(), "{}", r.body);
}

/// A subscriber that does not keep up is dropped rather than buffered without bound:
/// its subscription completes once it falls more than the bus holds behind.
#[tokio::test]
async fn a_subscriber_that_falls_behind_is_dropped() {
    let app = spawn_app().await;
    let schema = clientele::graphql::build_schema(app.services.clone(), true);
    let admin = user::Entity::find_by_id(app.admin.id)
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap();
    let request = async_graphql::Request::new("subscription { clientEvents { id } }")
        .data(RequestAuth::Staff(Actor::Staff(admin.clone())))
        .data(Loaders::new(&app.services));
    let mut stream = schema.execute_stream(request);
    // Started, and waiting for an event.
    assert!(
        tokio::time::timeout(Duration::from_millis(200), stream.next())
            .await
            .is_err()
    );
    let firm_id = admin.firm_id;
    let event = move |n: usize| lifecycle_event::Model {
        id: Uuid::now_v7(),
        firm_id,
        client_id: Uuid::now_v7(),
        action: LifecycleAction::Suspend,
        from_status: None,
        to_status: None,
        actor_id: None,
        reason: None,
        feedback: Some(format!("event {n}")),
        details: None,
        at: chrono::Utc::now(),
    };
    for n in 0..clientele::service::events::BUS_CAPACITY + 10 {
        app.services.events.publish(std::sync::Arc::new(event(n)));
    }
    let end = tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("the stream ends at once");
    assert!(end.is_none(), "{end:?}");

    // One that keeps up gets everything.
    let request = async_graphql::Request::new("subscription { clientEvents { feedback } }")
        .data(RequestAuth::Staff(Actor::Staff(admin)))
        .data(Loaders::new(&app.services));
    let mut stream = schema.execute_stream(request);
    assert!(
        tokio::time::timeout(Duration::from_millis(200), stream.next())
            .await
            .is_err()
    );
    let sender = app.services.events.clone();
    let publisher = tokio::spawn(async move {
        for n in 0..3 * clientele::service::events::BUS_CAPACITY {
            sender.publish(std::sync::Arc::new(event(n)));
            if n % 64 == 0 {
                tokio::task::yield_now().await;
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
    });
    for n in 0..3 * clientele::service::events::BUS_CAPACITY {
        let response = tokio::time::timeout(Duration::from_secs(10), stream.next())
            .await
            .unwrap()
            .unwrap();
        let data = response.data.into_json().unwrap();
        assert_eq!(data["clientEvents"]["feedback"], format!("event {n}"));
    }
    publisher.await.unwrap();
}

/// On PostgreSQL, events go through LISTEN/NOTIFY: one committed by one server process
/// reaches a subscriber connected to another. (On SQLite there is one process.)
#[tokio::test]
async fn events_committed_through_one_process_reach_subscribers_of_another() {
    if std::env::var("TEST_DATABASE_URL").is_err() {
        eprintln!("PostgreSQL only: set TEST_DATABASE_URL");
        return;
    }
    let app = spawn_app().await;
    let (_child, other_base) =
        spawn_server_process(&app.database_url, &[], std::process::Stdio::null()).await;
    let a = app.client_in("ACTIVE").await;
    let mut socket = signed_in(&other_base, &app.viewer.token).await;
    subscribe(&mut socket, "all", None).await;
    // Subscribed before the change is made.
    assert!(next(&mut socket, Duration::from_millis(300))
        .await
        .is_none());
    app.act(&app.manager, "suspendClient", &a, json!({}))
        .await
        .data();
    let (_, e) = event(&mut socket).await;
    assert_eq!(e["action"], "SUSPEND");
    assert_eq!(e["clientId"], json!(a));
    assert_eq!(e["client"]["status"], "SUSPENDED");
    // And the other way round: a change through the child reaches this process.
    let mut here = signed_in(&app.base, &app.viewer.token).await;
    subscribe(&mut here, "all", None).await;
    assert!(next(&mut here, Duration::from_millis(300)).await.is_none());
    let r = app
        .http
        .post(format!("{other_base}/graphql"))
        .bearer_auth(&app.manager.token)
        .json(&json!({"query": "mutation($i: UnsuspendClientInput!) { unsuspendClient(input: $i) { client { status } } }",
                      "variables": {"i": {"clientId": a}}}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let (_, e) = event(&mut here).await;
    assert_eq!(e["action"], "UNSUSPEND");
    let (_, e) = event(&mut socket).await;
    assert_eq!(e["action"], "UNSUSPEND");
}

/// The next answer for subscription `id` that carries errors, as its error code.
async fn error_code_for(socket: &mut Socket, id: &str) -> String {
    loop {
        let msg = next_json(socket).await;
        if msg["id"] != id || msg["type"] == "complete" {
            continue;
        }
        let errors = if msg["type"] == "error" {
            msg["payload"].clone()
        } else {
            msg["payload"]["errors"].clone()
        };
        return errors[0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("an error for {id}: {msg}"))
            .to_string();
    }
}

/// A socket that never sends `connection_init` is closed with 4408; a signed-in socket stays open past the same time.
#[tokio::test]
async fn a_socket_that_never_initialises_is_closed_with_4408() {
    let app = spawn_app().await;
    let mut silent = open(&app.base).await;
    let mut signed = signed_in(&app.base, &app.admin.token).await;
    let started = std::time::Instant::now();
    match next(
        &mut silent,
        clientele::ws::INIT_TIMEOUT + Duration::from_secs(5),
    )
    .await
    {
        Some(Message::Close(Some(frame))) => assert_eq!(u16::from(frame.code), 4408),
        other => panic!("expected a close frame, got {other:?}"),
    }
    assert!(started.elapsed() >= clientele::ws::INIT_TIMEOUT - Duration::from_secs(1));
    // The signed-in socket still serves subscriptions.
    let id = app.client_in("ACTIVE").await;
    subscribe(&mut signed, "s", Some(&id)).await;
    app.act(&app.admin, "suspendClient", &id, json!({}))
        .await
        .data();
    let (sub, event) = event(&mut signed).await;
    assert_eq!(sub, "s");
    assert_eq!(event["toStatus"], "SUSPENDED");
}

/// One socket runs a bounded number of subscriptions; completing one frees its slot.
#[tokio::test]
async fn one_socket_runs_a_bounded_number_of_subscriptions() {
    let app = spawn_app().await;
    let quiet = app.client_in("ACTIVE").await;
    let watched = app.client_in("ACTIVE").await;
    let mut socket = signed_in(&app.base, &app.viewer.token).await;
    for i in 0..clientele::ws::MAX_SUBSCRIPTIONS {
        subscribe(&mut socket, &format!("s{i}"), Some(&quiet)).await;
    }
    subscribe(&mut socket, "one-too-many", Some(&watched)).await;
    assert_eq!(
        error_code_for(&mut socket, "one-too-many").await,
        "BAD_USER_INPUT"
    );
    send(&mut socket, json!({"id": "s0", "type": "complete"})).await;
    subscribe(&mut socket, "fits", Some(&watched)).await;
    let (sub, event) = event_of_changes(&app, &mut socket, &watched).await;
    assert_eq!(sub, "fits");
    assert_eq!(event["clientId"], watched);
}

/// A message above 1 MiB closes the socket before anything reads it; the server
/// goes on serving.
#[tokio::test]
async fn an_oversized_message_closes_the_socket() {
    let app = spawn_app().await;
    let mut socket = open(&app.base).await;
    let huge = format!(
        r#"{{"type":"connection_init","payload":{{"pad":"{}"}}}}"#,
        "x".repeat(2 << 20)
    );
    let _ = socket.send(Message::Text(huge.into())).await;
    // Closed unread: had the server parsed it, it would refuse the payload with 4403.
    match next(&mut socket, Duration::from_secs(10)).await {
        Some(Message::Close(Some(frame))) => assert_eq!(u16::from(frame.code), 1009),
        Some(Message::Close(None)) | None => {}
        other => panic!("expected the socket to close, got {other:?}"),
    }
    signed_in(&app.base, &app.admin.token).await;
}

/// A subscription ends with `UNAUTHENTICATED` when the token the socket signed in with
/// expires, and the socket takes no new subscription after that.
#[tokio::test]
async fn subscriptions_end_when_the_token_expires() {
    let app = spawn_app().await;
    let token = app
        .tokens
        .issue(app.viewer.id, Duration::from_secs(2))
        .unwrap();
    let mut socket = signed_in(&app.base, &token).await;
    subscribe(&mut socket, "s", None).await;
    let started = std::time::Instant::now();
    assert_eq!(error_code_for(&mut socket, "s").await, "UNAUTHENTICATED");
    assert!(started.elapsed() < Duration::from_secs(5));
    subscribe(&mut socket, "again", None).await;
    assert_eq!(
        error_code_for(&mut socket, "again").await,
        "UNAUTHENTICATED"
    );
}

/// One user keeps a bounded number of signed-in sockets: the one too many is closed with
/// 4429, and closing a socket gives its place back.
#[tokio::test]
async fn one_user_keeps_a_bounded_number_of_sockets() {
    let app = spawn_app().await;
    let mut sockets = Vec::new();
    for _ in 0..clientele::ws::MAX_SOCKETS_PER_USER {
        sockets.push(signed_in(&app.base, &app.viewer.token).await);
    }
    let init = json!({"type": "connection_init",
                      "payload": {"Authorization": format!("Bearer {}", app.viewer.token)}});
    let mut extra = open(&app.base).await;
    send(&mut extra, init.clone()).await;
    assert_eq!(close_code(&mut extra).await, Some(4429));
    // Another user is not affected.
    signed_in(&app.base, &app.admin.token).await;
    // Closing one gives its place back (once the server has seen the close).
    let mut first = sockets.remove(0);
    first.close(None).await.unwrap();
    drop(first);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let mut again = open(&app.base).await;
        send(&mut again, init.clone()).await;
        let reply = next(&mut again, Duration::from_secs(10)).await;
        if let Some(Message::Text(text)) = &reply {
            let v: Value = serde_json::from_str(text).unwrap();
            assert_eq!(v["type"], "connection_ack");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{reply:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
